"""The report context: every fact a report template needs, as typed, read-only records.

This is the contract between the code and ``report_templates/``: the templates see exactly the fields of
``ReportContext`` as top-level variables (``stage``, ``stages``, ``measures`` …), and each nested record's
fields as attributes (``s.score``, ``m.actor.title``). The templates decide the wording; this module only
gathers and orders data from the Result, the Questionnaire and the roadmap, one small function per part.
A new report section adds its data here as a field with a comment, then uses it in a partial.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire, Reference
from stufenplan_cli.domain.models.result import NextStage, QuestionResult, Result, Status
from stufenplan_cli.domain.models.sheet import MergeInfo, MergeSource, Municipality
from stufenplan_cli.domain.roadmap import GROUP_ORDER, Group, Measure, roadmap
from stufenplan_cli.domain.scoring import shown_score
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, STRONG_FROM, WEAK_BELOW, reaches
from stufenplan_cli.render.funding import funding_for

TOP_MEASURES = 3


@dataclass(frozen=True, slots=True)
class OptionView:
    """One answer option of a question or of the questionnaire's scale."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question with its answer, as the appendix and the gap lists show it."""

    id: str
    text: str
    help: str | None
    stage: int
    key: bool  #: a key question (must reach KEY_MINIMUM for its stage)
    key_open: bool  #: a key question answered, but below KEY_MINIMUM
    weight: float
    status: Status  #: answered, unknown, n/a or missing
    value: int | None  #: the chosen option's value, None unless answered
    max_value: int
    label: str | None  #: the chosen option's label
    points: float | None  #: value / max_value, None when the question does not count
    note: str | None
    recommendation: str | None
    example: str | None
    source: str | None  #: id of a questionnaire reference
    dimensions: list[str]  #: titles of the question's dimensions
    actor: str | None  #: title of the actor who acts on it
    options: list[OptionView]


@dataclass(frozen=True, slots=True)
class StageView:
    """One stage with its score, its questions and what keeps it open."""

    id: int
    title: str
    goal: str | None
    score: float | None  #: as shown (never rounded up to the threshold when it was missed)
    threshold: float
    reached: bool
    score_met: bool  #: the score reaches the threshold (the stage may still be blocked)
    current: bool  #: the municipality's stage
    next: bool  #: the stage after the municipality's stage
    key_failed: list[QuestionView]
    gaps: list[QuestionView]  #: questions below full points, most important first
    questions: list[QuestionView]  #: in questionnaire order
    key_questions: list[QuestionView]


@dataclass(frozen=True, slots=True)
class NextStageView:
    """The stage to reach next and its distance."""

    id: int
    title: str
    goal: str | None
    score: float | None
    threshold: float
    shortfall: float  #: threshold minus the shown score, 0 when the score is met
    score_met: bool
    key_failed: list[QuestionView]
    gaps: list[QuestionView]  #: gaps other than the failed key questions


@dataclass(frozen=True, slots=True)
class DimensionView:
    """A dimension (cross-cutting theme) with its score."""

    id: str
    title: str
    description: str | None
    score: float | None


@dataclass(frozen=True, slots=True)
class TargetView:
    """The council's target stage and year, and how far away it is."""

    stage: int
    title: str | None
    year: int | None
    reached: bool
    steps: int  #: stages still to climb
    years_left: int | None  #: years from the assessment to the target year


class ReportMeasure(Measure):
    """A roadmap measure (all fields of ``domain.roadmap.Measure``) plus what the report adds."""

    key_open: bool  # a key question still below its minimum


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    """Measures of one roadmap group (``key``, ``next``, ``consolidate``, ``later``), in rank order."""

    id: Group
    measures: list[ReportMeasure]


@dataclass(frozen=True, slots=True)
class ActorView:
    """An actor of the questionnaire with the measures it leads."""

    id: str
    title: str
    description: str | None
    measures: list[ReportMeasure]


@dataclass(frozen=True, slots=True)
class GroupValue:
    """One workshop group's answer to a disputed question of a merged sheet."""

    group: str
    value: object  #: the option value, or an answer state word
    label: str | None  #: the option's label when the value is a number


@dataclass(frozen=True, slots=True)
class Discussion:
    """A question the workshop groups answered far apart."""

    question: QuestionView | None
    id: str
    spread: int
    values: list[GroupValue]


@dataclass(frozen=True, slots=True)
class MergedView:
    """How a merged sheet came about: method, source sheets, questions to discuss."""

    method: str
    sources: list[MergeSource]
    discussion: list[Discussion]


@dataclass(frozen=True, slots=True)
class QuestionnaireView:
    """The questionnaire the sheet was scored with."""

    id: str
    version: str
    title: str
    description: str | None
    references: list[Reference]


@dataclass(frozen=True, slots=True)
class Counts:
    """How many questions were answered, left open, not applicable or missing."""

    total: int
    answered: int
    unknown: int
    not_applicable: int
    missing: int


