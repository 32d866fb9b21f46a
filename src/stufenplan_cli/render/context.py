"""One report context: every fact a report template needs, as plain dicts, lists, numbers and text.

The templates decide the wording; this module only gathers and orders data from the Result, the
Questionnaire and the roadmap. Plain data (no models) keeps the sandboxed user templates simple and
makes the context itself testable.
"""

from __future__ import annotations

from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import QuestionResult, Result
from stufenplan_cli.domain.roadmap import GROUP_ORDER, Measure, roadmap
from stufenplan_cli.domain.scoring import KEY_MINIMUM, shown_score
from stufenplan_cli.render.funding import funding_for

# A dimension at or above this score counts as a strength, below WEAK as a weakness.
STRONG = 2 / 3
WEAK = 0.5
TOP_MEASURES = 3


def _question(questionnaire: Questionnaire, item: QuestionResult) -> dict[str, Any]:
    """A question with its answer, as the appendix and the gap lists show it."""
    q = questionnaire.question_by_id[item.id]
    options = questionnaire.options_for(q)
    label = (
        next((o.label for o in options if o.value == item.value), None) if item.value is not None else None
    )
    return {
        "id": q.id,
        "text": q.text,
        "help": q.help,
        "stage": q.stage,
        "key": q.key,
        "key_open": q.key and item.points is not None and item.points < KEY_MINIMUM,
        "weight": q.weight,
        "status": item.status,
        "value": item.value,
        "max_value": item.max_value,
        "label": label,
        "points": item.points,
        "note": item.note,
        "recommendation": q.recommendation,
        "example": q.example,
        "source": q.source,
        "dimensions": [questionnaire.dimension_by_id[d].title for d in q.dimensions],
        "actor": questionnaire.actor_by_id[q.actor].title if q.actor else None,
        "options": [{"value": o.value, "label": o.label} for o in options],
    }


def _measure(m: Measure) -> dict[str, Any]:
    """A measure as plain data; ``key_open`` marks a key question still below its minimum."""
    data = m.model_dump(mode="json")
    data["key_open"] = m.key and m.why.points < KEY_MINIMUM
    return data


def build_context(
    result: Result, questionnaire: Questionnaire, measures: list[Measure] | None = None
) -> dict[str, Any]:
    """Everything a report shows, in the order it is shown; deterministic for the same input."""
    if measures is None:
        measures = roadmap(result, questionnaire)
    questions = {item.id: _question(questionnaire, item) for item in result.questions}
    stage_defs = questionnaire.stage_by_id

    stages = []
    for s in result.stages:
        items = [questions[q.id] for q in questionnaire.questions_of_stage(s.id)]
        stages.append(
            {
                "id": s.id,
                "title": s.title,
                "goal": stage_defs[s.id].goal,
                "score": shown_score(s.score, s.threshold, s.score_met),
                "threshold": s.threshold,
                "reached": s.reached,
                "score_met": s.score_met,
                "current": s.id == result.stage,
                "next": s.id == result.stage + 1,
                "key_failed": [questions[i] for i in s.key_failed],
                "gaps": [questions[i] for i in s.gaps],
                "questions": items,
                "key_questions": [q for q in items if q["key"]],
            }
        )

    next_stage = None
    if result.next_stage is not None:
        n = result.next_stage
        shown = shown_score(n.score, n.threshold, n.shortfall == 0)
        next_stage = {
            "id": n.id,
            "title": n.title,
            "goal": stage_defs[n.id].goal,
            "score": shown,
            "threshold": n.threshold,
            "shortfall": max(0.0, n.threshold - (shown or 0.0)) if n.shortfall > 0 else 0.0,
            "score_met": n.shortfall == 0 and n.score is not None,
            "key_failed": [questions[i] for i in n.key_failed],
            "gaps": [questions[i] for i in n.gaps if i not in n.key_failed],
        }

    dimensions: list[dict[str, Any]] = [
        {
            "id": d.id,
            "title": d.title,
            "description": questionnaire.dimension_by_id[d.id].description,
            "score": d.score,
        }
        for d in result.dimensions
    ]
    scored = [d for d in dimensions if d["score"] is not None]
    strong = sorted((d for d in scored if d["score"] >= STRONG), key=lambda d: -d["score"])
    weak = sorted((d for d in scored if d["score"] < WEAK), key=lambda d: d["score"])
    achieved = [q for q in questions.values() if q["points"] is not None and q["points"] >= 1]

    target = None
    if result.target is not None:
        t = result.target
        assessed_year = int(result.assessed_on[:4]) if result.assessed_on else None
        target = {
            "stage": t.stage,
            "title": stage_defs[t.stage].title if t.stage in stage_defs else None,
            "year": t.year,
            "reached": result.stage >= t.stage,
            "steps": max(0, t.stage - result.stage),
            "years_left": (t.year - assessed_year) if t.year and assessed_year else None,
        }

    measure_dicts = [_measure(m) for m in measures]
    groups = [
        {"id": g, "measures": [m for m in measure_dicts if m["group"] == g]}
        for g in GROUP_ORDER
        if any(m["group"] == g for m in measure_dicts)
    ]
    actors = [
        {
            "id": a.id,
            "title": a.title,
            "description": a.description,
            "measures": [m for m in measure_dicts if m["actor"] and m["actor"]["id"] == a.id],
        }
        for a in questionnaire.actors
    ]

    merged = None
    if result.merged is not None:
        merged = {
            "method": result.merged.method,
            "sources": [s.model_dump(mode="json") for s in result.merged.sources],
            "discussion": [
                {
                    "question": questions.get(d.question),
                    "id": d.question,
                    "spread": d.spread,
                    "values": [
                        {
                            "group": group,
                            "value": value,
                            "label": _label(questions.get(d.question), value),
                        }
                        for group, value in d.values.items()
                    ],
                }
                for d in result.merged.discussion
            ],
        }

    total = result.question_count
    return {
        "municipality": result.municipality.model_dump(mode="json"),
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": questionnaire.title,
            "description": questionnaire.description,
            "references": [r.model_dump(mode="json") for r in questionnaire.references],
        },
        "assessed_on": result.assessed_on,
        "assessor": result.assessor,
        "file": result.file,
        "stage": result.stage,
        "stage_title": result.stage_title,
        "stage_goal": stage_defs[result.stage].goal if result.stage else None,
        "stage_count": len(result.stages),
        "top_stage": result.stage == len(result.stages),
        "stages": stages,
        "current_stage": stages[result.stage - 1] if result.stage else None,
        "next_stage": next_stage,
        "target": target,
        "dimensions": dimensions,
        "strong_dimensions": strong,
        "weak_dimensions": weak,
        "achieved": achieved,
        "measures": measure_dicts,
        "top_measures": measure_dicts[:TOP_MEASURES],
        "measure_groups": groups,
        "actors": actors,
        "questions": list(questions.values()),
        "counts": {
            "total": total,
            "answered": result.answered,
            "unknown": result.unknown,
            "not_applicable": result.not_applicable,
            "missing": result.missing,
        },
        "method": {
            "key_minimum": KEY_MINIMUM,
            "strong": STRONG,
            "weak": WEAK,
            "scale": [{"value": o.value, "label": o.label} for o in questionnaire.scale],
            "max_scale": max(o.value for o in questionnaire.scale),
        },
        "merged": merged,
        "funding": funding_for(result.municipality),
        "warnings": list(result.warnings),
    }


def _label(question: dict[str, Any] | None, value: object) -> str | None:
    if question is None or not isinstance(value, int):
        return None
    return next((o["label"] for o in question["options"] if o["value"] == value), None)
