"""The scoring rule written out the long way, question by question: the reference the tests hold
``domain/tally.py`` (the one way production adds up stages and dimensions) against.

This is the arithmetic of docs/scoring.md as plainly as it can be written; ``tally`` is the same rule
prepared once per questionnaire. Tests compare the two on generated and real sheets, to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from stufenplan_cli.domain.models.questionnaire import Questionnaire, Stage
from stufenplan_cli.domain.models.result import DimensionResult, QuestionResult, StageResult, Status
from stufenplan_cli.domain.models.sheet import AnswerSheet, AnswerValue
from stufenplan_cli.domain.scoring import Item, _question_results, answer_values, evaluate_values
from stufenplan_cli.domain.tally import stage_result
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, reaches

OPEN = ("unknown", "missing")


class Scored(Protocol):
    """What the stage and dimension arithmetic reads of a question: an Item or a QuestionResult."""

    @property
    def id(self) -> str: ...
    @property
    def stage(self) -> int: ...
    @property
    def status(self) -> Status: ...
    @property
    def points(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def key(self) -> bool: ...


def evaluate_possible(questionnaire: Questionnaire, values: Mapping[str, AnswerValue]) -> list[Item]:
    """Every question with each unknown or missing answer at its best option (full points)."""
    return [i._replace(points=1.0) if i.status in OPEN else i for i in evaluate_values(questionnaire, values)]


def evaluate(
    questionnaire: Questionnaire, sheet: AnswerSheet, *, possible: bool = False
) -> list[QuestionResult]:
    """Every question's status and points as models, in questionnaire order."""
    values = answer_values(sheet)
    items = evaluate_possible(questionnaire, values) if possible else evaluate_values(questionnaire, values)
    return _question_results(sheet, items)


def weighted_mean(items: Iterable[Scored]) -> float | None:
    """sum(weight × points) / sum(weight) over the items that are not n/a; None if there are none."""
    total = 0.0
    weights = 0.0
    for item in items:
        if item.points is None:
            continue
        total += item.weight * item.points
        weights += item.weight
    return total / weights if weights > 0 else None


def gaps(items: Iterable[Scored]) -> list[str]:
    """Questions with points < 1, by weight × (1 − points) descending, ties in questionnaire order."""
    open_items = [(i, q) for i, q in enumerate(items) if q.points is not None and q.points < 1]
    # Rounded so that equal weights on paper (2 × 1/3 and 1 × 2/3) tie and keep questionnaire order.
    open_items.sort(key=lambda pair: (-round(pair[1].weight * (1 - (pair[1].points or 0.0)), 9), pair[0]))
    return [q.id for _, q in open_items]


def criteria(stage: Stage, items: Sequence[Scored]) -> tuple[float | None, list[str], bool]:
    """A stage's score, its key questions below half points, and whether the score meets the threshold."""
    stage_score = weighted_mean(items)
    key_failed = [r.id for r in items if r.key and r.points is not None and r.points < KEY_MINIMUM]
    score_met = stage_score is not None and reaches(stage_score, stage.threshold)
    return stage_score, key_failed, score_met


def stage_results(questionnaire: Questionnaire, results: Sequence[Item]) -> list[StageResult]:
    """Each stage's score, gaps and whether its own criteria are met, secured and possibly."""
    stages: list[StageResult] = []
    for stage in questionnaire.stages:
        items = [r for r in results if r.stage == stage.id]
        stage_score, key_failed, score_met = criteria(stage, items)
        reached_possible = score_met and not key_failed
        if not reached_possible and any(r.status in OPEN for r in items):
            best = [r._replace(points=1.0) if r.status in OPEN else r for r in items]
            _, key_failed_possibly, score_met_possibly = criteria(stage, best)
            reached_possible = score_met_possibly and not key_failed_possibly
        stages.append(stage_result(stage, stage_score, score_met, reached_possible, gaps(items), key_failed))
    return stages


def dimension_results(questionnaire: Questionnaire, results: list[Item]) -> list[DimensionResult]:
    """The weighted mean over each dimension's questions, across stages (a tag written twice counts once)."""
    tagged: dict[str, list[Item]] = {d.id: [] for d in questionnaire.dimensions}
    for r, dims in zip(results, questionnaire.question_dimensions, strict=True):
        for dim in dims:
            tagged[dim].append(r)
    return [
        DimensionResult(id=d.id, title=d.title, score=weighted_mean(tagged[d.id]))
        for d in questionnaire.dimensions
    ]


def deciding(
    questionnaire: Questionnaire, stages: Sequence[StageResult], results: Sequence[Scored]
) -> list[str]:
    """Open questions of the stages met only in the possible evaluation: key first, then weight, then order."""
    only_possible = {s.id for s in stages if s.reached_possible and not s.reached}
    open_items = [(i, r) for i, r in enumerate(results) if r.stage in only_possible and r.status in OPEN]
    open_items.sort(key=lambda pair: (not pair[1].key, -pair[1].weight, pair[0]))
    return [r.id for _, r in open_items]


def scores(
    questionnaire: Questionnaire, values: Mapping[str, AnswerValue]
) -> tuple[list[StageResult], list[DimensionResult], list[str]]:
    """Stages, dimensions and deciding questions of a sheet's answer values, the long way."""
    items = evaluate_values(questionnaire, values)
    stages = stage_results(questionnaire, items)
    return stages, dimension_results(questionnaire, items), deciding(questionnaire, stages, items)