@dataclass(frozen=True, slots=True)
class Method:
    """The rule's numbers the method section explains."""

    key_minimum: float
    strong: float  #: a dimension at or above this score is a strength
    weak: float  #: a dimension below this score is a weakness
    scale: list[OptionView]
    max_scale: int


@dataclass(frozen=True, slots=True)
class FundingView:
    """The funding programmes open to the municipality's Land (``render/funding.py``)."""

    state: str | None  #: the Land as the report names it; None when unknown (then all are shown)
    programmes: list[dict[str, Any]]  #: programmes with money or advice, as JSON data (dates as ISO text)
    routes: list[dict[str, Any]]  #: routes to check (status ``weg``), as JSON data


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything a report shows; each field is a top-level variable of the report templates."""

    municipality: Municipality
    questionnaire: QuestionnaireView
    assessed_on: str | None  #: ISO date
    assessor: str | None
    file: str | None  #: the sheet's file name
    stage: int  #: the stage reached, 0 for none
    stage_title: str | None
    stage_goal: str | None
    stage_count: int
    top_stage: bool  #: the last stage is reached
    stages: list[StageView]
    current_stage: StageView | None
    next_stage: NextStageView | None
    target: TargetView | None
    dimensions: list[DimensionView]
    strong_dimensions: list[DimensionView]  #: score ≥ STRONG_FROM, strongest first
    weak_dimensions: list[DimensionView]  #: score < WEAK_BELOW, weakest first
    achieved: list[QuestionView]  #: questions with full points
    measures: list[ReportMeasure]  #: the roadmap in rank order
    top_measures: list[ReportMeasure]  #: the first TOP_MEASURES of the roadmap
    measure_groups: list[MeasureGroup]  #: non-empty groups in GROUP_ORDER
    actors: list[ActorView]
    questions: list[QuestionView]  #: all questions in questionnaire order
    counts: Counts
    method: Method
    merged: MergedView | None
    funding: FundingView
    warnings: list[str]

    def variables(self) -> dict[str, Any]:
        """The template variables: one per field, the values themselves (not copies)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def build_context(
    result: Result, questionnaire: Questionnaire, measures: list[Measure] | None = None
) -> ReportContext:
    """Everything a report shows, in the order it is shown; deterministic for the same input."""
    if measures is None:
        measures = roadmap(result, questionnaire)
    questions = {item.id: _question(questionnaire, item) for item in result.questions}
    stages = _stages(result, questionnaire, questions)
    dimensions = _dimensions(result, questionnaire)
    shown = [_measure(m) for m in measures]
    return ReportContext(
        municipality=result.municipality,
        questionnaire=_questionnaire(questionnaire),
        assessed_on=result.assessed_on,
        assessor=result.assessor,
        file=result.file,
        stage=result.stage,
        stage_title=result.stage_title,
        stage_goal=questionnaire.stage_by_id[result.stage].goal if result.stage else None,
        stage_count=len(result.stages),
        top_stage=result.stage == len(result.stages),
        stages=stages,
        current_stage=stages[result.stage - 1] if result.stage else None,
        next_stage=_next_stage(result.next_stage, questionnaire, questions),
        target=_target(result, questionnaire),
        dimensions=dimensions,
        strong_dimensions=sorted(
            (d for d in dimensions if d.score is not None and reaches(d.score, STRONG_FROM)),
            key=lambda d: -(d.score or 0),
        ),
        weak_dimensions=sorted(
            (d for d in dimensions if d.score is not None and d.score < WEAK_BELOW),
            key=lambda d: d.score or 0,
        ),
        achieved=[q for q in questions.values() if q.points is not None and q.points >= 1],
        measures=shown,
        top_measures=shown[:TOP_MEASURES],
        measure_groups=_groups(shown),
        actors=_actors(questionnaire, shown),
        questions=list(questions.values()),
        counts=_counts(result),
        method=_method(questionnaire),
        merged=_merged(result.merged, questions),
        funding=FundingView(**funding_for(result.municipality)),
        warnings=list(result.warnings),
    )


def _options(questionnaire: Questionnaire, question_id: str) -> list[OptionView]:
    question = questionnaire.question_by_id[question_id]
    return [OptionView(o.value, o.label) for o in questionnaire.options_for(question)]


def _question(questionnaire: Questionnaire, item: QuestionResult) -> QuestionView:
    """A question with its answer."""
    q = questionnaire.question_by_id[item.id]
    options = _options(questionnaire, q.id)
    label = (
        next((o.label for o in options if o.value == item.value), None) if item.value is not None else None
    )
    return QuestionView(
        id=q.id,
        text=q.text,
        help=q.help,
        stage=q.stage,
        key=q.key,
        key_open=q.key and item.points is not None and item.points < KEY_MINIMUM,
        weight=q.weight,
        status=item.status,
        value=item.value,
        max_value=item.max_value,
        label=label,
        points=item.points,
        note=item.note,
        recommendation=q.recommendation,
        example=q.example,
        source=q.source,
        dimensions=[questionnaire.dimension_by_id[d].title for d in q.dimensions],
        actor=questionnaire.actor_by_id[q.actor].title if q.actor else None,
        options=options,
    )


