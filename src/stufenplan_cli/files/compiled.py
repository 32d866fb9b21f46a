"""Questionnaires in a precompiled form: their validated content as JSON, used only while it matches the YAML.

Parsing the 250 KiB bundled questionnaire with libyaml takes about 20 ms of every start of a command
that reads one sheet; the same content as JSON loads in about one. The JSON (``compiled/ID.json`` beside
the YAML) names the SHA-256 of the YAML it was made from: when the YAML is edited, the JSON is ignored
and the YAML read as ever. The content is validated by the model, so the model stays the one truth.
``tests/test_compiled.py`` keeps the bundled ones current (``UPDATE_GOLDEN=1`` writes them).

Building the model's validator and validating take about 10 ms more. The validated questionnaire is
therefore kept in the user's cache as a snapshot (pickle), named by everything it depends on: the YAML,
the JSON, Python, pydantic, this package and the domain's code. The next run loads it in about 2 ms; any
change, and any problem with the file, validates afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import platform
import sys
from pathlib import Path

from pydantic import ValidationError

import stufenplan_cli.domain
from stufenplan_cli import __version__
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import InputError
from stufenplan_cli.files.cache import is_private, private_cache_dir, store
from stufenplan_cli.files.reading import read_limited

FOLDER = "compiled"
SNAPSHOTS = "questionnaires"


def compiled_path(path: Path) -> Path:
    """Where the compiled form of the questionnaire file ``path`` lies."""
    return path.parent / FOLDER / f"{path.stem}.json"


def fingerprint(path: Path) -> str:
    return hashlib.sha256(read_limited(path)).hexdigest()


def from_compiled(path: Path) -> Questionnaire | None:
    """The questionnaire from its compiled form; None when there is none or it does not match the YAML."""
    try:
        raw = compiled_path(path).read_bytes()
        digest = fingerprint(path)
    except (OSError, InputError):  # the YAML path then says what is wrong
        return None
    snapshot = snapshot_path(path, digest, raw)
    if snapshot is not None and (ready := _load_snapshot(snapshot)) is not None:
        return ready
    import json  # not needed while the snapshot is current

    try:
        stored = json.loads(raw)
        if not isinstance(stored, dict) or stored.get("sha256") != digest:
            return None
        questionnaire = Questionnaire.model_validate(stored.get("questionnaire"))
    except (ValueError, ValidationError):
        return None
    if snapshot is not None:
        _store_snapshot(snapshot, questionnaire)
    return questionnaire


def compiled_text(path: Path, questionnaire: Questionnaire) -> str:
    """The compiled form of a questionnaire read from ``path`` (only what the file set, as the file set it)."""
    import json

    content = questionnaire.model_dump(mode="json", exclude_unset=True)
    return json.dumps({"sha256": fingerprint(path), "questionnaire": content}, ensure_ascii=False) + "\n"


def snapshot_path(path: Path, digest: str, compiled: bytes) -> Path | None:
    """The cache file for the questionnaire validated from this YAML (``digest``) and JSON; None without a cache."""
    folder = private_cache_dir(SNAPSHOTS)
    if folder is None:
        return None
    try:
        stamp = _code_stamp()
    except OSError:  # the package is not in plain files (a zip, a frozen program): no snapshot
        return None
    place = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    key = hashlib.sha256(b"\0".join([digest.encode(), stamp, compiled])).hexdigest()[:32]
    return folder / f"{place}-{key}.pickle"


@functools.cache
def _code_stamp() -> bytes:
    """What a validated questionnaire depends on besides its files: Python, pydantic, this package's version and
    the domain's modules (size and time of each, as Python checks a module's source for its bytecode)."""
    import pydantic

    parts = [sys.version, platform.python_implementation(), pydantic.VERSION, __version__]
    pending = [os.path.dirname(stufenplan_cli.domain.__file__)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    parts.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts).encode()


def _load_snapshot(snapshot: Path) -> Questionnaire | None:
    """The questionnaire kept in ``snapshot``; None if missing, not this user's alone, or not as written."""
    try:
        with snapshot.open("rb") as handle:
            if os.name == "posix" and not is_private(os.fstat(handle.fileno())):
                return None  # the folder is checked; the file must not be another's either
            ready = pickle.load(handle)
    except Exception:  # a truncated or foreign file raises almost anything; it only costs speed
        return None
    return ready if type(ready) is Questionnaire else None


def _store_snapshot(snapshot: Path, questionnaire: Questionnaire) -> None:
    """Keep the validated questionnaire, and drop the snapshots of older states of the same file."""
    store(snapshot, pickle.dumps(questionnaire, protocol=pickle.HIGHEST_PROTOCOL))
    place = snapshot.name.split("-", 1)[0]
    with contextlib.suppress(OSError):
        for old in snapshot.parent.iterdir():
            if old.name.startswith(f"{place}-") and old.suffix == ".pickle" and old != snapshot:
                old.unlink(missing_ok=True)
