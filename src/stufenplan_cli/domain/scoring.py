"""Scoring: a questionnaire and an answer sheet in, a Result out. Pure functions, no I/O.

The rules are documented in docs/scoring.md; the Stufenplan itself sets no criteria for placing a
municipality, so these rules are this tool's interpretation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import (
    DimensionResult,
    NextStage,
    QuestionnaireRef,
    QuestionResult,
    Result,
    StageResult,
    Status,
)
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer, AnswerSheet
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, TOLERANCE, reaches

NotAsked = Literal["skipped", "n/a"]


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


def _points(status: Status, value: int | None, max_value: int, key: bool) -> float | None:
    """Points of one evaluated answer: value / max; open 0; n/a None, on a key question 0."""
    if status == "n/a":
        return 0.0 if key else None
    return value / max_value if value is not None else 0.0


def not_asked(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, NotAsked]:
    """The follow-up questions that are not asked for these answers, and why.

    ``skipped``: the question a follow-up depends on is answered below ``min`` (or was skipped
    itself, counting as its lowest option, so chains collapse together); ``n/a``: it is not
    applicable. A follow-up of an open question (weiß nicht, missing) is asked. Scoring, the
    interview and the template share this one rule.
    """
    effective: dict[str, int | str | None] = {}  # value, "n/a", or None for open
    out: dict[str, NotAsked] = {}
    for question in questionnaire.questions:
        answer = answers.get(question.id)
        value: int | str | None = answer.value if answer is not None and answer.value != UNKNOWN else None
        if question.when is not None:
            condition = effective.get(question.when.question)
            if condition == NOT_APPLICABLE:
                out[question.id], value = "n/a", NOT_APPLICABLE
            elif isinstance(condition, int) and condition < question.when.min:
                out[question.id], value = "skipped", min(o.value for o in questionnaire.options_for(question))
        effective[question.id] = value
    return out


def evaluate(
    questionnaire: Questionnaire, sheet: AnswerSheet, *, possible: bool = False
) -> list[QuestionResult]:
    """Every question's status and points, in questionnaire order.

    Secured (``possible=False``): unknown and missing count 0. Possible: every unknown or missing
    answer counts as its best option. In both, a follow-up that is not asked (``not_asked``) counts
    as its lowest option when skipped and as n/a when the question it follows is n/a. Whether a
    follow-up is asked depends on known answers only, so it is the same in both evaluations.
    """
    hidden = not_asked(questionnaire, sheet.answers)
    results: list[QuestionResult] = []
    for question in questionnaire.questions:
        max_value = questionnaire.max_value_by_id[question.id]
        answer = sheet.answers.get(question.id)
        value: int | None = None
        status: Status
        if question.id in hidden:
            status = hidden[question.id]
            if status == "skipped":
                value = min(o.value for o in questionnaire.options_for(question))
        elif answer is None:
            status = "missing"
        elif answer.value == UNKNOWN:
            status = "unknown"
        elif answer.value == NOT_APPLICABLE:
            status = "n/a"
        else:
            assert isinstance(answer.value, int)
            status, value = "answered", answer.value
        if possible and status in ("unknown", "missing"):
            value = max_value
        results.append(
            QuestionResult(
                id=question.id,
                stage=question.stage,
                status=status,
                value=value if status in ("answered", "skipped") else None,
                max_value=max_value,
                points=_points(status, value, max_value, question.key),
                weight=question.weight,
                key=question.key,
                note=answer.note if answer else None,
            )
        )
    return results


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


def _stage_results(questionnaire: Questionnaire, results: list[QuestionResult]) -> list[StageResult]:
    """Each stage's score, gaps and whether its own criteria are met (threshold and key questions)."""
    by_stage: dict[int, list[QuestionResult]] = {s.id: [] for s in questionnaire.stages}
    for r in results:
        by_stage[r.stage].append(r)
    stages: list[StageResult] = []
    for stage in questionnaire.stages:
        items = by_stage[stage.id]
        stage_score = weighted_mean(items)
        key_failed = [r.id for r in items if r.key and r.points is not None and r.points < KEY_MINIMUM]
        score_met = stage_score is not None and reaches(stage_score, stage.threshold)
        stages.append(
            StageResult(
                id=stage.id,
                title=stage.title,
                score=stage_score,
                threshold=stage.threshold,
                reached=score_met and not key_failed,
                score_met=score_met,
                gaps=gaps(items),
                key_failed=key_failed,
            )
        )
    return stages


