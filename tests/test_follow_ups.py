"""Follow-up questions (``when``) wherever a user meets them: interview, blank sheet, validate, merge."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.conditions import not_asked
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.services.interview import AskQuestion, Interview, Review, StageIntro, Step
from tests.conftest import DATA

runner = CliRunner()


class Store:
    """Remembers the sheet as the interview leaves it: id -> answer, None when cleared."""

    def __init__(self) -> None:
        self.sheet: dict[str, Answer | None] = {}

    def set_answer(self, question_id: str, answer: Answer | None) -> None:
        self.sheet[question_id] = answer

    def set_municipality(self, values: dict[str, Any]) -> None:
        pass

    def set_assessed_on(self, day: dt.date) -> None:
        pass


@pytest.fixture(scope="module")
def chained(mini2: Questionnaire) -> Questionnaire:
    """mini2 with a second follow-up: ``werkzeuge`` is asked only when ``pilot`` is at least 1."""
    data = mini2.model_dump(exclude_none=True)
    for question in data["questions"]:
        if question["id"] == "werkzeuge":
            question["when"] = {"question": "pilot", "min": 1}
    return Questionnaire.model_validate(data)


def label(step: Step | None) -> str:
    if isinstance(step, AskQuestion):
        return f"q:{step.question.id} {step.number}/{step.total}"
    if isinstance(step, StageIntro):
        return f"intro:{step.stage.id} {step.asked}/{step.questions}"
    if isinstance(step, Review):
        return f"review {step.total}"
    return "end"


def walk(interview: Interview, *lines: str) -> list[str]:
    shown = []
    for line in lines:
        shown.append(label(interview.step))
        interview.handle(line)
    return shown


def test_a_gate_at_0_skips_its_follow_ups_and_the_count_shrinks(chained: Questionnaire) -> None:
    iv = Interview(chained, Store())
    shown = walk(iv, "", "3", "3", "3", "", "0", "", "0", "")
    assert shown == [
        "intro:1 3/3",
        "q:beschluss 1/7",
        "q:koordination 2/7",
        "q:qualifizierung 3/7",
        "intro:2 2/2",
        "q:pilot 4/7",  # werkzeuge falls away with pilot at 0
        "intro:3 2/2",
        "q:kooperation 5/6",  # and gemeinsame-daten with kooperation at 0
        "review 5",
    ]
    assert iv.finished
    assert iv.review().unanswered == []  # a skipped follow-up is not „open“


def test_changing_the_gate_back_asks_the_follow_ups(chained: Questionnaire) -> None:
    store = Store()
    iv = Interview(chained, store)
    walk(iv, "", "3", "3", "3", "", "0")  # pilot 0: werkzeuge skipped
    assert label(iv.step) == "intro:3 2/2"
    walk(iv, "z")  # back to pilot
    assert label(iv.step) == "q:pilot 4/6"
    outcome = iv.handle("2")
    assert outcome.notice == "Mit der Antwort auf Frage 4 gilt 1 Folgefrage wieder."
    assert label(iv.step) == "q:werkzeuge 5/7"
    iv.handle("3")
    assert store.sheet["werkzeuge"] == Answer(value=3)


def test_a_follow_up_answer_that_no_longer_applies_leaves_the_sheet_and_comes_back(
    chained: Questionnaire,
) -> None:
    store = Store()
    iv = Interview(chained, store)
    walk(iv, "", "3", "3", "3", "", "2", "2 Videokonferenzen seit 2024")
    assert store.sheet["werkzeuge"] == Answer(value=2, note="Videokonferenzen seit 2024")
    walk(iv, "z", "z")  # past the stage header back to pilot
    assert label(iv.step) == "q:pilot 4/7"
    outcome = iv.handle("0")
    assert (
        outcome.notice
        == "Mit der Antwort auf Frage 4 entfällt 1 Folgefrage; 1 Antwort dazu aus dem Bogen genommen."
    )
    assert store.sheet["werkzeuge"] is None and "werkzeuge" not in iv.answers  # never scored stale
    walk(iv, "z")
    assert label(iv.step) == "q:pilot 4/6"
    outcome = iv.handle("1")
    assert (
        outcome.notice
        == "Mit der Antwort auf Frage 4 gilt 1 Folgefrage wieder; 1 Antwort von vorhin wiederhergestellt."
    )
    assert store.sheet["werkzeuge"] == Answer(value=2, note="Videokonferenzen seit 2024")
    assert label(iv.step) == "q:werkzeuge 5/7"


def test_raising_a_gate_from_the_review_asks_its_follow_ups_next(chained: Questionnaire) -> None:
    store = Store()
    iv = Interview(chained, store)
    walk(iv, "", "3", "3", "3", "", "0", "", "2", "3")  # pilot 0: werkzeuge falls away
    assert label(iv.step) == "review 6"
    walk(iv, "4")  # open question 4 (pilot) from the review
    assert label(iv.step) == "q:pilot 4/6"
    walk(iv, "2")
    assert label(iv.step) == "q:werkzeuge 5/7"  # asked right after its condition, not left for later
    walk(iv, "1")
    assert label(iv.step) == "review 7" and store.sheet["werkzeuge"] == Answer(value=1)


def test_an_open_gate_asks_its_follow_ups(chained: Questionnaire) -> None:
    iv = Interview(chained, Store())
    shown = walk(iv, "", "3", "3", "3", "", "w")
    assert shown[-1] == "q:pilot 4/7"
    assert label(iv.step) == "q:werkzeuge 5/7"


def test_a_gate_not_applicable_drops_its_follow_ups(chained: Questionnaire) -> None:
    iv = Interview(chained, Store())
    walk(iv, "", "3", "3", "3", "", "n")
    assert label(iv.step) == "intro:3 2/2"


def test_resume_and_review_skip_follow_ups_that_do_not_apply(chained: Questionnaire) -> None:
    answers = {
        "beschluss": Answer(value=3),
        "koordination": Answer(value="unknown"),
        "pilot": Answer(value=0),
    }
    iv = Interview(chained, Store(), answers=answers)
    assert label(iv.step) == "q:qualifizierung 3/6"
    review = Interview(chained, Store(), answers=answers, review_only=True)
    shown = walk(review, "", "", "", "")
    assert shown == ["intro:1 2/3", "q:koordination 2/6", "q:qualifizierung 3/6", "intro:3 2/2"]
    assert label(review.step) == "q:kooperation 5/6"


def test_a_resumed_sheet_with_a_stale_follow_up_answer_does_not_count_it(chained: Questionnaire) -> None:
    answers = {"pilot": Answer(value=0), "werkzeuge": Answer(value=3)}
    iv = Interview(chained, Store(), answers=answers)
    step = iv.step
    assert isinstance(step, StageIntro) and step.stage.id == 1
    walk(iv, "", "1", "1", "1")
    assert label(iv.step) == "intro:3 2/2"
    assert iv.review().total == 6


@pytest.mark.parametrize(("questionnaire", "limit"), [("stufenplan", 35), ("kurzcheck", 16)])
def test_an_early_stage_municipality_answers_few_questions(questionnaire: str, limit: int) -> None:
    """Everything at 0 in the interview: the follow-ups fall away, the sheet stays short (issue 10)."""
    q = Catalog().by_id(questionnaire)
    if not any(x.when for x in q.questions):
        pytest.skip("the bundled questionnaire has no follow-up questions yet (version 1.0)")
    iv = Interview(q, Store())
    asked = []
    while iv.step is not None and not isinstance(iv.step, Review):
        step = iv.step
        if isinstance(step, AskQuestion):
            asked.append(step.question.id)
            assert step.total <= len(q.questions)
            iv.handle(str(min(o.value for o in step.options)))
        else:
            iv.handle("")
    assert len(asked) <= limit, f"{len(asked)} Fragen gestellt"
    assert len(asked) == len(set(asked))
    review = iv.review()
    assert review.total == len(asked) and not review.unanswered
    skipped = not_asked(q, iv.answers)
    assert set(asked) | set(skipped) == {x.id for x in q.questions}


# ----- template, validate, merge -----

V2 = ["--questionnaires-dir", str(DATA / "v2")]


def write_sheet(path: Path, answers: dict[str, Any], group: str | None = None) -> Path:
    data: dict[str, Any] = {"questionnaire": "mini", "questionnaire_version": "2.0"}
    data["municipality"] = {"name": "Musterhausen"}
    if group:
        data["group"] = group
    data["answers"] = answers
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def flat(text: str) -> str:
    """Terminal output without the line breaks rich puts in at the console width."""
    return " ".join(text.split())


def test_the_blank_sheet_names_each_follow_ups_condition() -> None:
    result = runner.invoke(app, ["template", "mini", *V2])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    at = lines.index("  gemeinsame-daten:")
    block = " ".join(line.strip("# ") for line in lines[at - 9 : at])
    assert (
        "Folgefrage – nur beantworten, wenn kooperation mindestens 2 ist („Teilweise“ oder besser); "
        "sonst weglassen (zählt dann als 0)." in block
    )
    assert sum("Folgefrage" in line for line in lines) == 1  # only the follow-up says so
    assert yaml.safe_load(result.stdout)["answers"]["gemeinsame-daten"] is None  # valid as it stands


def test_validate_warns_about_an_answer_to_a_follow_up_that_does_not_apply(tmp_path: Path) -> None:
    sheet = write_sheet(tmp_path / "bogen.yaml", {"kooperation": 1, "gemeinsame-daten": 3})
    result = runner.invoke(app, ["validate", str(sheet), *V2])
    assert result.exit_code == 0, result.output  # a warning, the sheet is valid
    assert "1 von 6 Fragen beantwortet (1 mit Wert); 1 Folgefrage entfällt" in flat(result.stdout)
    line = sheet.read_text(encoding="utf-8").split("\n").index("  gemeinsame-daten: 3") + 1
    assert f"Warnung: {sheet}:{line}: Frage gemeinsame-daten ist eine Folgefrage" in flat(result.stderr)
    assert "kooperation ist mit 1 beantwortet. Die Antwort im Bogen wird ignoriert" in flat(result.stderr)
    fine = write_sheet(tmp_path / "gut.yaml", {"kooperation": 2, "gemeinsame-daten": 3})
    result = runner.invoke(app, ["validate", str(fine), *V2])
    assert result.exit_code == 0 and "Warnung" not in result.output


def test_merge_counts_a_skipped_follow_up_as_its_group_scores_it(tmp_path: Path) -> None:
    a = write_sheet(tmp_path / "a.yaml", {"kooperation": 0, "gemeinsame-daten": 3}, "Verwaltung")
    b = write_sheet(tmp_path / "b.yaml", {"kooperation": 3, "gemeinsame-daten": 3}, "Politik")
    c = write_sheet(tmp_path / "c.yaml", {"kooperation": 2, "gemeinsame-daten": 2}, "Stadtwerke")
    out = tmp_path / "merged.yaml"
    result = runner.invoke(app, ["merge", str(a), str(b), str(c), "-o", str(out), *V2])
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out.read_text(encoding="utf-8"))
    # kooperation: 0, 3, 2 -> 2, the follow-up applies; Verwaltung's stale 3 counts as 0: 0, 3, 2 -> 2
    assert merged["answers"] == {"kooperation": 2, "gemeinsame-daten": 2}
    assert [d["question"] for d in merged["merged"]["discussion"]] == ["kooperation", "gemeinsame-daten"]
    # two groups, the lower median of the condition is 0: the follow-up leaves the merged sheet
    out2 = tmp_path / "merged2.yaml"
    result = runner.invoke(app, ["merge", str(a), str(b), "-o", str(out2), *V2])
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out2.read_text(encoding="utf-8"))
    assert merged["answers"] == {"kooperation": 0}
    assert [d["question"] for d in merged["merged"]["discussion"]] == ["kooperation"]


# ----- sheets of version 1.0 -----

OLD = """questionnaire: mini
questionnaire_version: "1.0"
municipality: {name: Musterhausen}
assessed_on: 2024-03-01
answers:
  beschluss: 1
  verantwortung: 1
  qualifizierung: 2
  pilot: 2
  werkzeuge: 1
  kooperation: 2
