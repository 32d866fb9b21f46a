"""The assess interview without a terminal: order, navigation, resume, review, and what is saved when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Option, Questionnaire
from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.services.interview import (
    AskMeta,
    AskQuestion,
    Command,
    Interview,
    Review,
    StageIntro,
    Step,
    check_meta,
    default_sheet_path,
    parse_answer,
    slug,
    values_text,
)

# The order of tests/data/mini.yaml, stage by stage.
ORDER = ["beschluss", "verantwortung", "qualifizierung", "pilot", "werkzeuge", "kooperation"]
SCALE = [Option(value=v, label=str(v)) for v in range(4)]


class Recorder:
    """A store that remembers every call and what the interview showed at that moment."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.interview: Interview | None = None
        self.shown_at_save: list[Step | None] = []

    def set_answer(self, question_id: str, answer: Answer | None) -> None:
        self.calls.append(("answer", (question_id, answer)))
        self.shown_at_save.append(self.interview.step if self.interview else None)

    def set_municipality(self, values: dict[str, Any]) -> None:
        self.calls.append(("municipality", values))

    def set_assessed_on(self, day: dt.date) -> None:
        self.calls.append(("assessed_on", day))


def make(
    q: Questionnaire, answers: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[Interview, Recorder]:
    store = Recorder()
    parsed = {k: v if isinstance(v, Answer) else Answer(value=v) for k, v in (answers or {}).items()}
    interview = Interview(q, store, answers=parsed, today=lambda: dt.date(2026, 3, 1), **kwargs)
    store.interview = interview
    return interview, store


def walk(interview: Interview, *lines: str) -> list[str]:
    """Type each line; return what was shown before each (q:<id>, intro:<n>, meta:<key>, review)."""
    shown = []
    for line in lines:
        shown.append(label(interview.step))
        interview.handle(line)
    return shown


def label(step: Step | None) -> str:
    if isinstance(step, AskQuestion):
        return f"q:{step.question.id}"
    if isinstance(step, StageIntro):
        return f"intro:{step.stage.id}"
    if isinstance(step, AskMeta):
        return f"meta:{step.field.key}"
    if isinstance(step, Review):
        return "review"
    return "end"


def test_walks_stage_by_stage_with_a_header_before_each_stage(mini: Questionnaire) -> None:
    iv, store = make(mini)
    shown = walk(iv, "", "3", "2", "1", "", "2", "0", "", "3", "")
    assert shown == [
        "intro:1",
        "q:beschluss",
        "q:verantwortung",
        "q:qualifizierung",
        "intro:2",
        "q:pilot",
        "q:werkzeuge",
        "intro:3",
        "q:kooperation",
        "review",
    ]
    assert iv.finished and iv.step is None
    saved = [args for kind, args in store.calls if kind == "answer"]
    assert saved == [
        ("beschluss", Answer(value=3)),
        ("verantwortung", Answer(value=2)),
        ("qualifizierung", Answer(value=1)),
        ("pilot", Answer(value=2)),
        ("werkzeuge", Answer(value=0)),
        ("kooperation", Answer(value=3)),
    ]
    assert store.calls[-1] == ("assessed_on", dt.date(2026, 3, 1))


def test_questions_listed_out_of_stage_order_are_asked_stage_by_stage(mini: Questionnaire) -> None:
    data = mini.model_dump()
    data["questions"] = list(reversed(data["questions"]))
    shuffled = Questionnaire.model_validate(data)
    iv, _ = make(shuffled)
    numbers = []
    while not isinstance(iv.step, Review):
        step = iv.step
        if isinstance(step, AskQuestion):
            numbers.append((step.number, step.question.id, step.stage.id))
        iv.handle("1" if isinstance(step, AskQuestion) else "")
    assert [n for n, _, _ in numbers] == [1, 2, 3, 4, 5, 6]
    assert [s for _, _, s in numbers] == [1, 1, 1, 2, 2, 3]


def test_an_answer_is_saved_while_its_question_is_still_on_screen(mini: Questionnaire) -> None:
    iv, store = make(mini)
    walk(iv, "", "3", "2 Stabsstelle seit 2024")
    assert [label(s) for s in store.shown_at_save] == ["q:beschluss", "q:verantwortung"]
    assert iv.answers["verantwortung"] == Answer(value=2, note="Stabsstelle seit 2024")


def test_back_at_the_first_question_stays_there_with_a_hint(mini: Questionnaire) -> None:
    iv, store = make(mini)
    iv.handle("")  # past the stage header
    outcome = iv.handle("z")
    assert outcome.kind == "hint" and "erste Frage" in outcome.hint
    assert label(iv.step) == "q:beschluss"
    assert store.calls == []


def test_back_skips_stage_headers_and_enter_keeps_the_earlier_answer(mini: Questionnaire) -> None:
    iv, store = make(mini)
    walk(iv, "", "3", "2", "1", "")  # now at pilot, the first question of stage 2
    assert label(iv.step) == "q:pilot"
    iv.handle("z")
    step = iv.step
    assert isinstance(step, AskQuestion) and step.question.id == "qualifizierung"
    assert step.current == Answer(value=1)
    outcome = iv.handle("")
    assert outcome.kind == "kept"
    assert label(iv.step) == "intro:2"
    assert len(store.calls) == 3  # keeping writes nothing


def test_going_back_and_changing_keeps_a_note_until_a_new_one_is_given(mini: Questionnaire) -> None:
    iv, _ = make(mini)
    walk(iv, "", "3 Beschluss 2023", "z", "2")
    assert iv.answers["beschluss"] == Answer(value=2, note="Beschluss 2023")
    walk(iv, "z", "1 Beschluss aufgehoben")
    assert iv.answers["beschluss"] == Answer(value=1, note="Beschluss aufgehoben")


@pytest.mark.parametrize("line", ["7", "abc", "3,5", "-1", "z zurück", "q jetzt", "²", "3.0"])
def test_invalid_input_gives_a_hint_and_records_nothing(mini: Questionnaire, line: str) -> None:
    iv, store = make(mini)
    iv.handle("")
    outcome = iv.handle(line)
    assert outcome.kind == "hint" and outcome.hint
    assert label(iv.step) == "q:beschluss"
    assert store.calls == [] and iv.answers == {}


def test_a_value_that_only_another_question_has_is_refused(mini: Questionnaire) -> None:
    iv, _ = make(mini, {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3})
    iv.handle("")  # the header of stage 2
    assert label(iv.step) == "q:pilot"
    outcome = iv.handle("3")  # pilot's options are 0, 1, 2
    assert outcome.kind == "hint" and "möglich sind 0–2" in outcome.hint
    assert "pilot" not in iv.answers


@pytest.mark.parametrize(
    ("answers", "start", "number"),
    [
        ({}, "intro:1", 1),
        ({"beschluss": 3}, "q:verantwortung", 2),
        ({"beschluss": 3, "verantwortung": 1, "qualifizierung": "unknown"}, "intro:2", 4),
        # a hole left in a hand-edited sheet is found even with later answers present
        ({"beschluss": 3, "qualifizierung": 1, "pilot": 2}, "q:verantwortung", 2),
        ({q: 1 for q in ORDER}, "review", None),
    ],
)
def test_resume_starts_at_the_first_unanswered_question(
    mini: Questionnaire, answers: dict[str, Any], start: str, number: int | None
) -> None:
    iv, _ = make(mini, answers)
    assert label(iv.step) == start
    assert iv.resume_number == number


def test_resume_skips_questions_answered_before_but_not_after_going_back(mini: Questionnaire) -> None:
    iv, _ = make(mini, {"beschluss": 3, "qualifizierung": 1, "pilot": 2})
    shown = walk(iv, "2", "", "1")
    assert shown == ["q:verantwortung", "intro:2", "q:werkzeuge"]
    assert label(iv.step) == "intro:3"
    # back twice and forward again passes each question on the way
    shown = walk(iv, "z", "z", "", "", "", "")
    assert shown == ["intro:3", "q:werkzeuge", "q:pilot", "q:werkzeuge", "intro:3", "q:kooperation"]
    assert label(iv.step) == "review"


def test_resume_skips_a_stage_whose_questions_are_all_answered(mini: Questionnaire) -> None:
    iv, _ = make(mini, {"beschluss": 3, "qualifizierung": 1, "pilot": 2, "werkzeuge": 1})
    assert walk(iv, "2") == ["q:verantwortung"]
    assert label(iv.step) == "intro:3"


def test_resume_can_go_back_to_answered_questions(mini: Questionnaire) -> None:
    iv, _ = make(mini, {"beschluss": 3, "verantwortung": 1})
    iv.handle("z")
    step = iv.step
    assert (
        isinstance(step, AskQuestion)
        and step.question.id == "verantwortung"
        and step.current == Answer(value=1)
    )


def test_review_mode_walks_only_unanswered_and_unknown(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": "unknown", "pilot": "n/a", "werkzeuge": 2}
    iv, store = make(mini, answers, review_only=True)
    shown = walk(iv, "", "2", "1", "", "3")
    assert shown == ["intro:1", "q:verantwortung", "q:qualifizierung", "intro:3", "q:kooperation"]
    iv3, _ = make(mini, answers, review_only=True)
    intro = iv3.step
    assert isinstance(intro, StageIntro) and (intro.asked, intro.questions) == (2, 3)
    assert label(iv.step) == "review"
    # the numbers are those of the whole questionnaire
    iv2, _ = make(mini, answers, review_only=True)
    iv2.handle("")
    step = iv2.step
    assert isinstance(step, AskQuestion) and (step.number, step.total) == (2, 6)
    assert len(store.calls) == 3


def test_enter_on_an_unanswered_question_skips_it_and_saves_nothing(mini: Questionnaire) -> None:
    iv, store = make(mini)
    assert walk(iv, "", "", "2") == ["intro:1", "q:beschluss", "q:verantwortung"]
    assert list(iv.answers) == ["verantwortung"]
    assert [args[0] for kind, args in store.calls] == ["verantwortung"]


def test_review_lists_open_unknown_and_not_applicable_and_revisits_them(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": "unknown", "pilot": "n/a", "werkzeuge": 2, "kooperation": 1}
    iv, store = make(mini, answers)
    assert iv.handle("").kind == "skipped"  # qualifizierung; the answered rest is not asked again
    review = iv.step
    assert isinstance(review, Review)
    assert [(n, q.id) for n, q in review.unanswered] == [(3, "qualifizierung")]
    assert [(n, q.id) for n, q in review.unknown] == [(2, "verantwortung")]
    assert [(n, q.id) for n, q in review.not_applicable] == [(4, "pilot")]
    shown = walk(iv, "a", "", "2", "1", "", "n")
    assert shown == ["review", "intro:1", "q:verantwortung", "q:qualifizierung", "intro:2", "q:pilot"]
    again = iv.step
    assert isinstance(again, Review) and not again.unanswered and not again.unknown
    assert [q.id for _, q in again.not_applicable] == ["pilot"]
    iv.handle("")
    assert iv.finished
    assert ("assessed_on", dt.date(2026, 3, 1)) in store.calls


def test_review_opens_one_question_by_number_and_comes_back(mini: Questionnaire) -> None:
    iv, _ = make(mini, {q: 1 for q in ORDER})
    assert walk(iv, "5", "3") == ["review", "q:werkzeuge"]
    assert label(iv.step) == "review"
    assert iv.answers["werkzeuge"] == Answer(value=3)
    assert iv.handle("9").kind == "hint"
    assert iv.handle("x").kind == "hint"
    assert iv.handle("z").kind == "moved"
    assert label(iv.step) == "q:werkzeuge"


def test_finishing_keeps_an_existing_assessment_date(mini: Questionnaire) -> None:
    iv, store = make(mini, {q: 1 for q in ORDER}, assessed_on=dt.date(2025, 1, 2))
    iv.handle("")
    assert iv.finished and store.calls == []


def test_quit_ends_without_finishing(mini: Questionnaire) -> None:
    iv, store = make(mini)
    assert iv.handle("q").kind == "quit"
    assert iv.step is None and iv.quit and not iv.finished and store.calls == []


def test_metadata_is_asked_first_checked_and_saved_field_by_field(mini: Questionnaire) -> None:
    iv, store = make(mini, ask_meta=True, municipality={"name": "Musterhausen"})
    assert label(iv.step) == "meta:ags"
    assert "AGS '2' hat eine Ziffer;" in (iv.handle("2").hint or "")
    outcome = iv.handle("1234")
    assert outcome.kind == "hint" and "4 Ziffern" in outcome.hint
    back = iv.handle("z")  # nothing before the first metadata question but the name
    assert back.kind == "hint" and "Name" in back.hint and "Antwortbogen" in back.hint
    shown = walk(iv, "09162000", "", "12.000")
    assert shown == ["meta:ags", "meta:kind", "meta:population"]
    assert store.calls == [("municipality", {"ags": "09162000"}), ("municipality", {"population": 12000})]
    assert label(iv.step) == "intro:1"
    iv.handle("")
    iv.handle("z")  # back from the first question reaches the metadata
    assert label(iv.step) == "meta:population"
    step = iv.step
    assert isinstance(step, AskMeta) and step.current == 12000


def test_metadata_then_resume_position(mini: Questionnaire) -> None:
    iv, _ = make(mini, {"beschluss": 1}, ask_meta=True, municipality={"name": "X"})
    walk(iv, "", "", "")
    assert label(iv.step) == "q:verantwortung"


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("ags", " 09162000 ", "09162000"),
        ("ags", "05", "05"),
        ("population", "12000", 12000),
        ("population", "1.234.567", 1234567),
        ("population", "12 000", 12000),
        ("kind", "Verbandsgemeinde", "Verbandsgemeinde"),
        ("name", "  Gemeinde   Musterhausen ", "Gemeinde Musterhausen"),
    ],
)
def test_check_meta_accepts(key: str, text: str, expected: object) -> None:
    assert check_meta(key, text) == expected


@pytest.mark.parametrize(
    ("key", "text"),
    [("ags", "0916200"), ("ags", "09 16a"), ("population", "-5"), ("population", "12,5"), ("name", " ")],
)
def test_check_meta_refuses(key: str, text: str) -> None:
    with pytest.raises(ValueError):
        check_meta(key, text)


@pytest.mark.parametrize(
    ("line", "kind", "answer"),
    [
        ("3", "answer", Answer(value=3)),
        ("  3   Lenkungskreis   seit 2023 ", "answer", Answer(value=3, note="Lenkungskreis seit 2023")),
        ("2\tStabsstelle", "answer", Answer(value=2, note="Stabsstelle")),
        ("w", "answer", Answer(value="unknown")),
        ("W Zuständigkeit klären", "answer", Answer(value="unknown", note="Zuständigkeit klären")),
        ("weiß nicht", "answer", Answer(value="unknown")),
        ("n", "answer", Answer(value="n/a")),
        ("nicht zutreffend", "answer", Answer(value="n/a")),
        ("n keine Nachbarkommune", "answer", Answer(value="n/a", note="keine Nachbarkommune")),
        ("Z", "back", None),
        ("?", "help", None),
        ("q", "quit", None),
        ("", "keep", Answer(value=1)),
    ],
)
def test_parse_answer(line: str, kind: str, answer: Answer | None) -> None:
    command = parse_answer(line, SCALE, Answer(value=1))
    assert command.kind == kind
    assert command.answer == answer


@given(st.lists(st.text(max_size=12), max_size=40))
@settings(max_examples=150, deadline=None)
def test_no_typed_line_crashes_or_records_a_value_that_is_no_option(lines: list[str]) -> None:
    from stufenplan_cli.files.reading import load
    from stufenplan_cli.files.validation import questionnaire_from
    from tests.conftest import DATA

    q = questionnaire_from(load(DATA / "mini.yaml"))
    iv, store = make(q, ask_meta=True, municipality={"name": "X"})
    for line in lines:
        if iv.step is None:
            break
        iv.handle(line)
    for kind, args in store.calls:
        if kind == "answer":
            qid, answer = args
            if isinstance(answer.value, int):
                assert answer.value in [o.value for o in q.options_for(q.question_by_id[qid])]
    assert set(iv.answers) <= set(ORDER)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Musterhausen", "musterhausen"),
        ("Gemeinde Müßig-Öd", "gemeinde-muessig-oed"),
        ("Landkreis Ärzte & Übach-Palenberg", "landkreis-aerzte-uebach-palenberg"),
        ("Saint-Étienne", "saint-etienne"),
        ("   ", "kommune"),
        ("東京", "kommune-130016b2"),  # no Latin spelling: a checksum keeps it apart from other such names
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_default_sheet_path_names_questionnaire_and_municipality() -> None:
    assert default_sheet_path("stufenplan", "Gemeinde Musterhausen") == Path(
        "stufenplan-gemeinde-musterhausen.yaml"
    )
    assert default_sheet_path("kurzcheck", "Köln", Path("out")) == Path("out/kurzcheck-koeln.yaml")


@given(st.text())
def test_slug_is_always_a_safe_file_name(name: str) -> None:
    result = slug(name)
    assert result and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in result)
    assert not result.startswith("-") and not result.endswith("-")


