"""The precompiled questionnaires: current, equal to what the YAML gives, and ignored once the YAML changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
