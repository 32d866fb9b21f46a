"""The scoring rule in one pass over a questionnaire compiled once: stages and dimensions without question models.

Every score of a sheet (table, CSV, JSON, report) comes from here, so no two outputs can disagree. A
batch scores thousands of sheets against one questionnaire: :func:`tally` looks up per question and
answer only what it prepared once, and adds up in questionnaire order (``sum()`` would not do, it
compensates from Python 3.12 on). ``tests/reference_scoring.py`` writes the rule out question by
question; tests hold the two equal to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from operator import itemgetter
from typing import NamedTuple

from pydantic import TypeAdapter

from stufenplan_cli.domain.conditions import NotAsked
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire, Stage
from stufenplan_cli.domain.models.result import DimensionResult, StageResult
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, AnswerValue
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, reaches


@cache
def _dimension_list() -> TypeAdapter[list[DimensionResult]]:
    """Many small models in one call, faster than one by one; built on first use, as the models are."""
    return TypeAdapter(list[DimensionResult])


# What a question counts for instead of its answer: a follow-up skipped, or not applicable as its condition.
SKIPPED = "skipped"
DROPPED_NA = "dropped n/a"


class Answer(NamedTuple):
    """What one answer to one question contributes to the sums of its stage and dimensions."""

    status: str
    weighted: float  # weight × points; 0.0 for n/a (left out of the mean: adding 0.0 changes no sum)
    best: float  # the same with open answers at full points (the possible evaluation)
    weight: float  # 0.0 for n/a
    gap: float | None  # the gap order, −round(weight × (1 − points), 9), when points < 1
    key_failed: bool
    key_failed_possibly: bool


def _answer(status: str, points: float | None, weight: float, key: bool) -> Answer:
    if points is None:
        return Answer(status, 0.0, 0.0, 0.0, None, False, False)
    is_open = status == "unknown" or status == "missing"
    failed = key and points < KEY_MINIMUM
    return Answer(
        status,
        weight * points,
        weight * (1.0 if is_open else points),
        weight,
        -round(weight * (1 - points), 9) if points < 1 else None,
        failed,
        failed and not is_open,
    )


def _answers(questionnaire: Questionnaire, question: Question) -> dict[AnswerValue | str | None, Answer]:
    """Every answer a question can have (an option, unknown, n/a, none) and its two dropped states."""
    top = questionnaire.max_value_by_id[question.id]
    lowest = questionnaire.lowest_value_by_id[question.id]
    weight, key = question.weight, question.key
    table: dict[AnswerValue | str | None, Answer] = {
        value: _answer("answered", value / top, weight, key)
        for value in questionnaire.option_values_by_id[question.id]
    }
    table[UNKNOWN] = _answer("unknown", 0.0, weight, key)
    table[None] = _answer("missing", 0.0, weight, key)
    table[NOT_APPLICABLE] = table[DROPPED_NA] = _answer("n/a", 0.0 if key else None, weight, key)
    table[SKIPPED] = _answer("skipped", lowest / top, weight, key)
    return table


def _picker(indices: list[int]) -> Callable[[list[Answer]], tuple[Answer, ...]]:
    """Picks the answers at these positions as a tuple (one C call, however many)."""
    if len(indices) == 1:
        return lambda answers: (answers[indices[0]],)
    return itemgetter(*indices)


class _FollowUp(NamedTuple):
    question: int
    gate: int  # index of the question it follows (a later or unknown one: never asked otherwise)
    min: int
    lowest: int


class Plan:
    """What scoring reads of a questionnaire, per question in order, worked out once."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        questions = questionnaire.questions
        self.ids = [q.id for q in questions]
        self.tables = [_answers(questionnaire, q) for q in questions]
        order = {q.id: i for i, q in enumerate(questions)}
        self.keys = [q.key for q in questions]
        self.lowest = [questionnaire.lowest_value_by_id[q.id] for q in questions]
        self.follow_ups = [
            _FollowUp(i, order.get(q.when.question, i), q.when.min, self.lowest[i])
            for i, q in enumerate(questions)
            if q.when is not None and questionnaire.follow_ups
        ]
        stages = [[i for i, q in enumerate(questions) if q.stage == s.id] for s in questionnaire.stages]
        self.stages = [
            (s, _picker(idx), [self.ids[i] for i in idx])
            for s, idx in zip(questionnaire.stages, stages, strict=True)
        ]
        self.weights = [q.weight for q in questions]
        at = {d.id: i for i, d in enumerate(questionnaire.dimensions)}
        self.dimensions_of = [tuple(at[d] for d in dims) for dims in questionnaire.question_dimensions]


_plans: dict[int, Plan] = {}
_PLANS_MAX = 32


def plan_for(questionnaire: Questionnaire) -> Plan:
    """The plan of a questionnaire, made once per process (a batch has one or a few questionnaires)."""
    plan = _plans.get(id(questionnaire))
    if plan is None or plan.questionnaire is not questionnaire:
        if len(_plans) >= _PLANS_MAX:
            _plans.clear()
        plan = _plans[id(questionnaire)] = Plan(questionnaire)
    return plan


class Tally(NamedTuple):
    """A sheet's scores without the per-question list."""

    stages: list[StageResult]
    dimensions: list[DimensionResult]
    deciding: list[str]
    counts: dict[str, int]
    missing: list[str]
    dropped: dict[str, NotAsked]
    """The follow-ups not asked (``conditions.not_asked_values``) when the sheet answers one of them so
    that it would count otherwise, else empty."""


