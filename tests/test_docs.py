"""The documentation is checked against the models and the commands, so that it cannot drift."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from stufenplan_cli.domain.models import (
    Actor,
    Answer,
    AnswerSheet,
    Condition,
    Dimension,
    Disagreement,
    Effort,
    Horizon,
    MergeInfo,
    MergeSource,
    Municipality,
    Next,
    Option,
    Predecessor,
    Question,
    Questionnaire,
    Reference,
    Stage,
    Target,
)
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def _fields(models: list[type[BaseModel]]) -> set[str]:
    return {name for model in models for name in model.model_fields}


@pytest.mark.parametrize(
    ("page", "models"),
    [
        (
            "questionnaire-format.md",
            [
                Questionnaire,
                Stage,
                Dimension,
                Actor,
                Horizon,
                Reference,
                Effort,
                Predecessor,
                Question,
                Condition,
                Option,
                Next,
            ],
        ),
        (
            "answer-sheet-format.md",
            [AnswerSheet, Municipality, Target, Answer, MergeInfo, MergeSource, Disagreement],
        ),
    ],
)
def test_format_docs_name_every_model_field(page: str, models: list[type[BaseModel]]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text))
    assert _fields(models) - documented == set()


def test_readme_quick_start_has_exactly_two_commands_per_platform() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Schnellstart", 1)[1].split("\n## ", 1)[0]
    platforms = {}
    for part in section.split("\n### ")[1:]:
        title, _, body = part.partition("\n")
        blocks = re.findall(r"```(?:console|bash|sh|powershell|bat)\n(.*?)```", body, re.S)
        if blocks:
            platforms[title] = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert set(platforms) == {"Windows – PowerShell", "Windows – Eingabeaufforderung (cmd)", "macOS", "Linux"}
    for title, commands in platforms.items():
        assert len(commands) == 2, title
        assert "pip install ." in commands[0] and "stufenplan score examples" in commands[0], title
        assert 'pip install ".[test]"' in commands[1] and "python -m pytest" in commands[1], title
        assert "'" not in "".join(commands), title  # single quotes fail in cmd.exe
    assert "&&" not in "".join(platforms["Windows – PowerShell"])  # Windows PowerShell 5.1 has none
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert platforms["Linux"][1] in ci.splitlines()  # CI runs the README's test command verbatim
