"""The roadmap: from a scored sheet to a prioritised list of measures. Pure functions, no I/O.

Order (documented in docs/report.md):
1. failed key questions of the next stage – the lowest stage whose criteria are still open –
   (they block it whatever the score),
2. the other gaps of the next stage, by weight × (1 − points), as scoring orders them,
3. open points of stages already met (what is met must hold),
4. the gaps of the later stages, stage by stage, key questions first.

What to do comes from the ``next`` of the option the sheet holds, so a measure never asks to create
what exists; for an open answer (weiß nicht, missing) it is the lowest option's ``next``, marked
``clarify`` (find out the state first); questionnaires without ``next`` fall back to the question's
``action`` and ``recommendation``. Skipped follow-ups get no measure: the measure of the question
they follow comes first. Who acts and the effort come from ``next``, else from the question; the
horizon from the question's ``horizon``, else by the stage's distance from the next stage (the
questionnaire's horizons in order); the due date is the assessment date plus the horizon's months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from pydantic import Field

from stufenplan_cli.domain.models.common import Model
from stufenplan_cli.domain.models.questionnaire import Next, Option, Question, Questionnaire
from stufenplan_cli.domain.models.result import QuestionResult, Result
from stufenplan_cli.domain.thresholds import KEY_MINIMUM

Group = Literal["key", "next", "consolidate", "later"]
GROUP_ORDER: tuple[Group, ...] = ("key", "next", "consolidate", "later")


class Ref(Model):
    """An id with its title from the questionnaire (actor, horizon, dimension)."""

    id: str
    title: str


class EffortRef(Model):
    """The effort class of a measure with its ranges, for the financial consequences."""

    id: str
    title: str
    description: str | None = None
    staff_days: tuple[float, float] | None = None
    cost_eur: tuple[float, float] | None = None
    fte: tuple[float, float] | None = None
    cost_eur_per_year: tuple[float, float] | None = None


class Why(Model):
    """The current answer that makes this a gap."""

    status: str = Field(description="answered, unknown, missing oder n/a (Schlüsselfrage, zählt 0)")
    value: int | None = None
    max_value: int
    label: str | None = Field(default=None, description="Bezeichnung der gewählten Option")
    points: float
    note: str | None = None


class Measure(Model):
    """One step on the roadmap: close the gap of one question."""

    rank: int = Field(description="1 = am dringendsten")
    group: Group
    question: str
    text: str = Field(description="die Frage")
    action: str | None = Field(
        default=None,
        description="Kurzname der Maßnahme: next.action der gewählten Option, sonst action der Frage",
    )
    measure: str | None = Field(
        description="was zu tun ist: next.text der gewählten Option, sonst recommendation der Frage"
    )
    from_option: int | None = Field(
        default=None, description="Wert der Option, deren next die Maßnahme liefert (None: aus der Frage)"
    )
    clarify: bool = Field(
        default=False,
        description="Antwort offen (weiß nicht, fehlend): zuerst den Stand klären; die Maßnahme gilt, falls nichts vorliegt",
    )
    why: Why
    stage: int
    stage_title: str
    key: bool
    weight: float
    priority: float = Field(description="Gewicht × (1 − Punkte)")
    actor: Ref | None = None
    horizon: Ref | None = None
    horizon_derived: bool = Field(description="Horizont aus dem Abstand der Stufe abgeleitet")
    due: str | None = Field(
        default=None, description="fällig bis (ISO-Datum): Datum der Einschätzung + months des Horizonts"
    )
    effort: EffortRef | None = Field(
        default=None, description="Aufwandsklasse: next.effort, sonst effort der Frage"
    )
    example: str | None = None
    tip: Ref | None = Field(default=None, description="die erste Dimension der Frage (Difu-Tipp)")
    source: str | None = None


def _group(item: QuestionResult, next_id: int | None, met: set[int]) -> Group:
    if item.stage == next_id:
        return "key" if item.key and (item.points or 0.0) < KEY_MINIMUM else "next"
    if item.stage in met:
        return "consolidate"
    return "later"


def _horizon(
    questionnaire: Questionnaire, question: Question, base: int
) -> tuple[Ref | None, int | None, bool]:
    """The horizon (ref, months, derived) of a question; derived from its distance above ``base``."""
    if question.horizon is not None:
        h = questionnaire.horizon_by_id[question.horizon]
        return Ref(id=h.id, title=h.title), h.months, False
    if not questionnaire.horizons:
        return None, None, False
    distance = max(1, question.stage - base)
    h = questionnaire.horizons[min(distance, len(questionnaire.horizons)) - 1]
    return Ref(id=h.id, title=h.title), h.months, True


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31 August plus 6 months is the last day of February."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _step(options: list[Option], item: QuestionResult) -> tuple[Option | None, bool]:
    """The option whose ``next`` is the measure, and whether the state must be clarified first."""
    if item.status == "answered":
        return next((o for o in options if o.value == item.value), None), False
    # unknown or missing: clarify, and if nothing exists, the first step; n/a on a key question: the first step
    return (options[0] if options else None), item.status in ("unknown", "missing")


def _measure(
    questionnaire: Questionnaire,
    item: QuestionResult,
    group: Group,
    base: int,
    rank: int,
    assessed_on: dt.date | None,
) -> Measure:
    question = questionnaire.question_by_id[item.id]
    options = questionnaire.options_for(question)
    label = None
    if item.value is not None:
        label = next((o.label for o in options if o.value == item.value), None)
    option, clarify = _step(options, item)
    step: Next | None = option.next if option is not None else None
    actor_id = (step.actor if step else None) or question.actor
    actor = None
    if actor_id is not None:
        a = questionnaire.actor_by_id[actor_id]
        actor = Ref(id=a.id, title=a.title)
    effort_id = (step.effort if step else None) or question.effort
    effort = None
    if effort_id is not None:
        e = questionnaire.effort_by_id[effort_id]
        effort = EffortRef(**e.model_dump(include=set(EffortRef.model_fields)))
    horizon, months, derived = _horizon(questionnaire, question, base)
    due = add_months(assessed_on, months).isoformat() if assessed_on and months is not None else None
    tip_dim = questionnaire.dimension_by_id[question.dimensions[0]]
    points = item.points or 0.0
    return Measure(
        rank=rank,
        group=group,
        question=item.id,
        text=question.text,
        action=step.action if step else question.action,
        measure=step.text if step else question.recommendation,
        from_option=option.value if step and option else None,
        clarify=clarify,
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
        due=due,
        effort=effort,
        example=question.example,
        tip=Ref(id=tip_dim.id, title=tip_dim.title),
        source=question.source,
    )


def roadmap(result: Result, questionnaire: Questionnaire) -> list[Measure]:
    """Every open question (points < 1, not n/a, not a skipped follow-up) as a measure, most urgent first."""
    by_id = {q.id: q for q in result.questions}
    met = {s.id for s in result.stages if s.reached}
    next_id = result.next_stage.id if result.next_stage else None
    ordered: list[QuestionResult] = []
    for stage in result.stages:
        ids = [i for i in stage.gaps if by_id[i].status != "skipped"]
        if stage.id not in met:
            # key questions that fail lead their stage; the rest keep the scoring's gap order
            failed = [i for i in ids if i in stage.key_failed]
            ids = failed + [i for i in ids if i not in stage.key_failed]
        ordered += [by_id[i] for i in ids]
    rank_of_group = {g: n for n, g in enumerate(GROUP_ORDER)}
    grouped = [(_group(item, next_id, met), i, item) for i, item in enumerate(ordered)]
    grouped.sort(key=lambda triple: (rank_of_group[triple[0]], triple[1]))
    base = (next_id - 1) if next_id is not None else len(result.stages)
    assessed_on = dt.date.fromisoformat(result.assessed_on) if result.assessed_on else None
    return [
        _measure(questionnaire, item, group, base, rank, assessed_on)
        for rank, (group, _, item) in enumerate(grouped, start=1)
    ]