def _dropped(plan: Plan, answers: list[AnswerValue | str | None]) -> bool:
    """Mark the follow-ups not asked (``conditions.not_asked_values``); whether one had an answer that counted."""
    ignored = False
    for index, gate, minimum, lowest in plan.follow_ups:
        condition = answers[gate] if gate < index else None
        if condition == SKIPPED:
            condition = plan.lowest[gate]
        elif condition == NOT_APPLICABLE and plan.keys[gate]:
            condition = plan.lowest[gate]  # n/a on a key question counts as 0, for its follow-ups too
        elif condition == DROPPED_NA:
            condition = NOT_APPLICABLE
        answer = answers[index]
        if condition == NOT_APPLICABLE:
            answers[index] = DROPPED_NA
            ignored = ignored or (answer is not None and answer != NOT_APPLICABLE)
        elif isinstance(condition, int) and condition < minimum:
            answers[index] = SKIPPED
            ignored = ignored or (answer is not None and answer != lowest)
    return ignored


def tally(questionnaire: Questionnaire, values: Mapping[str, AnswerValue]) -> Tally:
    """Stages, dimensions, deciding questions and counts of a sheet's answer values (docs/scoring.md)."""
    plan = plan_for(questionnaire)
    answers: list[AnswerValue | str | None] = [values.get(qid) for qid in plan.ids]
    dropped: dict[str, NotAsked] = {}
    if plan.follow_ups and _dropped(plan, answers):
        dropped = {
            qid: "skipped" if answer == SKIPPED else "n/a"
            for qid, answer in zip(plan.ids, answers, strict=True)
            if answer in (SKIPPED, DROPPED_NA)
        }
    counted = [table[answer] for table, answer in zip(plan.tables, answers, strict=True)]
    statuses = [a.status for a in counted]
    stages = _stages(plan, counted)
    return Tally(
        stages,
        _dimensions(plan, counted),
        _deciding(plan, stages, statuses),
        {status: statuses.count(status) for status in ("answered", "unknown", "n/a", "missing", "skipped")},
        [qid for qid, status in zip(plan.ids, statuses, strict=True) if status == "missing"],
        dropped,
    )


def _stages(plan: Plan, counted: list[Answer]) -> list[StageResult]:
    """Each stage's score, gaps, key questions below half points, secured and possibly (open at full points).

    The sums run in questionnaire order (n/a adds 0.0: no change).
    """
    results = []
    for stage, pick, ids in plan.stages:
        total = best = weights = 0.0
        failed: list[str] = []
        gaps: list[tuple[float, int]] = []
        opened = failed_possibly = False
        for i, a in enumerate(pick(counted)):
            total += a.weighted
            best += a.best
            weights += a.weight
            if a.gap is not None:  # below full points: open answers and failed key questions are too
                gaps.append((a.gap, i))
                if a.key_failed:
                    failed.append(ids[i])
                    failed_possibly = failed_possibly or a.key_failed_possibly
                opened = opened or a.status == "unknown" or a.status == "missing"
        score = total / weights if weights > 0 else None
        score_met = score is not None and reaches(score, stage.threshold)
        possible = score_met and not failed
        if not possible and opened:  # an open answer has points, so the weights are not 0
            possible = reaches(best / weights, stage.threshold) and not failed_possibly
        gaps.sort()
        results.append(stage_result(stage, score, score_met, possible, [ids[i] for _, i in gaps], failed))
    return results


def stage_result(
    stage: Stage, score: float | None, score_met: bool, possible: bool, gaps: list[str], key_failed: list[str]
) -> StageResult:
    """A stage's result: its criteria are met when its score meets the threshold and no key question fails."""
    return StageResult(
        id=stage.id,
        title=stage.title,
        score=score,
        threshold=stage.threshold,
        reached=score_met and not key_failed,
        reached_possible=possible,
        score_met=score_met,
        gaps=gaps,
        key_failed=key_failed,
    )


def _dimensions(plan: Plan, counted: list[Answer]) -> list[DimensionResult]:
    """The weighted mean over each dimension's questions, across stages, summed in questionnaire order."""
    total = [0.0] * len(plan.questionnaire.dimensions)
    weights = total.copy()
    for a, dimensions in zip(counted, plan.dimensions_of, strict=True):
        for d in dimensions:
            total[d] += a.weighted
            weights[d] += a.weight
    return _dimension_list().validate_python(
        [
            {"id": d.id, "title": d.title, "score": t / w if w > 0 else None}
            for d, t, w in zip(plan.questionnaire.dimensions, total, weights, strict=True)
        ]
    )


def _deciding(plan: Plan, stages: list[StageResult], statuses: list[str]) -> list[str]:
    """Open questions of the stages met only possibly: key first, then weight, then questionnaire order."""
    only_possible = {s.id for s in stages if s.reached_possible and not s.reached}
    if not only_possible:
        return []
    found = [
        (not plan.keys[i], -plan.weights[i], i, plan.ids[i])
        for i, (question, status) in enumerate(zip(plan.questionnaire.questions, statuses, strict=True))
        if question.stage in only_possible and (status == "unknown" or status == "missing")
    ]
    return [qid for *_, qid in sorted(found)]
