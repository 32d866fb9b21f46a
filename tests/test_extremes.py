"""Every document renders for the extreme sheets a real workshop can produce, with the bundled questionnaires.

All answers 0, all full, all „weiß nicht“, all „nicht zutreffend“, nothing answered, and a mix: each as a
report in every text format, as a region of five alike and as a timeline of two. A template that takes the
first of an empty list or divides by a missing score fails here instead of in front of a council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.files.catalog import Catalog
from tests.consultant_helpers import write

runner = CliRunner()


def _top(q: Questionnaire, question: Question) -> int:
    return max(o.value for o in q.options_for(question))


ANSWERS: dict[str, Callable[[Questionnaire, Question, int], Any]] = {
    "alles-null": lambda q, question, i: 0,
    "alles-voll": lambda q, question, i: _top(q, question),
    "alles-weiss-nicht": lambda q, question, i: "weiß nicht",
    "alles-nicht-zutreffend": lambda q, question, i: "nicht zutreffend",
    "nichts-beantwortet": lambda q, question, i: None,
    "gemischt": lambda q, question, i: [0, _top(q, question), "weiß nicht", "n/a", None][i % 5],
}


def _sheet(q: Questionnaire, kind: str, name: str, date: dt.date | None) -> dict[str, Any]:
    answers = {question.id: ANSWERS[kind](q, question, i) for i, question in enumerate(q.questions)}
    data: dict[str, Any] = {
        "questionnaire": q.id,
        "municipality": {"name": name, "kind": "Gemeinde"},
        "answers": {k: v for k, v in answers.items() if v is not None},
    }
    if date:
        data["assessed_on"] = date
    return data


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
@pytest.mark.parametrize("kind", list(ANSWERS))
def test_report_region_and_timeline_render_for_extreme_sheets(tmp_path: Path, qid: str, kind: str) -> None:
    q = Catalog().by_id(qid)
    one = write(tmp_path / "bogen.yaml", _sheet(q, kind, "Gemeinde Äußerstes", dt.date(2026, 5, 4)))
    for fmt in ("md", "html", "json"):
        result = runner.invoke(app, ["report", str(one), "--format", fmt])
        assert result.exit_code == 0, (fmt, result.output)
        assert "Äußerstes" in result.stdout

    region = [
        write(tmp_path / "region" / f"{i}.yaml", _sheet(q, kind, f"Gemeinde {i}", dt.date(2026, 1 + i, 1)))
        for i in range(5)
    ]
    years = [
        write(tmp_path / "jahre" / f"{y}.yaml", _sheet(q, kind, "Gemeinde Äußerstes", dt.date(y, 3, 1)))
        for y in (2024, 2026)
    ]
    for paths in (region, years):
        for fmt in ("md", "html", "json"):
            result = runner.invoke(app, ["compare", *map(str, paths), "--format", fmt])
            assert result.exit_code == 0, (fmt, result.output)
