"""The precompiled questionnaires: current, equal to what the YAML gives, and ignored once the YAML changes;
the snapshot of a validated one in the user's cache: the same questionnaire, and ignored once anything changed."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from stufenplan_cli.files import compiled
from stufenplan_cli.files.cache import NO_CACHE_VAR, cache_home
from stufenplan_cli.files.catalog import Catalog, bundled_dir
from stufenplan_cli.files.compiled import compiled_path, compiled_text, from_compiled
from stufenplan_cli.files.reading import load
from stufenplan_cli.files.validation import questionnaire_from

BUNDLED = sorted(bundled_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_bundled_questionnaire_has_a_current_compiled_form(path: Path) -> None:
    from_yaml = questionnaire_from(load(path))
    text = compiled_text(path, from_yaml)
    twin = compiled_path(path)
    if os.environ.get("UPDATE_GOLDEN"):
        twin.parent.mkdir(exist_ok=True)
        twin.write_text(text, encoding="utf-8")
    assert twin.is_file() and twin.read_text(encoding="utf-8") == text, (
        f"{twin} is missing or stale: UPDATE_GOLDEN=1 python -m pytest tests/test_compiled.py"
    )
    from_json = from_compiled(path)
    assert from_json is not None
    assert from_json == from_yaml
    assert from_json.model_dump(exclude_unset=True) == from_yaml.model_dump(exclude_unset=True)
    assert from_json.model_dump() == from_yaml.model_dump()


def copy_with_twin(tmp_path: Path) -> Path:
    source = bundled_dir() / "kurzcheck.yaml"
    target = tmp_path / "kurzcheck.yaml"
    shutil.copyfile(source, target)
    (tmp_path / "compiled").mkdir()
    shutil.copyfile(compiled_path(source), compiled_path(target))
    return target


def test_an_edited_yaml_is_read_as_it_now_is(tmp_path: Path) -> None:
    target = copy_with_twin(tmp_path)
    assert from_compiled(target) is not None
    text = target.read_text(encoding="utf-8")
    edited = text.replace("title:", "title: Geändert –", 1)
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    assert from_compiled(target) is None
    assert Catalog().from_file(target).title.startswith("Geändert –")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"sha256": 5}', b'{"questionnaire": {}}'])
def test_a_broken_compiled_form_is_ignored(tmp_path: Path, content: bytes) -> None:
    target = copy_with_twin(tmp_path)
    compiled_path(target).write_bytes(content)
    assert from_compiled(target) is None
    assert Catalog().from_file(target).id == "kurzcheck"


def test_a_matching_fingerprint_with_invalid_content_falls_back_to_the_yaml(tmp_path: Path) -> None:
    target = copy_with_twin(tmp_path)
    twin = compiled_path(target)
    twin.write_text(twin.read_text(encoding="utf-8").replace('"stages": [', '"stages": 7, "x": ['), "utf-8")
    assert from_compiled(target) is None
    assert Catalog().from_file(target).id == "kurzcheck"


# ----- the validated questionnaire kept in the user's cache -----


def snapshots() -> list[Path]:
    return sorted((cache_home() / "stufenplan" / "questionnaires").glob("*.pickle"))


def never_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make validating a questionnaire fail the test: what comes back must come from the snapshot."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated although a current snapshot was there")

    monkeypatch.setattr(compiled.Questionnaire, "model_validate", refuse)


def test_the_validated_questionnaire_is_kept_and_read_back_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = copy_with_twin(tmp_path)
    first = from_compiled(target)
    from_yaml = questionnaire_from(load(target))
    assert first is not None and len(snapshots()) == 1
    never_validated(monkeypatch)
    again = from_compiled(target)
    assert again is not None and again is not first
    assert again == first == from_yaml
    assert again.model_dump() == first.model_dump()
    assert again.question_by_id.keys() == first.question_by_id.keys()  # its derived tables work


def test_a_snapshot_is_not_used_once_the_compiled_form_or_the_code_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = copy_with_twin(tmp_path)
    assert from_compiled(target) is not None
    twin = compiled_path(target)
    twin.write_text(twin.read_text(encoding="utf-8").replace('"title": "', '"title": "Neu – ', 1), "utf-8")
    changed = from_compiled(target)
    assert changed is not None and changed.title.startswith("Neu – ")
    assert len(snapshots()) == 1  # the older state's snapshot is gone
    compiled._code_stamp.cache_clear()
    monkeypatch.setattr(compiled, "__version__", "99.0")  # another version of the tool (or edited models)
    try:
        snapshot = snapshots()[0]
        assert from_compiled(target) is not None
        assert snapshots() != [snapshot]
    finally:
        compiled._code_stamp.cache_clear()


def test_an_edited_domain_module_makes_a_new_snapshot(tmp_path: Path) -> None:
    compiled._code_stamp.cache_clear()
    before = compiled._code_stamp()
    module = Path(compiled.stufenplan_cli.domain.__file__).parent / "thresholds.py"
    info = module.stat()
    try:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        compiled._code_stamp.cache_clear()
        assert compiled._code_stamp() != before
    finally:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
        compiled._code_stamp.cache_clear()
    assert compiled._code_stamp() == before


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", pickle.dumps({"id": "kurzcheck"}), pickle.dumps([1, 2]), b"\x80\x05\x95\xff"],
    ids=["empty", "garbage", "a dict", "a list", "truncated"],
)
def test_a_broken_snapshot_is_validated_afresh_and_replaced(tmp_path: Path, content: bytes) -> None:
    target = copy_with_twin(tmp_path)
    expected = from_compiled(target)
    [snapshot] = snapshots()
    snapshot.write_bytes(content)
    assert from_compiled(target) == expected
    assert snapshot.read_bytes() != content


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_snapshot_others_may_write_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = copy_with_twin(tmp_path)
    assert from_compiled(target) is not None
    [snapshot] = snapshots()
    snapshot.chmod(0o666)
    never_validated(monkeypatch)
    with pytest.raises(AssertionError, match="validated although"):
        from_compiled(target)
    snapshot.chmod(0o644)
    folder = snapshot.parent
    folder.chmod(0o777)
    try:
        with pytest.raises(AssertionError, match="validated although"):
            from_compiled(target)
    finally:
        folder.chmod(0o700)


def test_no_snapshot_when_the_code_is_not_in_plain_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed in a zip or frozen into one program, the domain's modules cannot be listed: no snapshot, no crash."""

    def unlisted(path: object) -> None:
        raise NotADirectoryError(20, "Not a directory", str(path))

    target = copy_with_twin(tmp_path)
    compiled._code_stamp.cache_clear()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(compiled.os, "scandir", unlisted)
            assert from_compiled(target) is not None
        assert snapshots() == []
    finally:
        compiled._code_stamp.cache_clear()


def test_no_snapshot_without_a_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_CACHE_VAR, "1")
    target = copy_with_twin(tmp_path)
    assert from_compiled(target) is not None
    assert snapshots() == []


def test_a_command_gives_the_same_output_from_the_snapshot(tmp_path: Path) -> None:
    """Cold (validated and kept) and warm (from the snapshot) runs of a real command print the same."""
    import subprocess
    import sys

    sheet = str(Path(__file__).resolve().parents[1] / "examples" / "musterstadt.yaml")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "120"}
    env.pop(NO_CACHE_VAR, None)

    def run() -> str:
        command = [sys.executable, "-m", "stufenplan_cli", "score", sheet]
        return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout

    cold = run()
    assert len(list((tmp_path / "stufenplan" / "questionnaires").glob("*.pickle"))) == 1
    assert run() == cold
