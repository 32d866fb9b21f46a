"""Building the report context from the Result, the Questionnaire and the roadmap, one small function per part.

The templates decide the wording; these functions only gather and order data. Deterministic for the
same input.
"""

from __future__ import annotations

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import NextStage, QuestionResult, Result
from stufenplan_cli.domain.models.sheet import MergeInfo
from stufenplan_cli.domain.roadmap import GROUP_ORDER, Measure, roadmap
from stufenplan_cli.domain.scoring import shown_score
from stufenplan_cli.domain.thresholds import KEY_MINIMUM, MIN_ANSWERS, STRONG_FROM, WEAK_BELOW, reaches
from stufenplan_cli.render.context.records import (
    ActorView,
    Counts,
    DimensionView,
    Discussion,
    FundingView,
    GroupValue,
    MeasureGroup,
    MergedView,
    Method,
    NextStageView,
    OptionView,
    QuestionnaireView,
    QuestionView,
    ReportContext,
    ReportMeasure,
    StageView,
    TargetView,
)
from stufenplan_cli.render.funding import funding_for
from stufenplan_cli.render.submission import build_submission, done_by_note

TOP_MEASURES = 3


def build_context(
    result: Result,
    questionnaire: Questionnaire,
    measures: list[Measure] | None = None,
    include_answers: bool = True,
) -> ReportContext:
    """Everything a report shows, in the order it is shown; deterministic for the same input.

    ``include_answers=False`` leaves the appendix with every answer out (and its annex on the front sheet).
    """
    if measures is None:
        measures = roadmap(result, questionnaire)
    questions = {item.id: _question(questionnaire, item) for item in result.questions}
    stages = _stages(result, questionnaire, questions)
    dimensions = _dimensions(result, questionnaire)
    shown = [_measure(m) for m in measures]
    backed = [d for d in dimensions if d.score is not None and d.answers >= MIN_ANSWERS]
    return ReportContext(
        municipality=result.municipality,
        questionnaire=_questionnaire(questionnaire),
        assessed_on=result.assessed_on,
        assessor=result.assessor,
        file=result.file,
        stage=result.stage,
        stage_title=result.stage_title,
        stage_goal=questionnaire.stage_by_id[result.stage].goal if result.stage else None,
        stage_possible=max(result.stage_possible, result.stage),
        stage_possible_title=result.stage_possible_title,
        deciding=[questions[i] for i in result.deciding if i in questions],
        open_below=list(result.open_below),
        stage_count=len(result.stages),
        top_stage=result.stage == len(result.stages),
        stages=stages,
        current_stage=stages[result.stage - 1] if result.stage else None,
        next_stage=_next_stage(result.next_stage, questionnaire, questions),
        target=_target(result, questionnaire),
        dimensions=dimensions,
        strong_dimensions=sorted(
            (d for d in backed if d.score is not None and reaches(d.score, STRONG_FROM)),
            key=lambda d: -(d.score or 0),
        ),
        weak_dimensions=sorted(
            (d for d in backed if d.score is not None and d.score < WEAK_BELOW),
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
        submission=build_submission(questionnaire, shown, result.assessed_on),
        include_answers=include_answers,
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
    """Each dimension with its score and how many answers stand behind it."""
    answered = [
        questionnaire.question_by_id[item.id].dimensions
        for item in result.questions
        if item.status == "answered"
    ]
    return [
        DimensionView(
            d.id,
            d.title,
            questionnaire.dimension_by_id[d.id].description,
            d.score,
            sum(1 for dims in answered if d.id in dims),
        )
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
    return ReportMeasure(
        **dict(m), key_open=m.key and m.why.points < KEY_MINIMUM, done_by_note=done_by_note(m.why.note)
    )


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
    return Method(
        KEY_MINIMUM, STRONG_FROM, WEAK_BELOW, scale, max(o.value for o in questionnaire.scale), MIN_ANSWERS
    )
