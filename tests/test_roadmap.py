"""The roadmap: which gaps become measures, in which order, with who acts and when."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.roadmap import GROUP_ORDER, roadmap
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.files.reading import load
from stufenplan_cli.files.sheets import load_sheet
from stufenplan_cli.files.validation import questionnaire_from
from tests.conftest import DATA, make_sheet


@pytest.fixture(scope="module")
def rq() -> Questionnaire:
    return questionnaire_from(load(DATA / "roadmap.yaml"))


@pytest.fixture(scope="module")
def example(rq: Questionnaire) -> Any:
    from stufenplan_cli.files.catalog import Catalog

    loaded = load_sheet(DATA / "roadmap-sheet.yaml", Catalog(extra_dirs=[DATA]))
    result = score(loaded.questionnaire, loaded.sheet)
    return result, roadmap(result, loaded.questionnaire)


def test_order_worked_by_hand(example: Any) -> None:
    # Placement 1. Stage 2 gaps by weight × (1 − points): s2-pilot 1 (key, fails), s2-rechte 1
    # (unknown), s2-werkzeuge 1.5 × 1/3 = 0.5. Stage 1 (reached): s1-qualifizierung 2/3 before
    # s1-stelle 1/3. Stage 3: key s3-kooperation first, then s3-daten; s3-beirat is n/a.
    # Stage 4: key s4-daseinsvorsorge, then s4-wirkung (missing, 1) before s4-betrieb (2/3).
    result, measures = example
    assert result.stage == 1
    assert [m.question for m in measures] == [
        "s2-pilot",
        "s2-rechte",
        "s2-werkzeuge",
        "s1-qualifizierung",
        "s1-stelle",
        "s3-kooperation",
        "s3-daten",
        "s4-daseinsvorsorge",
        "s4-wirkung",
        "s4-betrieb",
    ]
    assert [m.rank for m in measures] == list(range(1, 11))
    assert [m.group for m in measures] == ["key", "next", "next", *["consolidate"] * 2, *["later"] * 5]


def test_measure_fields(example: Any) -> None:
    _, measures = example
    by_id = {m.question: m for m in measures}
    pilot = by_id["s2-pilot"]
    # the measure's name from the questionnaire's action; the recommendation stays the explanation
    assert pilot.action == "Ersten Anwendungsfall mit einem Fachamt als Pilot starten"
    assert pilot.measure is not None and pilot.measure.startswith("Wählen Sie mit einem Fachamt")
    assert pilot.measure.endswith("wer die Lösung danach betreibt.")
    assert pilot.why.label == "Nein" and pilot.why.value == 0 and pilot.why.max_value == 2
    assert pilot.why.note == "Parkraumsensorik liegt wegen Datenschutzfragen auf Eis"
    assert pilot.actor is not None and pilot.actor.title == "Fachämter"
    assert pilot.example and pilot.example.startswith("Braunschweig")
    assert pilot.key and pilot.priority == pytest.approx(1.0)
    # the related Difu tip is the question's first dimension
    werkzeuge = by_id["s2-werkzeuge"]
    assert werkzeuge.tip is not None and werkzeuge.tip.id == "fachverwaltung"
    assert werkzeuge.priority == pytest.approx(0.5)
    rechte = by_id["s2-rechte"]
    assert rechte.why.status == "unknown" and rechte.why.label is None and rechte.why.points == 0
    assert (
        rechte.action is None
    )  # a question without an action: the templates fall back to the recommendation
    assert by_id["s4-wirkung"].why.status == "missing"


def test_horizon_from_question_or_stage_distance(example: Any) -> None:
    _, measures = example
    by_id = {m.question: m for m in measures}
    explicit = by_id["s2-rechte"]
    assert explicit.horizon is not None and explicit.horizon.id == "kurzfristig"
    assert not explicit.horizon_derived
    # placement 1: stage 2 is one step away (first horizon), stage 3 two, stage 4 three
    derived = {q: by_id[q].horizon.id for q in ("s2-pilot", "s3-daten", "s4-wirkung", "s1-qualifizierung")}
    assert derived == {
        "s2-pilot": "kurzfristig",
        "s3-daten": "mittelfristig",
        "s4-wirkung": "langfristig",
        "s1-qualifizierung": "kurzfristig",
    }
    assert all(by_id[q].horizon_derived for q in derived)


def test_nothing_open_means_no_measures_and_na_never_appears(rq: Questionnaire) -> None:
    answers: dict[str, Any] = {q.id: max(o.value for o in rq.options_for(q)) for q in rq.questions}
    answers["s3-beirat"] = "n/a"
    result = score(rq, make_sheet(rq, answers))
    assert result.stage == 4
    assert roadmap(result, rq) == []


def test_placement_zero_starts_with_stage_one_key_questions(rq: Questionnaire) -> None:
    result = score(rq, make_sheet(rq, {"s1-beschluss": 0, "s1-stelle": 3, "s1-qualifizierung": 3}))
    assert result.stage == 0
    measures = roadmap(result, rq)
    assert measures[0].question == "s1-beschluss" and measures[0].group == "key"
    assert "consolidate" not in {m.group for m in measures}


def test_without_horizons_there_is_no_horizon(rq: Questionnaire) -> None:
    data = rq.model_dump(exclude_none=True)
    data["horizons"] = []
    for q in data["questions"]:
        q.pop("horizon", None)
    bare = Questionnaire.model_validate(data)
    result = score(bare, make_sheet(bare, {}))
    assert all(m.horizon is None for m in roadmap(result, bare))


VALUES = st.sampled_from([0, 1, 2, 3, "unknown", "n/a", None])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_roadmap_holds_exactly_the_open_questions_in_group_order(rq: Questionnaire, data: Any) -> None:
    answers: dict[str, Any] = {}
    for q in rq.questions:
        value = data.draw(VALUES, label=q.id)
        if isinstance(value, int):
            value = min(value, max(o.value for o in rq.options_for(q)))
        if value is not None:
            answers[q.id] = value
    result = score(rq, make_sheet(rq, answers))
    measures = roadmap(result, rq)
    open_ids = {r.id for r in result.questions if r.points is not None and r.points < 1}
    assert {m.question for m in measures} == open_ids
    assert len(measures) == len(open_ids)
    assert [m.rank for m in measures] == list(range(1, len(measures) + 1))
    groups = [GROUP_ORDER.index(m.group) for m in measures]
    assert groups == sorted(groups)
    nxt = result.next_stage.id if result.next_stage else None  # the lowest stage still open
    assert [m.question for m in measures if m.group == "key"] == (
        result.next_stage.key_failed if result.next_stage else []
    )
    assert all(m.stage == nxt for m in measures if m.group in ("key", "next"))
    met = {s.id for s in result.stages if s.reached}
    assert all(m.stage in met for m in measures if m.group == "consolidate")
    later = [m.stage for m in measures if m.group == "later"]
    assert later == sorted(later) and all(nxt is not None and s > nxt and s not in met for s in later)


# ----- format 2.0: the measure for the level the sheet holds -----


def _measures(q: Questionnaire, answers: dict[str, Any], assessed_on: str | None = "2026-08-31") -> Any:
    sheet = make_sheet(q, answers)
    if assessed_on:
        import datetime as dt

        sheet = sheet.model_copy(update={"assessed_on": dt.date.fromisoformat(assessed_on)})
    return {m.question: m for m in roadmap(score(q, sheet), q)}


def test_the_measure_is_the_next_step_of_the_option_held(mini2: Questionnaire) -> None:
    measures = _measures(mini2, {"beschluss": 2, "koordination": 3})
    m = measures["beschluss"]
    assert (m.action, m.measure, m.from_option, m.clarify) == (
        "Beschluss fassen",
        "Der Rat fasst den Grundsatzbeschluss.",
        2,
        False,
    )
    assert m.effort is not None and m.effort.id == "mittel"  # the option's effort overrides the question's
    assert m.effort.staff_days == (10, 40)
    assert m.actor is not None and m.actor.id == "politik"
    # kurzfristig: 6 months after the 31 August 2026 is the last day of February 2027
    assert m.due == "2027-02-28"
    assert "koordination" not in measures  # at its best option: no measure
    first = _measures(mini2, {"beschluss": 0})["beschluss"]
    assert (first.action, first.from_option) == ("Beschlussvorlage erarbeiten", 0)
    assert first.effort is not None and first.effort.id == "gering"  # the question's effort


def test_an_open_answer_is_clarified_first_with_the_first_step_behind_it(mini2: Questionnaire) -> None:
    measures = _measures(mini2, {"beschluss": "weiß nicht"})
    assert measures["beschluss"].clarify and measures["beschluss"].why.status == "unknown"
    assert measures["beschluss"].action == "Beschlussvorlage erarbeiten"
    missing = _measures(mini2, {})["beschluss"]
    assert missing.clarify and missing.from_option == 0


def test_without_next_the_question_text_is_the_measure_and_without_a_date_there_is_no_due_date(
    mini2: Questionnaire,
) -> None:
    measures = _measures(mini2, {"koordination": 1, "kooperation": 1}, assessed_on=None)
    k = measures["koordination"]
    assert (k.action, k.measure, k.from_option) == (
        "Verantwortliche Stelle benennen",
        "Die Verwaltungsspitze benennt eine verantwortliche Stelle.",
        None,
    )
    assert k.due is None and k.effort is None
    assert (
        measures["kooperation"].horizon is not None and measures["kooperation"].horizon.id == "mittelfristig"
    )


def test_a_skipped_follow_up_gets_no_measure(mini2: Questionnaire) -> None:
    measures = _measures(mini2, {"kooperation": 1})
    assert "kooperation" in measures and "gemeinsame-daten" not in measures
    assert "gemeinsame-daten" in _measures(mini2, {"kooperation": 2})


def test_due_date_follows_the_horizon_months(mini2: Questionnaire) -> None:
    measures = _measures(mini2, {"kooperation": 2}, assessed_on="2026-03-15")
    assert measures["kooperation"].due == "2027-09-15"  # mittelfristig: 18 months