"""


def test_compare_reads_a_1_0_and_a_2_0_sheet_as_one_time_line(tmp_path: Path) -> None:
    old = tmp_path / "2024.yaml"
    old.write_text(OLD, encoding="utf-8")
    new = write_sheet(
        tmp_path / "2026.yaml",
        {
            "beschluss": 3,
            "koordination": 2,
            "qualifizierung": 2,
            "pilot": 3,
            "werkzeuge": 1,
            "kooperation": 2,
            "gemeinsame-daten": 2,
        },
    )
    text = new.read_text(encoding="utf-8").replace("municipality:", "assessed_on: 2026-03-01\nmunicipality:")
    new.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["compare", str(old), str(new), "--format", "json", *V2])
    assert result.exit_code == 0, result.output
    timeline = json.loads(result.stdout)["timeline"]
    # verantwortung is koordination in 2.0; pilot 2 of 1.0 reads as 3, so it did not change
    assert [q["id"] for q in timeline["improved"]] == ["beschluss", "koordination"]
    assert timeline["fallen_back"] == []
    # gemeinsame-daten is new in 2.0: the old sheet has no answer, so it is not counted as progress
    assert (timeline["earlier_version"], timeline["not_compared"]) == ("1.0", 1)
    md = tmp_path / "verlauf.md"
    assert runner.invoke(app, ["compare", str(old), str(new), "-o", str(md), *V2]).exit_code == 0
    note = flat(md.read_text(encoding="utf-8"))
    assert "Die Einschätzung vom 1. März 2024 wurde mit Version 1.0 des Fragebogens erstellt" in note
    assert "Auf eine Frage antwortet nur einer der beiden Bögen" in note


def test_assess_on_a_1_0_sheet_says_so_and_asks_what_is_open(tmp_path: Path) -> None:
    from stufenplan_cli.cli.assess_cmd import _welcome_notes
    from stufenplan_cli.files.editing import read_state

    old = tmp_path / "alt.yaml"
    old.write_text(OLD.replace("  qualifizierung: 2\n", ""), encoding="utf-8")
    state = read_state(old, Catalog(extra_dirs=[DATA / "v2"]))
    notes = _welcome_notes(state, None)
    assert notes[0] == "Fortsetzung: 5 von 7 Fragen beantwortet, weiter bei Frage 3."
    assert notes[1].startswith("Der Bogen wurde für Version 1.0 erstellt: Seine Antworten gelten weiter")
    iv = Interview(state.questionnaire, Store(), answers=state.answers)
    assert label(iv.step) == "q:qualifizierung 3/7"
    assert walk(iv, "1", "") == ["q:qualifizierung 3/7", "intro:3 2/2"]  # answered ones are passed
    assert label(iv.step) == "q:gemeinsame-daten 7/7"  # new in 2.0, its condition (kooperation 2) holds


def test_help_longer_than_a_screen_comes_in_two_pages_and_an_answer_counts_on_either() -> None:
    """2.0 help texts with an example do not fit 80×24: text first, Enter shows the example and the keys."""
    import io

    from rich.console import Console

    from stufenplan_cli.cli.tui import Screen, run

    q = Catalog().by_id("kurzcheck")
    typed = iter(
        ["2", "?", "", "", "?", "3", "q"]
    )  # answer 1; help on 2: page 1, page 2, back; help again, answer
    screen = Screen(
        Console(file=io.StringIO(), width=80, height=24, color_system=None, highlight=False),
        read=lambda prompt: next(typed),
    )
    store = Store()
    first, second = q.questions[0].id, q.questions[1].id  # s1-grundsatzbeschluss, s1-verantwortung
    iv = Interview(q, store, answers={})
    iv.handle("")  # past the stage header
    assert not run(screen, iv, Path("bogen.yaml"))  # ends with q
    shown = screen.console.file.getvalue()  # type: ignore[attr-defined]
    assert "Hilfe zu Frage 2 von 16\n" in shown and "Hilfe zu Frage 2 von 16 (Fortsetzung)" in shown
    assert "Enter: weiter, das Beispiel aus der Praxis · oder gleich hier antworten" in shown
    assert store.sheet == {first: Answer(value=2), second: Answer(value=3)}  # typed at the first help page