def deciding(
    questionnaire: Questionnaire,
    secured: list[StageResult],
    possible: list[StageResult],
    results: list[QuestionResult],
) -> list[str]:
    """Open questions of the stages met only in the possible evaluation: key first, then weight, then order."""
    stages = {p.id for s, p in zip(secured, possible, strict=True) if p.reached and not s.reached}
    open_items = [
        (i, r) for i, r in enumerate(results) if r.stage in stages and r.status in ("unknown", "missing")
    ]
    open_items.sort(key=lambda pair: (not pair[1].key, -pair[1].weight, pair[0]))
    return [r.id for _, r in open_items]


def _warnings(questionnaire: Questionnaire, sheet: AnswerSheet, results: list[QuestionResult]) -> list[str]:
    warnings: list[str] = []
    version = sheet.upgraded_from or sheet.questionnaire_version
    if version and version != questionnaire.version:
        warning = f"Antwortbogen wurde für Version {version} erstellt, bewertet wird mit Version {questionnaire.version}"
        if questionnaire.predecessor(version) is not None:
            lacking = [r.id for r in results if r.status == "missing"]
            if lacking:
                warning += f"; ohne Antwort im Bogen (zählen 0 Punkte): {', '.join(lacking)}"
        warnings.append(warning)
    for r, q in zip(results, questionnaire.questions, strict=True):
        answer = sheet.answers.get(q.id)
        dropped = answer is not None and answer.is_value and answer.value != r.value
        if q.when is not None and r.status in ("skipped", "n/a") and dropped:
            why = "unter " + str(q.when.min) + " liegt" if r.status == "skipped" else "nicht zutrifft"
            warnings.append(
                f"Frage {q.id} entfällt als Folgefrage, weil {q.when.question} {why}; "
                "die Antwort im Bogen zählt nicht"
            )
    return warnings


def score(questionnaire: Questionnaire, sheet: AnswerSheet, file: str | None = None) -> Result:
    """Score a sheet that has already been checked against the questionnaire.

    The secured placement is the number of stages whose criteria are met; the possible placement
    the same with every unknown or missing answer at its best option (docs/scoring.md).
    """
    results = evaluate(questionnaire, sheet)
    optimistic = evaluate(questionnaire, sheet, possible=True)
    secured_stages = _stage_results(questionnaire, results)
    possible_stages = _stage_results(questionnaire, optimistic)
    stages = [
        s.model_copy(update={"reached_possible": p.reached})
        for s, p in zip(secured_stages, possible_stages, strict=True)
    ]
    placement = sum(1 for s in stages if s.reached)
    placement_possible = sum(1 for s in stages if s.reached_possible)
    top_met = max((s.id for s in stages if s.reached), default=0)
    open_below = [s.id for s in stages if s.id < top_met and not s.reached]

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
    nxt = next((s for s in stages if not s.reached), None)  # the lowest stage still open
    if nxt is not None:
        next_stage = NextStage(
            id=nxt.id,
            title=nxt.title,
            score=nxt.score,
            threshold=nxt.threshold,
            shortfall=max(0.0, nxt.threshold - (nxt.score or 0.0)) if not nxt.score_met else 0.0,
            gaps=nxt.gaps,
            key_failed=nxt.key_failed,
        )

    counts = {"answered": 0, "unknown": 0, "n/a": 0, "missing": 0, "skipped": 0}
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
        stage_possible=placement_possible,
        stage_possible_title=questionnaire.stage_by_id[placement_possible].title
        if placement_possible
        else None,
        deciding=deciding(questionnaire, secured_stages, possible_stages, results),
        open_below=open_below,
        stages=stages,
        dimensions=dimensions,
        next_stage=next_stage,
        answered=counts["answered"],
        unknown=counts["unknown"],
        not_applicable=counts["n/a"],
        missing=counts["missing"],
        skipped=counts["skipped"],
        questions=results,
        warnings=_warnings(questionnaire, sheet, results),
        merged=sheet.merged,
    )
