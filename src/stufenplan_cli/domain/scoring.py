"""Scoring: a questionnaire and an answer sheet in, a Result out. Pure functions, no I/O.

The rules are documented in docs/scoring.md; the Stufenplan itself sets no criteria for placing a
municipality, so these rules are this tool's interpretation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from stufenplan_cli.domain.conditions import ignored_answers, not_asked_values
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import (
    NextStage,
    QuestionnaireRef,
    QuestionResult,
    Result,
    StageResult,
    Status,
)
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, AnswerSheet, AnswerValue
from stufenplan_cli.domain.tally import Tally, tally
from stufenplan_cli.domain.thresholds import TOLERANCE


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


class Item(NamedTuple):
    """One question as scored: what :class:`QuestionResult` holds but the note, without building a model."""

    id: str
    stage: int
    status: Status
    value: int | None
    max_value: int
    points: float | None
    weight: float
    key: bool


def answer_values(sheet: AnswerSheet) -> dict[str, AnswerValue]:
    """The sheet's answers as values: an option value, ``unknown`` or ``n/a`` per answered question."""
    return {qid: answer.value for qid, answer in sheet.answers.items()}


def evaluate_values(questionnaire: Questionnaire, values: Mapping[str, AnswerValue]) -> list[Item]:
    """Every question's status and points from the answer values, in questionnaire order.

    Unknown and missing count 0. A follow-up that is not asked (``not_asked``) counts as its lowest
    option when skipped and as n/a when the question it follows is n/a.
    """
    hidden = not_asked_values(questionnaire, values)
    items: list[Item] = []
    append = items.append  # this loop runs for every sheet of a batch
    max_values = questionnaire.max_value_by_id
    lowest = questionnaire.lowest_value_by_id
    for question in questionnaire.questions:
        qid = question.id
        max_value = max_values[qid]
        answer = values.get(qid)
        value: int | None = None
        status: Status
        if qid in hidden:
            status = hidden[qid]
            if status == "skipped":
                value = lowest[qid]
        elif answer is None:
            status = "missing"
        elif answer == UNKNOWN:
            status = "unknown"
        elif answer == NOT_APPLICABLE:
            status = "n/a"
        else:
            assert isinstance(answer, int)
            status, value = "answered", answer
        key = question.key
        append(
            Item(
                qid,
                question.stage,
                status,
                value if status == "answered" or status == "skipped" else None,
                max_value,
                _points(status, value, max_value, key),
                question.weight,
                key,
            )
        )
    return items


def _question_results(sheet: AnswerSheet, items: list[Item]) -> list[QuestionResult]:
    """The items as models, each with the note its answer carries."""
    results = []
    for item in items:
        answer = sheet.answers.get(item.id)
        results.append(
            QuestionResult(
                id=item.id,
                stage=item.stage,
                status=item.status,
                value=item.value,
                max_value=item.max_value,
                points=item.points,
                weight=item.weight,
                key=item.key,
                note=answer.note if answer else None,
            )
        )
    return results


def _warnings(
    questionnaire: Questionnaire,
    version: str | None,
    values: Mapping[str, AnswerValue],
    scored: Tally,
) -> list[str]:
    warnings: list[str] = []
    if version and version != questionnaire.version:
        warning = f"Antwortbogen wurde für Version {version} erstellt, bewertet wird mit Version {questionnaire.version}"
        if questionnaire.predecessor(version) is not None and scored.missing:
            warning += f"; ohne Antwort im Bogen (zählen 0 Punkte): {', '.join(scored.missing)}"
        warnings.append(warning)
    if scored.dropped:
        warnings += [ignored.message for ignored in ignored_answers(questionnaire, values, scored.dropped)]
    return warnings


def _next_stage(stages: list[StageResult]) -> NextStage | None:
    """What keeps the municipality from the lowest stage still open, if any."""
    nxt = next((s for s in stages if not s.reached), None)
    if nxt is None:
        return None
    return NextStage(
        id=nxt.id,
        title=nxt.title,
        score=nxt.score,
        threshold=nxt.threshold,
        shortfall=max(0.0, nxt.threshold - (nxt.score or 0.0)) if not nxt.score_met else 0.0,
        gaps=nxt.gaps,
        key_failed=nxt.key_failed,
    )


def score(
    questionnaire: Questionnaire,
    sheet: AnswerSheet,
    file: str | None = None,
    *,
    values: Mapping[str, AnswerValue] | None = None,
    questions: bool = True,
) -> Result:
    """Score a sheet that has already been checked against the questionnaire.

    The secured placement is the number of stages whose criteria are met; the possible placement
    the same with every unknown or missing answer at its best option (docs/scoring.md).
    ``values`` are the answers when the caller has them without the sheet's answer models (the batch's
    fast path); ``questions=False`` leaves the per-question list empty, as tables and JSON records do.
    Stages, dimensions and deciding questions are added up in one pass (``domain/tally.py``), the same
    for every output, so a report and a table row of one sheet never disagree.
    """
    if values is None:
        values = answer_values(sheet)
    scored = tally(questionnaire, values)
    stages = scored.stages
    placement = sum(1 for s in stages if s.reached)
    placement_possible = sum(1 for s in stages if s.reached_possible)
    top_met = max((s.id for s in stages if s.reached), default=0)
    counts = scored.counts
    version = sheet.upgraded_from or sheet.questionnaire_version  # a private attribute: slow to read
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
        deciding=scored.deciding,
        open_below=[s.id for s in stages if s.id < top_met and not s.reached],
        stages=stages,
        dimensions=scored.dimensions,
        next_stage=_next_stage(stages),
        answered=counts["answered"],
        unknown=counts["unknown"],
        not_applicable=counts["n/a"],
        missing=counts["missing"],
        skipped=counts["skipped"],
        questions=_question_results(sheet, evaluate_values(questionnaire, values)) if questions else [],
        warnings=_warnings(questionnaire, version, values, scored),
        merged=sheet.merged,
        sheet_version=version,
    )
