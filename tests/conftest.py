"""Shared fixtures: the small test questionnaire and helpers to build sheets in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import AnswerSheet
from stufenplan_cli.files.reading import load, parse
from stufenplan_cli.files.validation import questionnaire_from, sheet_from

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``template`` to standard output keeps its schema in the user's cache: a temporary one in tests."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("LOCALAPPDATA", str(cache))


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return questionnaire_from(load(DATA / "mini.yaml"))


@pytest.fixture(scope="session")
def mini2() -> Questionnaire:
    """mini.yaml in format 2.0: a follow-up, next steps per option, efforts, due dates, a predecessor."""
    return questionnaire_from(load(DATA / "v2" / "mini.yaml"))


def make_sheet(
    questionnaire: Questionnaire, answers: dict[str, Any], name: str = "Musterhausen"
) -> AnswerSheet:
    """A validated sheet for ``questionnaire`` with the given answers (shorthand allowed)."""
    data = {"questionnaire": questionnaire.id, "municipality": {"name": name}, "answers": answers}
    return AnswerSheet.model_validate(data)


def sheet_text(
    text: str, questionnaire: Questionnaire | None = None, name: str = "sheet.yaml"
) -> AnswerSheet:
    return sheet_from(parse(text, name), questionnaire)
