"""Comparing scored sheets: one municipality over time, or the municipalities of a region.

Pure data: scored sheets in, a :class:`Comparison` out, which the templates
``report_templates/compare.*.j2`` render and ``--format json`` prints. The rules (documented in
docs/consultants.md and stated in the documents themselves):

* Sheets of one municipality (same AGS, or the same name where an AGS is missing) form a **time line**,
  ordered by ``assessed_on``; otherwise they form a **region**, in which each municipality counts with
  its latest sheet.
* A question is a **gap** in a municipality when less than half of its points are reached (points < 0.5,
  the bar key questions must clear; "weiß nicht" and unanswered count 0, "nicht zutreffend" is left
  out). A **common gap** is a gap in at least half of the municipalities to which the question applies:
  a candidate for a joint project. Common gaps are listed stage by stage, the most widespread first.
* In a dimension a municipality is **strong** from a score of 2/3 and **weak** below 1/3: strong ones
  can mentor weak ones or share their solution (Stufenplan stage 3, the Difu tip to work together).
* ``anonymize`` replaces names by codes K01, K02, … in an order fixed by a checksum of each
  municipality's AGS or name (so the codes do not follow the alphabet or the AGS), drops files, AGS,
  notes and group names, and shows a **group view** (the region's distribution, averages, common gaps,
  the views by kind and by state) only for groups of at least five municipalities. A view by kind or
  state is withheld as a whole when the municipalities outside its shown groups are fewer than five,
  since the overall figures minus the shown groups would give them away.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Literal

from stufenplan_cli.domain.models.comparison import (
    CODE_PREFIX,
    MIN_GROUP,
    Assessment,
    CommonGap,
    Comparison,
    Delta,
    DimensionInfo,
    DimensionScore,
    GroupView,
    Member,
    Pairing,
    QuestionChange,
    Region,
    StageCount,
    StageInfo,
    StageScore,
    Timeline,
)
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import QuestionnaireRef, Result
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.thresholds import COMMON_GAP_SHARE, GAP_BELOW, STRONG_FROM, WEAK_BELOW
from stufenplan_cli.errors import InputError, UsageError
from stufenplan_cli.services.merge import same_municipality

Namer = Callable[[Municipality], str]


@dataclass(frozen=True)
class Profile:
    """What a comparison needs of one scored sheet: small enough to collect thousands of."""

    result: Result
    """The Result without its question list."""
    points: dict[str, tuple[str, int | None, float | None]]
    """Per question: status, value, points."""


def profile(result: Result) -> Profile:
    """Runs in the batch worker: the result with its questions folded into a compact mapping."""
    points: dict[str, tuple[str, int | None, float | None]] = {
        q.id: (q.status, q.value, q.points) for q in result.questions
    }
    return Profile(result.model_copy(update={"questions": []}), points)


# ----- building it -----


def _identity(m: Municipality) -> str:
    return m.ags or " ".join(m.name.casefold().split())


def codes(municipalities: Iterable[Municipality]) -> dict[str, str]:
    """K01, K02 … per municipality identity, in an order fixed by a checksum (not name or AGS order)."""
    identities = sorted(
        {_identity(m) for m in municipalities}, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest()
    )
    width = max(2, len(str(len(identities))))
    return {identity: f"{CODE_PREFIX}{n:0{width}d}" for n, identity in enumerate(identities, start=1)}


def _assessment(result: Result, label: str, anonymize: bool) -> Assessment:
    m = result.municipality
    return Assessment(
        label=label,
        name=None if anonymize else m.name,
        ags=None if anonymize else m.ags,
        kind=None if anonymize else m.kind,
        state=None if anonymize else m.state,
        file=None if anonymize else result.file,
        assessed_on=result.assessed_on,
        stage=result.stage,
        stage_title=result.stage_title,
        stages=[
            StageScore(id=s.id, title=s.title, score=s.score, threshold=s.threshold, reached=s.reached)
            for s in result.stages
        ],
        dimensions=[DimensionScore(id=d.id, title=d.title, score=d.score) for d in result.dimensions],
    )


def _check_questionnaire(profiles: Sequence[Profile]) -> None:
    ids = {p.result.questionnaire.id for p in profiles}
    if len(ids) > 1:
        by_id: dict[str, list[str]] = defaultdict(list)
        for p in profiles:
            by_id[p.result.questionnaire.id].append(p.result.file or p.result.municipality.name)
        listing = "; ".join(
            f"{qid}: {', '.join(files[:3])}{' …' if len(files) > 3 else ''}" for qid, files in by_id.items()
        )
        raise InputError(
            f"Die Bögen gehören zu verschiedenen Fragebögen ({listing}); "
            "verglichen werden nur Bögen desselben Fragebogens"
        )


def _one_municipality(profiles: Sequence[Profile]) -> bool:
    first = profiles[0].result.municipality
    return all(same_municipality(first, p.result.municipality) for p in profiles[1:])


def compare(profiles: Sequence[Profile], questionnaire: Questionnaire, anonymize: bool = False) -> Comparison:
    """A time line when every sheet is of one municipality, otherwise a regional comparison."""
    if len(profiles) < 2:
        raise UsageError("Zum Vergleichen braucht es mindestens zwei gültige Bögen")
    _check_questionnaire(profiles)
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version, title=questionnaire.title)
    labels = codes(p.result.municipality for p in profiles) if anonymize else {}

    def label(m: Municipality) -> str:
        return labels[_identity(m)] if anonymize else m.name

    base = Comparison(
        kind="timeline",
        questionnaire=ref,
        stages=[StageInfo(id=s.id, title=s.title, threshold=s.threshold) for s in questionnaire.stages],
        dimensions=[DimensionInfo(id=d.id, title=d.title) for d in questionnaire.dimensions],
        anonymized=anonymize,
    )
    if _one_municipality(profiles):
        return base.model_copy(update={"timeline": timeline(profiles, questionnaire, label, anonymize)})
    return base.model_copy(
        update={"kind": "region", "region": region(profiles, questionnaire, label, anonymize)}
    )


def _ordered_by_date(profiles: Sequence[Profile]) -> list[Profile]:
    """Undated sheets first in the order given, then dated ones oldest first (stable for equal dates)."""
    undated = [p for p in profiles if not p.result.assessed_on]
    dated = sorted((p for p in profiles if p.result.assessed_on), key=lambda p: p.result.assessed_on or "")
    return undated + dated


def _change(first: float | None, last: float | None) -> float | None:
    return None if first is None or last is None else last - first


def _option_label(questionnaire: Questionnaire, qid: str, status: str, value: int | None) -> str:
    if status == "answered" and value is not None:
        question = questionnaire.question_by_id[qid]
        for option in questionnaire.options_for(question):
            if option.value == value:
                return f"{value} – {option.label}"
        return str(value)
    return {"unknown": "weiß nicht", "n/a": "nicht zutreffend", "missing": "nicht beantwortet"}.get(
        status, status
    )


def timeline(
    profiles: Sequence[Profile], questionnaire: Questionnaire, name_of: Namer, anonymize: bool
) -> Timeline:
    """Progress of one municipality from its first to its last assessment."""
    ordered = _ordered_by_date(profiles)
    first, last = ordered[0], ordered[-1]
    improved: list[QuestionChange] = []
    fallen: list[QuestionChange] = []
    for question in questionnaire.questions:
        before = first.points.get(question.id)
        after = last.points.get(question.id)
        if before is None or after is None or before[2] is None or after[2] is None:
            continue
        change = after[2] - before[2]
        if abs(change) < 1e-9:
            continue
        item = QuestionChange(
            id=question.id,
            text=question.text,
            stage=question.stage,
            before=_option_label(questionnaire, question.id, before[0], before[1]),
            after=_option_label(questionnaire, question.id, after[0], after[1]),
            change=change,
        )
        (improved if change > 0 else fallen).append(item)
    improved.sort(key=lambda c: (-c.change, c.stage))
    fallen.sort(key=lambda c: (c.change, c.stage))
    r0, r1 = first.result, last.result
    return Timeline(
        label=name_of(r1.municipality),
        assessments=[_assessment(p.result, name_of(p.result.municipality), anonymize) for p in ordered],
        undated=sum(1 for p in profiles if not p.result.assessed_on),
        stage_from=r0.stage,
        stage_to=r1.stage,
        stages=[
            Delta(id=str(a.id), title=a.title, first=a.score, last=b.score, change=_change(a.score, b.score))
            for a, b in zip(r0.stages, r1.stages, strict=True)
        ],
        dimensions=[
            Delta(id=a.id, title=a.title, first=a.score, last=b.score, change=_change(a.score, b.score))
            for a, b in zip(r0.dimensions, r1.dimensions, strict=True)
        ],
        improved=improved,
        fallen_back=fallen,
    )


def _latest_per_municipality(profiles: Sequence[Profile]) -> tuple[list[Profile], int]:
    latest: dict[str, Profile] = {}
    for p in profiles:
        key = _identity(p.result.municipality)
        kept = latest.get(key)
        if kept is None or (p.result.assessed_on or "") >= (kept.result.assessed_on or ""):
            latest[key] = p
    return list(latest.values()), len(profiles) - len(latest)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def group_view(
    by: Literal["all", "kind", "state"], name: str, results: Sequence[Result], questionnaire: Questionnaire
) -> GroupView:
    n = len(results)
    return GroupView(
        by=by,
        name=name,
        count=n,
        stages=[
            DimensionScore(id=str(s.id), title=s.title, score=_mean(r.stages[i].score for r in results))
            for i, s in enumerate(questionnaire.stages)
        ],
        dimensions=[
            DimensionScore(id=d.id, title=d.title, score=_mean(r.dimensions[i].score for r in results))
            for i, d in enumerate(questionnaire.dimensions)
        ],
        stage_reached=[
            StageCount(
                id=s.id,
                title=s.title,
                count=sum(1 for r in results if r.stage >= s.id),
                share=sum(1 for r in results if r.stage >= s.id) / n,
            )
            for s in questionnaire.stages
        ],
    )


def region(
    profiles: Sequence[Profile], questionnaire: Questionnaire, name_of: Namer, anonymize: bool
) -> Region:
    """The region at a glance: distribution, heat map rows, common gaps, who can help whom."""
    latest, superseded = _latest_per_municipality(profiles)
    entries = sorted(((name_of(p.result.municipality), p) for p in latest), key=lambda e: e[0].casefold())
    results = [p.result for _, p in entries]
    n = len(results)
    minimum = MIN_GROUP if anonymize else 1
    shown = n >= minimum

    distribution = [
        StageCount(id=0, title="noch keine Stufe erreicht", count=0, share=0.0),
        *[StageCount(id=s.id, title=s.title, count=0, share=0.0) for s in questionnaire.stages],
    ]
    for r in results:
        distribution[r.stage].count += 1
    for bucket in distribution:
        bucket.share = bucket.count / n

    groups: list[GroupView] = []
    withheld: list[Literal["kind", "state"]] = []
    hidden = 0
    views: tuple[Literal["kind", "state"], ...] = ("kind", "state")
    for by in views:
        members: dict[str, list[Result]] = defaultdict(list)
        for r in results:
            value = getattr(r.municipality, by)
            if value:
                members[value].append(r)
        if len(members) < 2:
            continue  # one kind or state for all: the view would repeat the overall one
        big = [name for name in sorted(members) if len(members[name]) >= max(minimum, 2)]
        rest = n - sum(len(members[name]) for name in big)
        if anonymize and big and 0 < rest < minimum:
            # The shown groups and the overall figures would give away the few municipalities left
            # out (overall minus shown groups): withhold the whole view.
            withheld.append(by)
            hidden += len(members) - len(big)
            continue
        groups.extend(group_view(by, name, members[name], questionnaire) for name in big)
        hidden += len(members) - len(big)

    common: list[CommonGap] = []
    for question in questionnaire.questions:
        applicable = 0
        count = 0
        for _, p in entries:
            item = p.points.get(question.id)
            if item is None or item[2] is None:
                continue
            applicable += 1
            count += item[2] < GAP_BELOW
        if applicable and count / applicable >= COMMON_GAP_SHARE and count >= 2:
            common.append(
                CommonGap(
                    id=question.id,
                    text=question.text,
                    stage=question.stage,
                    dimensions=[questionnaire.dimension_by_id[d].title for d in question.dimensions],
                    count=count,
                    applicable=applicable,
                    share=count / applicable,
                    action=question.action,
                    recommendation=question.recommendation,
                )
            )
    # Stage by stage, as the Stufenplan goes: a joint project on what most lack at the earliest stage
    # helps first; within a stage the most widespread gaps lead.
    common.sort(key=lambda g: (g.stage, -g.share, -g.count))

    pairings: list[Pairing] = []
    for i, dim in enumerate(questionnaire.dimensions):
        scored = [(lab, p.result.dimensions[i].score) for lab, p in entries]
        strong = sorted(
            (Member(label=lab, score=s) for lab, s in scored if s is not None and s >= STRONG_FROM - 1e-9),
            key=lambda m: (-m.score, m.label),
        )
        weak = sorted(
            (Member(label=lab, score=s) for lab, s in scored if s is not None and s < WEAK_BELOW),
            key=lambda m: (m.score, m.label),
        )
        pairings.append(
            Pairing(
                id=dim.id,
                title=dim.title,
                mean=_mean(s for _, s in scored) if shown else None,
                strong=strong,
                weak=weak,
            )
        )

    return Region(
        assessments=[_assessment(p.result, lab, anonymize) for lab, p in entries],
        superseded=superseded,
        group_views_shown=shown,
        distribution=distribution if shown else [],
        overall=group_view("all", "alle", results, questionnaire) if shown else None,
        groups=groups if shown else [],
        group_minimum=max(minimum, 2),
        groups_hidden=hidden if shown else 0,
        views_withheld=withheld if shown else [],
        common_gaps=common if shown else [],
        pairings=pairings,
    )
