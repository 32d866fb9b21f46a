"""The roadmap: from a scored sheet to a prioritised list of measures. Pure functions, no I/O.

Order (documented in docs/report.md):
1. failed key questions of the next stage (they block it whatever the score),
2. the other gaps of the next stage, by weight × (1 − points), as scoring orders them,
3. open points of stages already reached (what is reached must hold),
4. the gaps of the later stages, stage by stage, key questions first.

Who acts comes from the question's ``actor``, the horizon from its ``horizon``; a question without
a horizon gets one by its distance from the placement (the questionnaire's horizons in order:
the next stage the first, the one after the second, and so on).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.result import QuestionResult, Result
from stufenplan_cli.domain.thresholds import KEY_MINIMUM

Group = Literal["key", "next", "consolidate", "later"]
GROUP_ORDER: tuple[Group, ...] = ("key", "next", "consolidate", "later")


class Ref(BaseModel):
    """An id with its title from the questionnaire (actor, horizon, dimension)."""

    id: str
    title: str


class Why(BaseModel):
    """The current answer that makes this a gap."""

    status: str = Field(description="answered, unknown or missing")
    value: int | None = None
    max_value: int
    label: str | None = Field(default=None, description="Bezeichnung der gewählten Option")
    points: float
    note: str | None = None


class Measure(BaseModel):
    """One step on the roadmap: close the gap of one question."""

    rank: int = Field(description="1 = am dringendsten")
    group: Group
    question: str
    text: str = Field(description="die Frage")
    action: str | None = Field(default=None, description="Kurzname der Maßnahme (action der Frage)")
    measure: str | None = Field(description="die Empfehlung der Frage (recommendation)")
    why: Why
    stage: int
    stage_title: str
    key: bool
    weight: float
    priority: float = Field(description="Gewicht × (1 − Punkte)")
    actor: Ref | None = None
    horizon: Ref | None = None
    horizon_derived: bool = Field(description="Horizont aus dem Abstand der Stufe abgeleitet")
    example: str | None = None
    tip: Ref | None = Field(default=None, description="die erste Dimension der Frage (Difu-Tipp)")
    source: str | None = None


def _group(item: QuestionResult, placement: int) -> Group:
    next_id = placement + 1
    if item.stage == next_id:
        return "key" if item.key and (item.points or 0.0) < KEY_MINIMUM else "next"
    if item.stage <= placement:
        return "consolidate"
    return "later"


def _horizon(questionnaire: Questionnaire, question: Question, placement: int) -> tuple[Ref | None, bool]:
    if question.horizon is not None:
        h = questionnaire.horizon_by_id[question.horizon]
        return Ref(id=h.id, title=h.title), False
    if not questionnaire.horizons:
        return None, False
    distance = max(1, question.stage - placement)
    h = questionnaire.horizons[min(distance, len(questionnaire.horizons)) - 1]
    return Ref(id=h.id, title=h.title), True


def _measure(questionnaire: Questionnaire, item: QuestionResult, placement: int, rank: int) -> Measure:
    question = questionnaire.question_by_id[item.id]
    label = None
    if item.value is not None:
        label = next((o.label for o in questionnaire.options_for(question) if o.value == item.value), None)
    actor = None
    if question.actor is not None:
        a = questionnaire.actor_by_id[question.actor]
        actor = Ref(id=a.id, title=a.title)
    horizon, derived = _horizon(questionnaire, question, placement)
    tip_dim = questionnaire.dimension_by_id[question.dimensions[0]]
    points = item.points or 0.0
    return Measure(
        rank=rank,
        group=_group(item, placement),
        question=item.id,
        text=question.text,
        action=question.action,
        measure=question.recommendation,
        why=Why(
            status=item.status,
            value=item.value,
            max_value=item.max_value,
            label=label,
            points=points,
            note=item.note,
        ),
        stage=item.stage,
        stage_title=questionnaire.stage_by_id[item.stage].title,
        key=item.key,
        weight=item.weight,
        priority=item.weight * (1 - points),
        actor=actor,
        horizon=horizon,
        horizon_derived=derived,
        example=question.example,
        tip=Ref(id=tip_dim.id, title=tip_dim.title),
        source=question.source,
    )


def roadmap(result: Result, questionnaire: Questionnaire) -> list[Measure]:
    """Every open question (points < 1, not n/a) as a measure, most urgent first."""
    by_id = {q.id: q for q in result.questions}
    ordered: list[QuestionResult] = []
    for stage in result.stages:
        ids = list(stage.gaps)
        if stage.id > result.stage:
            # key questions that fail lead their stage; the rest keep the scoring's gap order
            failed = [i for i in ids if i in stage.key_failed]
            ids = failed + [i for i in ids if i not in stage.key_failed]
        ordered += [by_id[i] for i in ids]
    rank_of_group = {g: n for n, g in enumerate(GROUP_ORDER)}
    indexed = list(enumerate(ordered))
    indexed.sort(key=lambda pair: (rank_of_group[_group(pair[1], result.stage)], pair[0]))
    return [
        _measure(questionnaire, item, result.stage, rank) for rank, (_, item) in enumerate(indexed, start=1)
    ]
