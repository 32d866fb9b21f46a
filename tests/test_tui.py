"""The assess screens drawn into an 80×24 console without a terminal: layout, counts and wording."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from stufenplan_cli.cli.tui import Screen, run, show_result, view_of, welcome
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import score_file
from stufenplan_cli.render.sentences import sentences
from stufenplan_cli.services.interview import AskQuestion, Interview, question_order
from tests.conftest import DATA
from tests.test_interview import ORDER


class Store:
    def set_answer(self, question_id: str, answer: Answer | None) -> None: ...

    def set_municipality(self, values: dict[str, Any]) -> None: ...

    def set_assessed_on(self, day: dt.date) -> None: ...


def console(width: int = 80, height: int = 24) -> Console:
    return Console(file=io.StringIO(), width=width, height=height, color_system=None, highlight=False)


def text_of(screen: Screen) -> str:
    file = screen.console.file
    assert isinstance(file, io.StringIO)
    return "\n".join(line.rstrip() for line in file.getvalue().split("\n"))


def scripted(lines: list[str]) -> Screen:
    typed: Iterator[str] = iter(lines)
    return Screen(console(), read=lambda prompt: next(typed))


def rendered(screen: Screen, step: Any) -> list[str]:
    """The lines of the view ``assess`` would draw for ``step``, as plain text."""
    view = view_of(screen, step, Path("bogen.yaml"), "")
    lines = screen.console.render_lines(view, screen.console.options, pad=False)
    return ["".join(segment.text for segment in line).rstrip() for line in lines]


@pytest.fixture(scope="module")
def stufenplan() -> Questionnaire:
    return Catalog().by_id("stufenplan")


def test_question_header_names_the_stage_once_and_the_bar_is_full_only_when_all_are_answered(
    stufenplan: Questionnaire,
) -> None:
    order = question_order(stufenplan)
    top = {x.id: max(o.value for o in stufenplan.options_for(x)) for x in order}
    answers = {x.id: Answer(value=top[x.id]) for x in order[:-1]}  # 69 of 70, every follow-up asked
    iv = Interview(stufenplan, Store(), answers=answers)
    step = iv.step
    assert isinstance(step, AskQuestion) and step.number == 70
    lines = rendered(Screen(console()), step)
    assert lines[0].startswith("Frage 70 von 70 · Stufe 4 von 4  ")
    assert lines[0].endswith("69 beantwortet") and "░" in lines[0]  # 69/70 is not a full bar
    assert lines[1] == "Digitale Lösungen als fester Bestandteil der Daseinsvorsorge"
    assert sum(line.count("Stufe 4") for line in lines) == 1


@pytest.mark.parametrize("questionnaire", ["stufenplan", "kurzcheck"])
@pytest.mark.parametrize(
    "notes",
    [
        [],
        ["Fortsetzung: 9 von 70 Fragen beantwortet, weiter bei Frage 10."],
        ["Fortsetzung: 9 von 70 Fragen beantwortet, weiter bei Frage 10.", "Hinweis: Bogen für Version 0.9."],
    ],
)
def test_welcome_fits_80_by_24_and_cuts_the_description_only_betweensentences(
    questionnaire: str, notes: list[str]
) -> None:
    q = Catalog().by_id(questionnaire)
    screen = Screen(console(), read=lambda prompt: "")
    assert welcome(screen, q, Path(f"{q.id}-stadt-bad-dueben.yaml"), notes)
    lines = text_of(screen).rstrip("\n").split("\n")
    assert len(lines) <= 23, lines  # and the prompt line below
    body = " ".join(lines[2 : lines.index(next(x for x in lines if " Fragen in " in x))])
    shown = " ".join(body.split()).removesuffix(" …")
    parts = sentences(q.description or "")
    assert any(shown == " ".join(parts[:n]) for n in range(1, len(parts) + 1)), shown
    assert "q" in text_of(screen) and "speichern und beenden" in text_of(screen)


def test_welcome_with_room_shows_the_whole_description_and_every_key_in_its_own_row() -> None:
    q = Catalog().by_id("stufenplan")
    screen = Screen(console(100, 40), read=lambda prompt: "")
    welcome(screen, q, None, [])
    text = text_of(screen)
    assert "ersetzt keine offizielle Bewertung." in " ".join(text.split())
    # 32 questions when every answer is the lowest (follow-ups fall away), 70 at most; a minute each
    assert "35–70 Fragen in 4 Stufen (Folgefragen nur bei Bedarf) · etwa 35–70 Minuten" in text
    assert "zurück zur vorigen Frage" in text


def test_enter_on_an_open_question_says_it_was_skipped(mini: Questionnaire) -> None:
    screen = scripted(["", "", "q"])
    iv = Interview(mini, Store())
    assert run(screen, iv, Path("bogen.yaml")) is False
    assert "Hinweis: Frage 1 übersprungen; sie bleibt offen bis zur Überprüfung am Ende." in text_of(screen)


def test_a_stage_header_in_review_says_how_many_of_its_questions_come(mini: Questionnaire) -> None:
    answers = {"beschluss": Answer(value=3), "verantwortung": Answer(value="unknown")}
    iv = Interview(mini, Store(), answers=answers, review_only=True)
    lines = rendered(Screen(console()), iv.step)
    assert "3 Fragen, davon 2 zur Überprüfung · Schwelle: 60 % der möglichen Punkte" in lines


def test_result_with_room_comes_at_once_with_placement_once_and_the_report_command_last() -> None:
    cat = Catalog(extra_dirs=[DATA])
    result = score_file(DATA / "mini-sheet.yaml", cat)
    screen = Screen(console(80, 60), read=lambda prompt: pytest.fail("no pause when it fits"))
    show_result(
        screen, result, cat.by_id("mini"), "stufenplan report mini-sheet.yaml", DATA / "mini-sheet.yaml"
    )
    text = text_of(screen)
    assert text.count("Stufe 2 – Implementierung digitaler Lösungen") == 1
    order = ["Ergebnis der Selbsteinschätzung", "  Stufe 1 ", "Profil nach Dimensionen", "nächsten Schritt"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert text.rstrip().endswith("  stufenplan report mini-sheet.yaml")


@pytest.mark.parametrize(
    "questionnaire",
    [
        "stufenplan",
        "kurzcheck",
    ],
)
def test_a_result_taller_than_24_rows_comes_in_two_screens_that_each_fit(
    tmp_path: Path, questionnaire: str
) -> None:
    q = Catalog().by_id(questionnaire)
    sheet = tmp_path / "bogen.yaml"
    lines = [f"questionnaire: {q.id}", "municipality: {name: Gemeinde Müßig-Öd}", "answers:"]
    given: dict[str, int] = {}
    for i, x in enumerate(q.questions):  # a follow-up is answered only when its condition holds
        if x.when is None or given.get(x.when.question, 0) >= x.when.min:
            given[x.id] = i % 3
    lines += [f"  {qid}: {value}" for qid, value in given.items()]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = score_file(sheet, Catalog())
    asked: list[str] = []
    terminal = Console(
        file=io.StringIO(), width=80, height=24, force_terminal=True, color_system=None, highlight=False
    )
    screen = Screen(terminal, read=lambda prompt: asked.append(prompt) or "")
    show_result(screen, result, q, "stufenplan report bogen.yaml --format html,pdf", sheet)
    assert len(asked) == 1  # one pause between the two parts
    text = text_of(screen).split("\x1b[H")[-1]  # after clearing the screen
    first, second = text.split("Weiter mit Enter: die nächsten Schritte und der Befehl für den Bericht\n")
    assert len(first.rstrip("\n").split("\n")) <= 22  # with the pause line and the prompt: 24
    assert "Gemeinde Müßig-Öd: " in first and "  Stufe 1 " in first and "Profil nach Dimensionen" in first
    assert len(second.rstrip("\n").split("\n")) <= 23, second  # and the shell's prompt below
    assert "wichtigsten nächsten Schritte" in second
    assert second.rstrip().endswith("stufenplan report bogen.yaml --format html,pdf")


def test_help_puts_the_example_under_its_own_heading(stufenplan: Questionnaire) -> None:
    from stufenplan_cli.cli.views import help_view

    iv = Interview(stufenplan, Store())
    iv.handle("")  # the header of stage 1
    step = iv.step
    assert isinstance(step, AskQuestion)
    question = next(x for x in question_order(stufenplan) if x.example)
    step = AskQuestion(question, step.stage, step.stages, step.options, 1, 70, 0, None)
    screen = Screen(console())
    lines = screen.console.render_lines(help_view(step), screen.console.options, pad=False)
    text = ["".join(segment.text for segment in line).rstrip() for line in lines]
    heading = text.index("Beispiel aus der Praxis")
    assert text[heading + 1].startswith(question.example.split(":")[0] + ":")
    assert not any(line.startswith("Beispiel: ") for line in text)


@pytest.mark.parametrize(
    ("answers", "review", "note", "duration"),
    [
        (
            {"beschluss": 3},
            False,
            "Fortsetzung: 1 von 6 Fragen beantwortet, weiter bei Frage 2.",
            "noch etwa 5",
        ),
        (
            {"beschluss": 3, "verantwortung": "unknown", "pilot": 1},
            True,
            "Überprüfung von 6 Fragen: 3 offen, 1 mit „weiß nicht“ beantwortet.",
            "noch etwa 5",
        ),
        (
            {x: 1 for x in ORDER},
            False,
            "Alle 6 Fragen sind beantwortet; weiter zur Überprüfung vor dem Abschluss.",
            None,
        ),
        ({x: 1 for x in ORDER}, True, "Überprüfung: keine Frage ist offen oder mit „weiß nicht“", None),
    ],
)
def test_the_start_of_a_resumed_sheet_says_where_it_goes_on_and_how_long_it_takes(
    mini: Questionnaire, answers: dict[str, Any], review: bool, note: str, duration: str | None
) -> None:
    from stufenplan_cli.cli.assess_cmd import _to_ask, _welcome_notes
    from stufenplan_cli.files.editing import SheetState

    state = SheetState(mini, {"name": "X"}, {k: Answer(value=v) for k, v in answers.items()})
    notes = _welcome_notes(state, None, review)
    assert notes[0].startswith(note)
    screen = Screen(console(), read=lambda prompt: "")
    welcome(screen, mini, Path("bogen.yaml"), notes, _to_ask(state, review))
    line = next(x for x in text_of(screen).splitlines() if "Fragen in 3 Stufen" in x)
    assert line == "6 Fragen in 3 Stufen" if duration is None else line.endswith(f"{duration} Minuten")


@pytest.mark.parametrize(
    "command",
    [
        "stufenplan report kurzcheck-landkreis-vorpommern-greifswald.yaml --format html,pdf",
        "stufenplan report 'Bogen mit Leerzeichen.yaml' --questionnaires-dir "
        "/sehr/langer/pfad/zu/einem/ordner/mit/eigenen/fragebögen --format html,pdf",
        "stufenplan report x.yaml --format html,pdf",
        "stufenplan report stufenplan-gemeinde-uebach-palenberg.yaml --format html,pdf",  # 79 wide
    ],
)
def test_a_long_command_is_continued_between_options_and_runs_as_printed(command: str) -> None:
    import shlex

    from stufenplan_cli.cli.tui import shell_lines

    text = shell_lines(command, 80)
    lines = text.split("\n")
    assert all(len(line) <= 80 for line in lines)
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert shlex.split(text.replace("\\\n", " ")) == shlex.split(command)  # as a shell reads it
    assert not any(line.strip().startswith("html,pdf") for line in lines)  # an option keeps its value
    if len(command) + 2 <= 80:  # what fits stays on one line
        assert text == "  " + command
