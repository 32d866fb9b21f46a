"""Scoring: a questionnaire and an answer sheet in, a Result out. Pure functions, no I/O.

The rules are documented in docs/scoring.md; the Stufenplan itself sets no criteria for placing a
municipality, so these rules are this tool's interpretation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.result import (
    DimensionResult,
    NextStage,
    QuestionnaireRef,
    QuestionResult,
    Result,
    StageResult,
    Status,
)
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, AnswerSheet
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, TOLERANCE, reaches


def shown_score(score: float | None, threshold: float, met: bool) -> float | None:
    """A stage score rounded to whole percent as documents show it, never equal to a threshold it misses.

    59.8 % against a 60 % threshold would read „60 %, Schwelle 60 %, nicht erreicht“; it shows 59 %.
    """
    if score is None:
        return None
    shown = round(score * 100)
    if not met:
        shown = min(shown, math.ceil(threshold * 100 - TOLERANCE) - 1)
    return shown / 100


def question_result(questionnaire: Questionnaire, question: Question, sheet: AnswerSheet) -> QuestionResult:
    """Points of one question: value / largest option value; unknown and missing 0; n/a None."""
    max_value = questionnaire.max_value_by_id[question.id]
    answer = sheet.answers.get(question.id)
    value: int | None = None
    points: float | None = 0.0
    if answer is None:
        status: Status = "missing"
    elif answer.value == UNKNOWN:
        status = "unknown"
    elif answer.value == NOT_APPLICABLE:
        status, points = "n/a", None
    else:
        assert isinstance(answer.value, int)
        status, value, points = "answered", answer.value, answer.value / max_value
    return QuestionResult(
        id=question.id,
        stage=question.stage,
        status=status,
        value=value,
        max_value=max_value,
        points=points,
        weight=question.weight,
        key=question.key,
        note=answer.note if answer else None,
    )


def weighted_mean(items: Iterable[QuestionResult]) -> float | None:
    """sum(weight × points) / sum(weight) over the items that are not n/a; None if there are none."""
    total = 0.0
    weights = 0.0
    for item in items:
        if item.points is None:
            continue
        total += item.weight * item.points
        weights += item.weight
    return total / weights if weights > 0 else None


def gaps(items: Iterable[QuestionResult]) -> list[str]:
    """Questions with points < 1, by weight × (1 − points) descending, ties in questionnaire order."""
    open_items = [(i, q) for i, q in enumerate(items) if q.points is not None and q.points < 1]
    # Rounded so that equal weights on paper (2 × 1/3 and 1 × 2/3) tie and keep questionnaire order.
    open_items.sort(key=lambda pair: (-round(pair[1].weight * (1 - (pair[1].points or 0.0)), 9), pair[0]))
    return [q.id for _, q in open_items]


def score(questionnaire: Questionnaire, sheet: AnswerSheet, file: str | None = None) -> Result:
    """Score a sheet that has already been checked against the questionnaire."""
    results = [question_result(questionnaire, q, sheet) for q in questionnaire.questions]
    by_stage: dict[int, list[QuestionResult]] = {s.id: [] for s in questionnaire.stages}
    for r in results:
        by_stage[r.stage].append(r)

    stages: list[StageResult] = []
    below_reached = True
    for stage in questionnaire.stages:
        items = by_stage[stage.id]
        stage_score = weighted_mean(items)
        key_failed = [r.id for r in items if r.key and r.points is not None and r.points < KEY_MINIMUM]
        score_met = stage_score is not None and reaches(stage_score, stage.threshold)
        reached = below_reached and score_met and not key_failed
        stages.append(
            StageResult(
                id=stage.id,
                title=stage.title,
                score=stage_score,
                threshold=stage.threshold,
                reached=reached,
                score_met=score_met,
                gaps=gaps(items),
                key_failed=key_failed,
            )
        )
        below_reached = reached

    placement = 0
    for s in stages:
        if not s.reached:
            break
        placement = s.id

    # One pass over the questions' tags (not dimensions × questions): batches score thousands of sheets.
    tagged: dict[str, list[QuestionResult]] = {d.id: [] for d in questionnaire.dimensions}
    for r, q in zip(results, questionnaire.questions, strict=True):
        for dim in set(q.dimensions):  # a tag written twice still counts once
            tagged[dim].append(r)
    dimensions = [
        DimensionResult(id=d.id, title=d.title, score=weighted_mean(tagged[d.id]))
        for d in questionnaire.dimensions
    ]

    next_stage = None
    if placement < len(stages):
        nxt = stages[placement]
        next_stage = NextStage(
            id=nxt.id,
            title=nxt.title,
            score=nxt.score,
            threshold=nxt.threshold,
            shortfall=max(0.0, nxt.threshold - (nxt.score or 0.0)) if not nxt.score_met else 0.0,
            gaps=nxt.gaps,
            key_failed=nxt.key_failed,
        )

    warnings: list[str] = []
    if sheet.questionnaire_version and sheet.questionnaire_version != questionnaire.version:
        warnings.append(
            f"Antwortbogen wurde für Version {sheet.questionnaire_version} erstellt, "
            f"bewertet wird mit Version {questionnaire.version}"
        )

    counts = {"answered": 0, "unknown": 0, "n/a": 0, "missing": 0}
    for r in results:
        counts[r.status] += 1

    return Result(
        file=file,
        municipality=sheet.municipality,
        questionnaire=QuestionnaireRef(
            id=questionnaire.id, version=questionnaire.version, title=questionnaire.title
        ),
        assessed_on=sheet.assessed_on.isoformat() if sheet.assessed_on else None,
        assessor=sheet.assessor,
        target=sheet.target,
        stage=placement,
        stage_title=questionnaire.stage_by_id[placement].title if placement else None,
        stages=stages,
        dimensions=dimensions,
        next_stage=next_stage,
        answered=counts["answered"],
        unknown=counts["unknown"],
        not_applicable=counts["n/a"],
        missing=counts["missing"],
        questions=results,
        warnings=warnings,
        merged=sheet.merged,
    )
