"""Scores computed by hand (the worked example of docs/scoring.md) and the scoring rules as properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.files.catalog import Catalog
from tests.conftest import make_sheet
from tests.reference_scoring import evaluate, gaps

WORKED = {
    "beschluss": 3,
    "verantwortung": {"value": 2, "note": "Stabsstelle seit 2024"},
    "qualifizierung": "weiß nicht",
    "pilot": 2,
    "werkzeuge": "nicht zutreffend",
    # kooperation: missing
}


def stage(result: Any, sid: int) -> Any:
    return next(s for s in result.stages if s.id == sid)


def test_worked_example_from_docs(mini: Questionnaire) -> None:
    r = score(mini, make_sheet(mini, WORKED))
    # Stage 1: (2×1 + 1×2/3 + 1×0) / (2+1+1) = 2/3 ≥ 0.6, key question 'beschluss' has 1.0 points
    assert stage(r, 1).score == pytest.approx(2 / 3)
    assert stage(r, 1).reached
    # Stage 2: 'werkzeuge' is n/a and left out of both sides; pilot 2/2 = 1.0
    assert stage(r, 2).score == pytest.approx(1.0)
    assert stage(r, 2).reached
    # Stage 3: 'kooperation' is missing and counts 0
    assert stage(r, 3).score == 0.0
    assert not stage(r, 3).reached
    assert r.stage == 2
    assert r.stage_title == "Implementierung digitaler Lösungen"
    dims = {d.id: d.score for d in r.dimensions}
    # strategie: beschluss (w2, 1), verantwortung (2/3), werkzeuge (n/a), kooperation (0) -> (2 + 2/3) / 4
    assert dims["strategie"] == pytest.approx(2 / 3)
    # umsetzung: qualifizierung (0), pilot (1), werkzeuge (n/a) -> 1/2
    assert dims["umsetzung"] == pytest.approx(0.5)
    assert stage(r, 1).gaps == ["qualifizierung", "verantwortung"]
    assert stage(r, 3).gaps == ["kooperation"]
    assert (r.answered, r.unknown, r.not_applicable, r.missing) == (3, 1, 1, 1)
    assert r.next_stage is not None
    assert r.next_stage.id == 3
    assert r.next_stage.gaps == ["kooperation"]
    assert r.next_stage.shortfall == pytest.approx(0.65)
    by_id = {q.id: q for q in r.questions}
    assert by_id["verantwortung"].note == "Stabsstelle seit 2024"
    assert by_id["werkzeuge"].points is None
    # Possible: qualifizierung and kooperation at their best -> stage 1 (2+2/3+1)/4, stage 3 1.0 -> all three
    assert [s.reached_possible for s in r.stages] == [True, True, True]
    assert r.stage_possible == 3
    assert r.stage_possible_title == "Interkommunale Vernetzung"
    # only stage 3 turns on open answers; qualifizierung is open too but stage 1 is met already
    assert r.deciding == ["kooperation"]
    assert r.open_below == []


def test_placement_counts_the_stages_met_and_names_open_lower_ones(mini: Questionnaire) -> None:
    answers = {
        "beschluss": 3,
        "verantwortung": 0,
        "qualifizierung": 0,
        "pilot": 2,
        "werkzeuge": 3,
        "kooperation": 3,
    }
    r = score(mini, make_sheet(mini, answers))
    # Stage 1: 2/4 = 0.5 < 0.6; stages 2 and 3 meet their criteria -> two stages met, stage 1 open
    assert stage(r, 1).score == pytest.approx(0.5)
    assert [s.reached for s in r.stages] == [False, True, True]
    assert [s.score_met for s in r.stages] == [False, True, True]
    assert r.stage == 2
    assert r.stage_title == "Implementierung digitaler Lösungen"
    assert r.open_below == [1]
    assert r.next_stage is not None and r.next_stage.id == 1  # the lowest open stage is the next one
    assert r.stage_possible == 2 and r.deciding == []  # nothing is open: nothing can change it


def test_failed_key_question_blocks_stage_despite_score(mini: Questionnaire) -> None:
    answers = {"beschluss": 1, "verantwortung": 3, "qualifizierung": 3, "pilot": 2, "werkzeuge": 3}
    r = score(mini, make_sheet(mini, answers))
    # (2×1/3 + 1 + 1) / 4 = 0.667 ≥ 0.6, but the key question has 1/3 < 0.5 points
    assert stage(r, 1).score == pytest.approx(2 / 3)
    assert stage(r, 1).key_failed == ["beschluss"]
    assert not stage(r, 1).reached
    # stage 2 (pilot 2/2, werkzeuge 3/3) is met on its own: one stage met, stage 1 named as open
    assert [s.reached for s in r.stages] == [False, True, False]
    assert r.stage == 1 and r.open_below == [1]
    assert r.next_stage is not None and r.next_stage.id == 1
    assert r.next_stage.key_failed == ["beschluss"]
    assert r.next_stage.shortfall == 0.0


def test_key_question_at_exactly_half_passes(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "pilot": 1, "werkzeuge": 3}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 2).key_failed == []
    assert stage(r, 2).score == pytest.approx(0.75)
    assert r.stage == 2


def test_key_question_not_applicable_counts_zero(mini: Questionnaire) -> None:
    answers = {"beschluss": "n/a", "verantwortung": 3, "qualifizierung": 3}
    r = score(mini, make_sheet(mini, answers))
    # n/a on the key question counts 0 in the mean and in the key check: (0 + 1 + 1) / 4 = 0.5
    assert stage(r, 1).key_failed == ["beschluss"]
    assert stage(r, 1).score == pytest.approx(0.5)
    assert not stage(r, 1).reached
    assert next(q for q in r.questions if q.id == "beschluss").status == "n/a"
    zero = score(mini, make_sheet(mini, {**answers, "beschluss": 0}))
    # stages 2 and 3 are unanswered: possible, but stage 1 stays closed either way
    assert (r.stage, r.stage_possible) == (zero.stage, zero.stage_possible) == (0, 2)


def test_stage_with_only_na_counts_its_key_question_zero(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "pilot": "n/a", "werkzeuge": "n/a"}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 2).score == 0.0  # pilot (key) counts 0, werkzeuge is left out
    assert stage(r, 2).key_failed == ["pilot"]
    assert not stage(r, 2).reached
    assert r.stage == 1


def test_stage_without_any_applicable_question_has_no_score(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "kooperation": "n/a"}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 3).score is None and stage(r, 3).gaps == []
    assert not stage(r, 3).reached and not stage(r, 3).reached_possible


def test_unknown_and_missing_count_zero_but_na_is_left_out(mini: Questionnaire) -> None:
    with_unknown = score(
        mini, make_sheet(mini, {"beschluss": 3, "verantwortung": "unknown", "qualifizierung": 3})
    )
    with_missing = score(mini, make_sheet(mini, {"beschluss": 3, "qualifizierung": 3}))
    with_na = score(mini, make_sheet(mini, {"beschluss": 3, "verantwortung": "n/a", "qualifizierung": 3}))
    assert stage(with_unknown, 1).score == pytest.approx(3 / 4)
    assert stage(with_missing, 1).score == pytest.approx(3 / 4)
    assert stage(with_na, 1).score == pytest.approx(1.0)


def test_score_equal_to_threshold_reaches_stage_despite_float_rounding() -> None:
    from stufenplan_cli.domain.models.questionnaire import Questionnaire

    q = Questionnaire.model_validate(
        {
            "id": "grenze",
            "version": "1",
            "title": "Grenze",
            "scale": [{"value": v, "label": str(v)} for v in range(11)],
            "stages": [{"id": 1, "title": "Eins", "threshold": 0.6}],
            "dimensions": [{"id": "d", "title": "D"}],
            "questions": [{"id": f"q{i}", "stage": 1, "dimensions": ["d"], "text": "?"} for i in range(4)],
        }
    )
    # (0.4 + 1.0 + 0.7 + 0.3) / 4 is 0.6 on paper and 0.5999999999999999 in floats
    r = score(q, make_sheet(q, {"q0": 4, "q1": 10, "q2": 7, "q3": 3}))
    assert r.stages[0].score is not None and r.stages[0].score < 0.6
    assert r.stages[0].reached


def test_gap_order_weight_then_questionnaire_order(mini: Questionnaire) -> None:
    sheet = make_sheet(mini, {"beschluss": 2, "verantwortung": 0, "qualifizierung": 1})
    results = [r for r in evaluate(mini, sheet) if r.stage == 1]
    # verantwortung: 1 × 1 = 1; beschluss: 2 × (1 − 2/3) = 2/3; qualifizierung: 1 × (1 − 1/3) = 2/3.
    # The last two tie (although the floats differ in the last bit) and keep questionnaire order.
    assert gaps(results) == ["verantwortung", "beschluss", "qualifizierung"]
    reversed_weights = [r.model_copy(update={"weight": 1.0}) for r in results]
    # all weights 1: verantwortung 1, qualifizierung 2/3, beschluss 1/3
    assert gaps(reversed_weights) == ["verantwortung", "qualifizierung", "beschluss"]


def test_full_marks_have_no_gaps(mini: Questionnaire) -> None:
    answers = {
        "beschluss": 3,
        "verantwortung": 3,
        "qualifizierung": 3,
        "pilot": 2,
        "werkzeuge": 3,
        "kooperation": 3,
    }
    r = score(mini, make_sheet(mini, answers))
    assert all(s.gaps == [] for s in r.stages)
    assert r.stage == 3
    assert r.next_stage is None


def test_question_options_override_scale(mini: Questionnaire) -> None:
    r = score(mini, make_sheet(mini, {"pilot": 1}))
    pilot = next(q for q in r.questions if q.id == "pilot")
    assert pilot.max_value == 2
    assert pilot.points == pytest.approx(0.5)


def test_version_mismatch_warns(mini: Questionnaire) -> None:
    sheet = make_sheet(mini, {}).model_copy(update={"questionnaire_version": "0.9"})
    assert any("0.9" in w for w in score(mini, sheet).warnings)


# ----- properties -----

VALUE = st.one_of(st.integers(min_value=0, max_value=3), st.sampled_from(["unknown", "n/a", None]))


def _answers(mini: Questionnaire, values: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q, v in zip(mini.questions, values, strict=False):
        if v is None:
            continue
        if isinstance(v, int):
            v = min(v, max(o.value for o in mini.options_for(q)))
        out[q.id] = v
    return out


@settings(max_examples=300, deadline=None)
@given(values=st.lists(VALUE, min_size=6, max_size=6), index=st.integers(0, 5), raise_to=st.integers(0, 3))
def test_raising_an_answer_never_lowers_a_score(
    mini: Questionnaire, values: list[Any], index: int, raise_to: int
) -> None:
    q = mini.questions[index]
    top = max(o.value for o in mini.options_for(q))
    before_value = values[index]
    if before_value == "n/a":
        return  # n/a is not on the scale: moving it changes which questions count, not their points
    before_points = before_value if isinstance(before_value, int) else 0
    after_value = min(top, max(min(before_points, top), raise_to))
    after = list(values)
    after[index] = after_value
    r1 = score(mini, make_sheet(mini, _answers(mini, values)))
    r2 = score(mini, make_sheet(mini, _answers(mini, after)))
    for s1, s2 in zip(r1.stages, r2.stages, strict=True):
        if s1.score is not None:
            assert s2.score is not None and s2.score >= s1.score - 1e-12
        assert s2.reached or not s1.reached
    for d1, d2 in zip(r1.dimensions, r2.dimensions, strict=True):
        if d1.score is not None:
            assert d2.score is not None and d2.score >= d1.score - 1e-12
    assert r2.stage >= r1.stage


@settings(max_examples=200, deadline=None)
@given(values=st.lists(VALUE, min_size=6, max_size=6))
def test_invariants(mini: Questionnaire, values: list[Any]) -> None:
    r = score(mini, make_sheet(mini, _answers(mini, values)))
    assert r.question_count == len(mini.questions)
    for s in r.stages:
        assert s.score is None or 0.0 <= s.score <= 1.0
        assert set(s.key_failed) <= set(s.gaps)
        assert not s.reached or (s.score_met and not s.key_failed)
        assert s.reached_possible or not s.reached
    reached = [s.reached for s in r.stages]
    assert r.stage == sum(reached)
    assert r.stage_possible == sum(s.reached_possible for s in r.stages) >= r.stage
    top = max((s.id for s in r.stages if s.reached), default=0)
    assert r.open_below == [s.id for s in r.stages if s.id < top and not s.reached]
    if r.stage_possible == r.stage:
        assert r.deciding == []
    else:
        assert r.deciding, "a possible stage above the secured one must name what decides it"


# ----- the placement rule of format 2.0: secured, possible, deciding, follow-ups -----


def _sheet_values(q: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """Any sheet for ``q``: per question an option value, unknown, n/a or nothing."""
    per_question = {
        question.id: st.one_of(
            st.sampled_from([o.value for o in q.options_for(question)]),
            st.sampled_from(["unknown", "n/a", None]),
        )
        for question in q.questions
    }
    return st.fixed_dictionaries(per_question).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _neighbours(q: Questionnaire, qid: str, value: Any) -> list[Any]:
    """The answers one level away: the adjacent options, and unknown/missing to and from any value."""
    values = [o.value for o in q.options_for(q.question_by_id[qid])]
    if isinstance(value, int):
        i = values.index(value)
        return [values[j] for j in (i - 1, i + 1) if 0 <= j < len(values)] + ["unknown", None]
    return [*values, "unknown", "n/a", None]


def _both(mini: Questionnaire, mini2: Questionnaire) -> list[Questionnaire]:
    """The test questionnaires and the bundled ones: follow-ups stay within their stage, so the rule holds."""
    return [mini, mini2, *_BUNDLED]


_BUNDLED = [Catalog().by_id("stufenplan"), Catalog().by_id("kurzcheck")]


@settings(max_examples=600, deadline=None)
@given(data=st.data(), which=st.sampled_from([0, 1, 2, 3]))
def test_one_answer_one_level_moves_the_secured_placement_by_at_most_one(
    mini: Questionnaire, mini2: Questionnaire, data: st.DataObject, which: int
) -> None:
    q = _both(mini, mini2)[which]
    answers = data.draw(_sheet_values(q))
    qid = data.draw(st.sampled_from([x.id for x in q.questions]))
    new = data.draw(st.sampled_from(_neighbours(q, qid, answers.get(qid))))
    changed = {k: v for k, v in {**answers, qid: new}.items() if v is not None}
    before = score(q, make_sheet(q, answers))
    after = score(q, make_sheet(q, changed))
    assert abs(after.stage - before.stage) <= 1
    assert abs(after.stage_possible - before.stage_possible) <= 1


@settings(max_examples=600, deadline=None)
@given(data=st.data(), which=st.sampled_from([0, 1, 2, 3]))
def test_a_better_answer_never_lowers_either_placement(
    mini: Questionnaire, mini2: Questionnaire, data: st.DataObject, which: int
) -> None:
    q = _both(mini, mini2)[which]
    answers = data.draw(_sheet_values(q))
    qid = data.draw(st.sampled_from([x.id for x in q.questions]))
    current = answers.get(qid)
    values = [o.value for o in q.options_for(q.question_by_id[qid])]
    floor = current if isinstance(current, int) else values[0]
    better = data.draw(st.sampled_from([v for v in values if v >= floor]))
    if current == "n/a":
        return  # n/a is not on the scale (its own property below)
    if not isinstance(current, int) and qid in q.follow_ups:
        # From open to a value below ``min`` skips the follow-ups: their answers stop counting
        # (test_answering_the_condition_below_min_drops_the_follow_up_answer).
        return
    before = score(q, make_sheet(q, answers))
    after = score(q, make_sheet(q, {**answers, qid: better}))
    assert after.stage >= before.stage
    if isinstance(current, int):  # from unknown to a value the possible stage may fall to the real one
        assert after.stage_possible >= before.stage_possible


@settings(max_examples=200, deadline=None)
@given(data=st.data(), which=st.sampled_from([0, 1]))
def test_na_on_a_key_question_never_gives_more_than_zero(
    mini: Questionnaire, mini2: Questionnaire, data: st.DataObject, which: int
) -> None:
    q = _both(mini, mini2)[which]
    answers = data.draw(_sheet_values(q))
    key = data.draw(st.sampled_from([x.id for x in q.questions if x.key]))
    with_na = score(q, make_sheet(q, {**answers, key: "n/a"}))
    with_zero = score(q, make_sheet(q, {**answers, key: 0}))
    assert with_na.stage <= with_zero.stage
    assert with_na.stage_possible <= with_zero.stage_possible


@settings(max_examples=200, deadline=None)
@given(data=st.data(), which=st.sampled_from([0, 1]))
def test_answering_a_deciding_question_at_its_best_stays_within_the_possible(
    mini: Questionnaire, mini2: Questionnaire, data: st.DataObject, which: int
) -> None:
    q = _both(mini, mini2)[which]
    answers = data.draw(_sheet_values(q))
    r = score(q, make_sheet(q, answers))
    assert r.stage_possible >= r.stage
    if not r.deciding:
        return
    qid = data.draw(st.sampled_from(r.deciding))
    after = score(q, make_sheet(q, {**answers, qid: q.max_value_by_id[qid]}))
    assert after.stage <= r.stage_possible
    assert after.stage_possible <= r.stage_possible
    assert after.stage >= r.stage


def test_deciding_questions_key_first_then_weight_then_order(mini2: Questionnaire) -> None:
    # Stage 1 met (beschluss 3, koordination 3); stages 2 and 3 open entirely.
    r = score(mini2, make_sheet(mini2, {"beschluss": 3, "koordination": 3, "qualifizierung": 0}))
    assert r.stage == 1 and r.stage_possible == 3
    # pilot is key; werkzeuge, kooperation and the follow-up gemeinsame-daten weigh 1 each, in file order
    assert r.deciding == ["pilot", "werkzeuge", "kooperation", "gemeinsame-daten"]


def test_skipped_follow_up_counts_as_its_lowest_option(mini2: Questionnaire) -> None:
    base = {"beschluss": 3, "koordination": 3, "qualifizierung": 3, "pilot": 3, "werkzeuge": 3}
    r = score(mini2, make_sheet(mini2, {**base, "kooperation": 1}))
    daten = next(q for q in r.questions if q.id == "gemeinsame-daten")
    assert (daten.status, daten.value, daten.points) == ("skipped", 0, 0.0)
    assert r.skipped == 1 and r.missing == 0 and r.unknown == 0
    # stage 3: (1/3 + 0) / 2 = 1/6; skipped is not open, so nothing can lift it: possible = secured
    assert stage(r, 3).score == pytest.approx(1 / 6)
    assert (r.stage, r.stage_possible, r.deciding) == (2, 2, [])


def test_follow_up_of_an_open_question_is_asked_and_counts_best_when_possible(mini2: Questionnaire) -> None:
    base = {"beschluss": 3, "koordination": 3, "qualifizierung": 3, "pilot": 3, "werkzeuge": 3}
    r = score(mini2, make_sheet(mini2, {**base, "kooperation": "weiß nicht"}))
    daten = next(q for q in r.questions if q.id == "gemeinsame-daten")
    assert daten.status == "missing"  # asked, because kooperation is open; not answered
    assert (r.stage, r.stage_possible) == (2, 3)
    assert r.deciding == ["kooperation", "gemeinsame-daten"]


def test_answer_to_a_skipped_follow_up_does_not_count_and_is_named(mini2: Questionnaire) -> None:
    answers = {"kooperation": 1, "gemeinsame-daten": 3}
    r = score(mini2, make_sheet(mini2, answers))
    daten = next(q for q in r.questions if q.id == "gemeinsame-daten")
    assert daten.status == "skipped" and daten.points == 0.0
    assert any("gemeinsame-daten" in w and "wird ignoriert" in w for w in r.warnings)
    na = score(mini2, make_sheet(mini2, {"kooperation": "n/a"}))
    assert next(q for q in na.questions if q.id == "gemeinsame-daten").status == "n/a"
    assert stage(na, 3).score is None


def test_answering_the_condition_below_min_drops_the_follow_up_answer(mini2: Questionnaire) -> None:
    # The one place where answering an open question lowers a score: the follow-up's answer was
    # given while its condition was open, and the answer below ``min`` says it does not apply.
    open_condition = score(mini2, make_sheet(mini2, {"kooperation": "unknown", "gemeinsame-daten": 3}))
    answered = score(mini2, make_sheet(mini2, {"kooperation": 1, "gemeinsame-daten": 3}))
    assert stage(open_condition, 3).score == pytest.approx(0.5)
    assert stage(answered, 3).score == pytest.approx(1 / 6)


def test_not_asked_collapses_a_chain_of_follow_ups() -> None:
    from stufenplan_cli.domain.conditions import not_asked

    q = Questionnaire.model_validate(
        {
            "id": "kette",
            "version": "2.0",
            "title": "Kette",
            "scale": [{"value": v, "label": str(v)} for v in range(3)],
            "stages": [{"id": 1, "title": "Eins", "threshold": 0.5}],
            "dimensions": [{"id": "d", "title": "D"}],
            "questions": [
                {"id": "a", "stage": 1, "dimensions": ["d"], "text": "?"},
                {
                    "id": "b",
                    "stage": 1,
                    "dimensions": ["d"],
                    "text": "?",
                    "when": {"question": "a", "min": 1},
                },
                {
                    "id": "c",
                    "stage": 1,
                    "dimensions": ["d"],
                    "text": "?",
                    "when": {"question": "b", "min": 1},
                },
            ],
        }
    )

    def hidden(answers: dict[str, Any]) -> dict[str, str]:
        return dict(not_asked(q, make_sheet(q, answers).answers))

    # a below min skips b, and b (skipped, counting 0) skips c, whatever the sheet says for them
    assert hidden({"a": 0, "b": 2, "c": 2}) == {"b": "skipped", "c": "skipped"}
    assert hidden({"a": "weiß nicht"}) == {}  # open: both are asked
    assert hidden({"a": 2, "b": 0}) == {"c": "skipped"}
    assert hidden({"a": "n/a"}) == {"b": "n/a", "c": "n/a"}
    r = score(q, make_sheet(q, {"a": 0, "b": 2, "c": 2}))
    assert [x.status for x in r.questions] == ["answered", "skipped", "skipped"]
    assert len(r.warnings) == 2  # the two answers that no longer count are named


# ----- the same properties over the bundled questionnaires (2.0, with follow-ups) -----


@pytest.fixture(scope="module")
def bundled() -> list[Questionnaire]:
    from stufenplan_cli.files.catalog import Catalog

    catalog = Catalog()
    return [catalog.by_id("stufenplan"), catalog.by_id("kurzcheck")]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), which=st.sampled_from([0, 1]))
def test_bundled_questionnaires_keep_the_placement_rules(
    bundled: list[Questionnaire], data: st.DataObject, which: int
) -> None:
    q = bundled[which]
    answers = data.draw(_sheet_values(q))
    r = score(q, make_sheet(q, answers))
    assert r.stage_possible >= r.stage
    assert r.question_count == len(q.questions)
    key = data.draw(st.sampled_from([x.id for x in q.questions if x.key]))
    with_na = score(q, make_sheet(q, {**answers, key: "n/a"}))
    with_zero = score(q, make_sheet(q, {**answers, key: 0}))
    assert with_na.stage <= with_zero.stage and with_na.stage_possible <= with_zero.stage_possible
    if r.deciding:
        qid = data.draw(st.sampled_from(r.deciding))
        after = score(q, make_sheet(q, {**answers, qid: q.max_value_by_id[qid]}))
        assert r.stage <= after.stage <= r.stage_possible and after.stage_possible <= r.stage_possible
    # a known answer raised by one option never lowers the secured placement
    qid = data.draw(st.sampled_from([x.id for x in q.questions]))
    values = [o.value for o in q.options_for(q.question_by_id[qid])]
    current = answers.get(qid)
    if isinstance(current, int) and current != values[-1]:
        raised = score(q, make_sheet(q, {**answers, qid: values[values.index(current) + 1]}))
        assert raised.stage >= r.stage


def test_na_on_a_key_question_skips_its_follow_ups_as_zero_would() -> None:
    # Found by the bundled property test: n/a on a key question took its follow-ups out of the
    # average (n/a), where 0 would have counted them as 0 – a way round "n/a counts 0".
    from stufenplan_cli.domain.conditions import not_asked

    q = Questionnaire.model_validate(
        {
            "id": "schluessel",
            "version": "2.0",
            "title": "Schlüssel",
            "scale": [{"value": v, "label": str(v)} for v in range(3)],
            "stages": [
                {"id": 1, "title": "Eins", "threshold": 0.5},
                {"id": 2, "title": "Zwei", "threshold": 0.5},
            ],
            "dimensions": [{"id": "d", "title": "D"}],
            "questions": [
                {"id": "k", "stage": 1, "dimensions": ["d"], "text": "?", "key": True},
                {
                    "id": "f",
                    "stage": 2,
                    "dimensions": ["d"],
                    "text": "?",
                    "when": {"question": "k", "min": 1},
                },
                {"id": "g", "stage": 2, "dimensions": ["d"], "text": "?"},
            ],
        }
    )
    answers = {"k": "n/a", "f": 0, "g": 1}
    assert dict(not_asked(q, make_sheet(q, answers).answers)) == {"f": "skipped"}
    with_na = score(q, make_sheet(q, answers))
    with_zero = score(q, make_sheet(q, {**answers, "k": 0}))
    assert with_na.stages[1].score == with_zero.stages[1].score == pytest.approx(0.25)
