"""Scoring: a questionnaire and an answer sheet in, a Result out. Pure functions, no I/O.

The rules are documented in docs/scoring.md; the Stufenplan itself sets no criteria for placing a
municipality, so these rules are this tool's interpretation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from stufenplan_cli.domain.conditions import ignored_answers, not_asked_values
from stufenplan_cli.domain.models.questionnaire import Questionnaire, Stage
from stufenplan_cli.domain.models.result import (
    DimensionResult,
    NextStage,
    QuestionnaireRef,
    QuestionResult,
    Result,
    StageResult,
    Status,
)
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, AnswerSheet, AnswerValue
from stufenplan_cli.domain.tally import Tally, stage_result, tally
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, TOLERANCE, reaches

_OPEN = ("unknown", "missing")


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
    """One question as scored: what :class:`QuestionResult` holds but the note, without building a model.

    A batch scores thousands of sheets twice each (secured and possible); only reports need the models.
    """

    id: str
    stage: int
    status: Status
    value: int | None
    max_value: int
    points: float | None
    weight: float
    key: bool


class Scored(Protocol):
    """What the stage and dimension arithmetic reads of a question: an :class:`Item` or a QuestionResult."""

    @property
    def id(self) -> str: ...
    @property
    def stage(self) -> int: ...
    @property
    def status(self) -> Status: ...
    @property
    def value(self) -> int | None: ...
    @property
    def points(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def key(self) -> bool: ...


def answer_values(sheet: AnswerSheet) -> dict[str, AnswerValue]:
    """The sheet's answers as values: an option value, ``unknown`` or ``n/a`` per answered question."""
    return {qid: answer.value for qid, answer in sheet.answers.items()}


def evaluate(
    questionnaire: Questionnaire, sheet: AnswerSheet, *, possible: bool = False
) -> list[QuestionResult]:
    """Every question's status and points, in questionnaire order (see :func:`evaluate_values`)."""
    return _question_results(sheet, evaluate_values(questionnaire, answer_values(sheet), possible=possible))


def evaluate_values(
    questionnaire: Questionnaire, values: Mapping[str, AnswerValue], *, possible: bool = False
) -> list[Item]:
    """Every question's status and points from the answer values, in questionnaire order.

    Secured (``possible=False``): unknown and missing count 0. Possible: every unknown or missing
    answer counts as its best option. In both, a follow-up that is not asked (``not_asked``) counts
    as its lowest option when skipped and as n/a when the question it follows is n/a. Whether a
    follow-up is asked depends on known answers only, so it is the same in both evaluations.
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
        if possible and (status == "unknown" or status == "missing"):
            value = max_value
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


def _criteria(stage: Stage, items: Sequence[Scored]) -> tuple[float | None, list[str], bool]:
    """A stage's score, its key questions below half points, and whether the score meets the threshold."""
    stage_score = weighted_mean(items)
    key_failed = [r.id for r in items if r.key and r.points is not None and r.points < KEY_MINIMUM]
    score_met = stage_score is not None and reaches(stage_score, stage.threshold)
    return stage_score, key_failed, score_met


def _stage_results(questionnaire: Questionnaire, results: Sequence[Item]) -> list[StageResult]:
    """Each stage's score, gaps and whether its own criteria are met, secured and possibly.

    The possible evaluation differs from the secured one only in the open (unknown, missing) answers,
    which count their best option, i.e. full points; a follow-up of an open question is asked in both.
    So points only rise: a stage met when secured is met possibly too, and a stage without open answers
    is met possibly exactly when it is met secured. Only the other stages are evaluated again, with the
    open answers at full points: the same sums in the same order as :func:`evaluate_values` with
    ``possible=True`` gives (a test holds the two together).
    """
    by_stage: dict[int, list[Item]] = {s.id: [] for s in questionnaire.stages}
    for r in results:
        by_stage[r.stage].append(r)
    stages: list[StageResult] = []
    for stage in questionnaire.stages:
        items = by_stage[stage.id]
        stage_score, key_failed, score_met = _criteria(stage, items)
        reached = score_met and not key_failed
        reached_possible = reached
        if not reached and any(r.status in _OPEN for r in items):
            best = [r._replace(points=1.0) if r.status in _OPEN else r for r in items]
            _, key_failed_possibly, score_met_possibly = _criteria(stage, best)
            reached_possible = score_met_possibly and not key_failed_possibly
        stages.append(stage_result(stage, stage_score, score_met, reached_possible, gaps(items), key_failed))
    return stages


def deciding(
    questionnaire: Questionnaire, stages: Sequence[StageResult], results: Sequence[Scored]
) -> list[str]:
    """Open questions of the stages met only in the possible evaluation: key first, then weight, then order."""
    only_possible = {s.id for s in stages if s.reached_possible and not s.reached}
    open_items = [(i, r) for i, r in enumerate(results) if r.stage in only_possible and r.status in _OPEN]
    open_items.sort(key=lambda pair: (not pair[1].key, -pair[1].weight, pair[0]))
    return [r.id for _, r in open_items]


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
    if scored.dropped is None or scored.dropped:
        warnings += [ignored.message for ignored in ignored_answers(questionnaire, values, scored.dropped)]
    return warnings


def _full_tally(questionnaire: Questionnaire, results: list[Item]) -> Tally:
    """What :func:`tally` adds up, from the evaluated questions (the way with the per-question list)."""
    stages = _stage_results(questionnaire, results)
    counts = {"answered": 0, "unknown": 0, "n/a": 0, "missing": 0, "skipped": 0}
    for r in results:
        counts[r.status] += 1
    return Tally(
        stages,
        _dimension_results(questionnaire, results),
        deciding(questionnaire, stages, results),
        counts,
        [r.id for r in results if r.status == "missing"],
        None,
    )


def _dimension_results(questionnaire: Questionnaire, results: list[Item]) -> list[DimensionResult]:
    """The weighted mean over each dimension's questions, across stages."""
    # One pass over the questions' tags (not dimensions × questions): batches score thousands of sheets.
    tagged: dict[str, list[Item]] = {d.id: [] for d in questionnaire.dimensions}
    for r, dims in zip(results, questionnaire.question_dimensions, strict=True):
        for dim in dims:  # a tag written twice still counts once
            tagged[dim].append(r)
    return [
        DimensionResult(id=d.id, title=d.title, score=weighted_mean(tagged[d.id]))
        for d in questionnaire.dimensions
    ]


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
    fast path); ``questions=False`` leaves the per-question list empty, as tables and JSON records do,
    and adds up the scores in one pass (``domain/tally.py``, held equal to the full way by tests).
    """
    if values is None:
        values = answer_values(sheet)
    results = evaluate_values(questionnaire, values) if questions else []
    scored = _full_tally(questionnaire, results) if questions else tally(questionnaire, values)
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
        questions=_question_results(sheet, results),
        warnings=_warnings(questionnaire, version, values, scored),
        merged=sheet.merged,
        sheet_version=version,
    )