@pytest.mark.parametrize("raw", ["²", "٣", "①"])
def test_unicode_digits_are_no_answer_values(raw: str) -> None:
    from stufenplan_cli.domain.models.sheet import normalise_value

    assert normalise_value(raw) == raw


def test_full_width_digits_from_an_input_method_answer_like_ascii_digits() -> None:
    assert parse_answer("３ Lenkungskreis", SCALE, None) == Command(
        "answer", answer=Answer(value=3, note="Lenkungskreis")
    )
    assert parse_answer("９", SCALE, None).kind == "invalid"  # still only the question's options


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("abc", "Nicht verstanden: „abc“ – möglich sind 0–3, w, n, z, ? oder q."),
        ("Lenkungskreis seit 2023", "Nicht verstanden: „Lenkungskre…“ – möglich sind"),
        ("z bitte", "„z“ allein eingeben, ohne Text dahinter."),
        ("7", "7 ist keine Option dieser Frage; möglich sind 0–3."),
    ],
)
def test_hints_quote_what_was_typed_in_german_and_name_the_choices(line: str, hint: str) -> None:
    command = parse_answer(line, SCALE, None)
    assert command.kind == "invalid" and command.hint.startswith(hint)
    assert "'" not in command.hint  # no quotes from Python's repr
    assert len("Hinweis: " + command.hint) <= 80  # one line at 80 columns


def test_two_values_are_listed_and_gaps_are_not_drawn_as_a_range() -> None:
    assert values_text(SCALE) == "0–3"
    assert values_text([Option(value=v, label="x") for v in (0, 1)]) == "0, 1"
    assert values_text([Option(value=v, label="x") for v in (0, 2, 5)]) == "0, 2, 5"


def test_typing_at_a_stage_header_explains_that_enter_goes_on(mini: Questionnaire) -> None:
    iv, store = make(mini)
    outcome = iv.handle("2")
    assert outcome.kind == "hint" and "Enter zeigt die erste Frage" in outcome.hint
    assert label(iv.step) == "intro:1" and store.calls == []
