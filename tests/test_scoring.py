"""Scores computed by hand (the worked example of docs/scoring.md) and the scoring rules as properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.scoring import gaps, question_result, score
from tests.conftest import make_sheet

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


def test_lower_stage_gates_higher(mini: Questionnaire) -> None:
    answers = {
        "beschluss": 3,
        "verantwortung": 0,
        "qualifizierung": 0,
        "pilot": 2,
        "werkzeuge": 3,
        "kooperation": 3,
    }
    r = score(mini, make_sheet(mini, answers))
    # Stage 1: 2/4 = 0.5 < 0.6; stages 2 and 3 meet their thresholds but are not reached
    assert stage(r, 1).score == pytest.approx(0.5)
    assert [s.reached for s in r.stages] == [False, False, False]
    assert [s.score_met for s in r.stages] == [False, True, True]
    assert r.stage == 0
    assert r.stage_title is None
    assert r.next_stage is not None and r.next_stage.id == 1


def test_failed_key_question_blocks_stage_despite_score(mini: Questionnaire) -> None:
    answers = {"beschluss": 1, "verantwortung": 3, "qualifizierung": 3, "pilot": 2, "werkzeuge": 3}
    r = score(mini, make_sheet(mini, answers))
    # (2×1/3 + 1 + 1) / 4 = 0.667 ≥ 0.6, but the key question has 1/3 < 0.5 points
    assert stage(r, 1).score == pytest.approx(2 / 3)
    assert stage(r, 1).key_failed == ["beschluss"]
    assert not stage(r, 1).reached
    assert r.stage == 0
    assert r.next_stage is not None and r.next_stage.key_failed == ["beschluss"]
    assert r.next_stage.shortfall == 0.0


def test_key_question_at_exactly_half_passes(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "pilot": 1, "werkzeuge": 3}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 2).key_failed == []
    assert stage(r, 2).score == pytest.approx(0.75)
    assert r.stage == 2


def test_key_question_not_applicable_does_not_block(mini: Questionnaire) -> None:
    answers = {"beschluss": "n/a", "verantwortung": 2, "qualifizierung": 2}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 1).key_failed == []
    assert stage(r, 1).score == pytest.approx(2 / 3)
    assert stage(r, 1).reached


def test_stage_with_only_na_has_no_score_and_is_not_reached(mini: Questionnaire) -> None:
    answers = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "pilot": "n/a", "werkzeuge": "n/a"}
    r = score(mini, make_sheet(mini, answers))
    assert stage(r, 2).score is None
    assert not stage(r, 2).reached
    assert stage(r, 2).gaps == []
    assert r.stage == 1


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
    results = [question_result(mini, q, sheet) for q in mini.questions_of_stage(1)]
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
    assert r.answered + r.unknown + r.not_applicable + r.missing == len(mini.questions)
    for s in r.stages:
        assert s.score is None or 0.0 <= s.score <= 1.0
        assert set(s.key_failed) <= set(s.gaps)
        assert not s.reached or (s.score_met and not s.key_failed)
    # placement is the highest stage of an unbroken run of reached stages from stage 1
    reached = [s.reached for s in r.stages]
    assert r.stage == (reached.index(False) if False in reached else len(reached))
    assert all(not later for later in reached[r.stage :])
