"""Questionnaires in a precompiled form: their validated content as JSON, used only while it matches the YAML.

Parsing the 250 KiB bundled questionnaire with libyaml takes about 20 ms of every start of a command
that reads one sheet; the same content as JSON loads in about one. The JSON (``compiled/ID.json`` beside
the YAML) names the SHA-256 of the YAML it was made from: when the YAML is edited, the JSON is ignored
and the YAML read as ever. The content is validated by the model again, so the model stays the one
truth. ``tests/test_compiled.py`` keeps the bundled ones current (``UPDATE_GOLDEN=1`` writes them).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import InputError
from stufenplan_cli.files.reading import read_limited

FOLDER = "compiled"


def compiled_path(path: Path) -> Path:
    """Where the compiled form of the questionnaire file ``path`` lies."""
    return path.parent / FOLDER / f"{path.stem}.json"


def fingerprint(path: Path) -> str:
    return hashlib.sha256(read_limited(path)).hexdigest()


def from_compiled(path: Path) -> Questionnaire | None:
    """The questionnaire from its compiled form; None when there is none or it does not match the YAML."""
    try:
        stored = json.loads(compiled_path(path).read_bytes())
        if not isinstance(stored, dict) or stored.get("sha256") != fingerprint(path):
            return None
        return Questionnaire.model_validate(stored.get("questionnaire"))
    except (OSError, ValueError, InputError, ValidationError):  # the YAML path then says what is wrong
        return None


def compiled_text(path: Path, questionnaire: Questionnaire) -> str:
    """The compiled form of a questionnaire read from ``path`` (only what the file set, as the file set it)."""
    content = questionnaire.model_dump(mode="json", exclude_unset=True)
    return json.dumps({"sha256": fingerprint(path), "questionnaire": content}, ensure_ascii=False) + "\n"
