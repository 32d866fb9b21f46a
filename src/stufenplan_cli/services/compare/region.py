"""The municipalities of a region: distribution, group views, common gaps, who can help whom."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Literal

from stufenplan_cli.domain.models.comparison import (
    CommonGap,
    DimensionScore,
    GroupView,
    Member,
    Pairing,
    Region,
    StageCount,
)
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.thresholds import COMMON_GAP_SHARE, GAP_BELOW, STRONG_FROM, WEAK_BELOW, reaches
from stufenplan_cli.services.compare.anonymity import group_minimum, withhold_view
from stufenplan_cli.services.compare.profiles import Profile, assessment, identities, identity, mean_of

Namer = Callable[[Municipality], str]
Entries = list[tuple[str, Profile]]
View = Literal["kind", "state"]


def region(
    profiles: Sequence[Profile], questionnaire: Questionnaire, name_of: Namer, anonymize: bool
) -> Region:
    """The region at a glance: distribution, heat map rows, common gaps, who can help whom."""
    latest, superseded = latest_per_municipality(profiles)
    entries = sorted(((name_of(p.result.municipality), p) for p in latest), key=lambda e: e[0].casefold())
    results = [p.result for _, p in entries]
    minimum = group_minimum(anonymize)
    shown = len(results) >= minimum
    groups, withheld, hidden = _group_views(results, questionnaire, anonymize)
    return Region(
        assessments=[assessment(p.result, lab, anonymize) for lab, p in entries],
        superseded=superseded,
        group_views_shown=shown,
        distribution=_distribution(results, questionnaire) if shown else [],
        overall=group_view("all", "alle", results, questionnaire) if shown else None,
        groups=groups if shown else [],
        group_minimum=max(minimum, 2),
        groups_hidden=hidden if shown else 0,
        views_withheld=withheld if shown else [],
        common_gaps=_common_gaps(entries, questionnaire) if shown else [],
        pairings=_pairings(entries, questionnaire, shown),
    )


def latest_per_municipality(profiles: Sequence[Profile]) -> tuple[list[Profile], int]:
    """Each municipality's latest sheet, and how many older ones were left out."""
    latest: dict[str, Profile] = {}
    known = identities(p.result.municipality for p in profiles)
    for p in profiles:
        key = identity(p.result.municipality, known)
        kept = latest.get(key)
        if kept is None or (p.result.assessed_on or "") >= (kept.result.assessed_on or ""):
            latest[key] = p
    return list(latest.values()), len(profiles) - len(latest)


def group_view(
    by: Literal["all", "kind", "state"], name: str, results: Sequence[Result], questionnaire: Questionnaire
) -> GroupView:
    """Mean stage and dimension scores of a group and how many of it reached each stage."""
    n = len(results)
    return GroupView(
        by=by,
        name=name,
        count=n,
        stages=[
            DimensionScore(id=str(s.id), title=s.title, score=mean_of(r.stages[i].score for r in results))
            for i, s in enumerate(questionnaire.stages)
        ],
        dimensions=[
            DimensionScore(id=d.id, title=d.title, score=mean_of(r.dimensions[i].score for r in results))
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


def _distribution(results: Sequence[Result], questionnaire: Questionnaire) -> list[StageCount]:
    """How many municipalities stand on each stage, "none yet" first."""
    n = len(results)
    stages = [(0, "noch keine Stufe erreicht"), *((s.id, s.title) for s in questionnaire.stages)]
    counts = [sum(1 for r in results if r.stage == stage_id) for stage_id, _ in stages]
    return [
        StageCount(id=stage_id, title=title, count=count, share=count / n)
        for (stage_id, title), count in zip(stages, counts, strict=True)
    ]


def _group_views(
    results: Sequence[Result], questionnaire: Questionnaire, anonymize: bool
) -> tuple[list[GroupView], list[View], int]:
    """The views by kind and by state: shown groups, withheld views, and the number of groups hidden."""
    minimum = group_minimum(anonymize)
    groups: list[GroupView] = []
    withheld: list[View] = []
    hidden = 0
    views: tuple[View, ...] = ("kind", "state")
    for by in views:
        members: dict[str, list[Result]] = defaultdict(list)
        for r in results:
            value = getattr(r.municipality, by)
            if value:
                members[value].append(r)
        if len(members) < 2:
            continue  # one kind or state for all: the view would repeat the overall one
        big = [name for name in sorted(members) if len(members[name]) >= max(minimum, 2)]
        hidden += len(members) - len(big)
        if withhold_view(anonymize, (len(members[name]) for name in big), len(results)):
            withheld.append(by)
            continue
        groups.extend(group_view(by, name, members[name], questionnaire) for name in big)
    return groups, withheld, hidden


def _common_gaps(entries: Entries, questionnaire: Questionnaire) -> list[CommonGap]:
    """Gaps most municipalities share, stage by stage, the most widespread first."""
    common = [g for q in questionnaire.questions if (g := _common_gap(entries, questionnaire, q))]
    # Stage by stage, as the Stufenplan goes: a joint project on what most lack at the earliest stage
    # helps first; within a stage the most widespread gaps lead.
    return sorted(common, key=lambda g: (g.stage, -g.share, -g.count))


def _common_gap(entries: Entries, questionnaire: Questionnaire, question: Question) -> CommonGap | None:
    """The question as a common gap: a gap in at least ``COMMON_GAP_SHARE`` of those it applies to."""
    points = [item[2] for _, p in entries if (item := p.points.get(question.id)) and item[2] is not None]
    applicable = len(points)
    count = sum(1 for value in points if value < GAP_BELOW)
    if not (applicable and count / applicable >= COMMON_GAP_SHARE and count >= 2):
        return None
    return CommonGap(
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


def _pairings(entries: Entries, questionnaire: Questionnaire, shown: bool) -> list[Pairing]:
    """Per dimension the strong municipalities (who can mentor) and the weak ones (who can learn)."""
    pairings = []
    for i, dim in enumerate(questionnaire.dimensions):
        scored = [(lab, p.result.dimensions[i].score) for lab, p in entries]
        strong = sorted(
            (Member(label=lab, score=s) for lab, s in scored if s is not None and reaches(s, STRONG_FROM)),
            key=lambda m: (-m.score, m.label),
        )
        weak = sorted(
            (Member(label=lab, score=s) for lab, s in scored if s is not None and s < WEAK_BELOW),
            key=lambda m: (m.score, m.label),
        )
        mean = mean_of(s for _, s in scored) if shown else None
        pairings.append(Pairing(id=dim.id, title=dim.title, mean=mean, strong=strong, weak=weak))
    return pairings