def _stages(
    result: Result, questionnaire: Questionnaire, questions: dict[str, QuestionView]
) -> list[StageView]:
    """Every stage of the result, with its questions in questionnaire order."""
    stages = []
    for s in result.stages:
        items = [questions[q.id] for q in questionnaire.questions_of_stage(s.id)]
        stages.append(
            StageView(
                id=s.id,
                title=s.title,
                goal=questionnaire.stage_by_id[s.id].goal,
                score=shown_score(s.score, s.threshold, s.score_met),
                threshold=s.threshold,
                reached=s.reached,
                score_met=s.score_met,
                current=s.id == result.stage,
                next=s.id == result.stage + 1,
                key_failed=[questions[i] for i in s.key_failed],
                gaps=[questions[i] for i in s.gaps],
                questions=items,
                key_questions=[q for q in items if q.key],
            )
        )
    return stages


def _next_stage(
    n: NextStage | None, questionnaire: Questionnaire, questions: dict[str, QuestionView]
) -> NextStageView | None:
    """The next stage; its shortfall is measured from the score as shown, so the text adds up."""
    if n is None:
        return None
    shown = shown_score(n.score, n.threshold, n.shortfall == 0)
    return NextStageView(
        id=n.id,
        title=n.title,
        goal=questionnaire.stage_by_id[n.id].goal,
        score=shown,
        threshold=n.threshold,
        shortfall=max(0.0, n.threshold - (shown or 0.0)) if n.shortfall > 0 else 0.0,
        score_met=n.shortfall == 0 and n.score is not None,
        key_failed=[questions[i] for i in n.key_failed],
        gaps=[questions[i] for i in n.gaps if i not in n.key_failed],
    )


def _dimensions(result: Result, questionnaire: Questionnaire) -> list[DimensionView]:
    return [
        DimensionView(d.id, d.title, questionnaire.dimension_by_id[d.id].description, d.score)
        for d in result.dimensions
    ]


def _target(result: Result, questionnaire: Questionnaire) -> TargetView | None:
    """The target with the stages and years still to go (years counted from the assessment)."""
    if result.target is None:
        return None
    t = result.target
    stage_defs = questionnaire.stage_by_id
    assessed_year = int(result.assessed_on[:4]) if result.assessed_on else None
    return TargetView(
        stage=t.stage,
        title=stage_defs[t.stage].title if t.stage in stage_defs else None,
        year=t.year,
        reached=result.stage >= t.stage,
        steps=max(0, t.stage - result.stage),
        years_left=(t.year - assessed_year) if t.year and assessed_year else None,
    )


def _measure(m: Measure) -> ReportMeasure:
    """A measure; ``key_open`` marks a key question still below its minimum."""
    return ReportMeasure(**dict(m), key_open=m.key and m.why.points < KEY_MINIMUM)


def _groups(measures: list[ReportMeasure]) -> list[MeasureGroup]:
    return [
        MeasureGroup(g, [m for m in measures if m.group == g])
        for g in GROUP_ORDER
        if any(m.group == g for m in measures)
    ]


def _actors(questionnaire: Questionnaire, measures: list[ReportMeasure]) -> list[ActorView]:
    return [
        ActorView(a.id, a.title, a.description, [m for m in measures if m.actor and m.actor.id == a.id])
        for a in questionnaire.actors
    ]


def _merged(merged: MergeInfo | None, questions: dict[str, QuestionView]) -> MergedView | None:
    """Where a merged sheet came from and the answers to discuss, each group's value with its label."""
    if merged is None:
        return None
    discussion = []
    for d in merged.discussion:
        question = questions.get(d.question)
        values = [GroupValue(group, value, _label(question, value)) for group, value in d.values.items()]
        discussion.append(Discussion(question, d.question, d.spread, values))
    return MergedView(merged.method, list(merged.sources), discussion)


def _label(question: QuestionView | None, value: object) -> str | None:
    if question is None or not isinstance(value, int):
        return None
    return next((o.label for o in question.options if o.value == value), None)


def _questionnaire(questionnaire: Questionnaire) -> QuestionnaireView:
    q = questionnaire
    return QuestionnaireView(q.id, q.version, q.title, q.description, list(q.references))


def _counts(result: Result) -> Counts:
    return Counts(
        result.question_count, result.answered, result.unknown, result.not_applicable, result.missing
    )


def _method(questionnaire: Questionnaire) -> Method:
    scale = [OptionView(o.value, o.label) for o in questionnaire.scale]
    return Method(KEY_MINIMUM, STRONG_FROM, WEAK_BELOW, scale, max(o.value for o in questionnaire.scale))
