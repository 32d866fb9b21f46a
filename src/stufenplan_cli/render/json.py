"""The report as JSON: the score record plus answers and roadmap, with stable keys for other systems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.roadmap import Measure
from stufenplan_cli.render.context import ReportContext
from stufenplan_cli.render.funding import funding_for

FORMAT = "stufenplan-report"
FORMAT_VERSION = 1


def report_record(
    result: Result,
    questionnaire: Questionnaire,
    measures: list[Measure],
    context: ReportContext | None = None,
    template_dir: Path | None = None,
) -> dict[str, Any]:
    """The score record of ``stufenplan score --format json``, extended by what the report adds.

    Optional fields are present as ``null``; ``questionnaire.references`` resolves the ``source`` of each
    measure; ``submission`` holds the front sheet (subject, resolution, financial implications) as shown.
    """
    record: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    record.update(result.score_record())
    record["municipality"] = result.municipality.model_dump(mode="json")
    record["questionnaire"] = {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "references": [r.model_dump(mode="json") for r in questionnaire.references],
    }
    record["assessed_on"] = result.assessed_on
    record["assessor"] = result.assessor
    record["target"] = result.target.model_dump(mode="json") if result.target else None
    record["questions"] = [q.model_dump(mode="json") for q in result.questions]
    record["roadmap"] = [_with_due(m.model_dump(mode="json")) for m in measures]
    record["merged"] = result.merged.model_dump(mode="json") if result.merged else None
    if context is not None:
        from stufenplan_cli.render.frontsheet import front_sheet

        sheet = front_sheet(context, template_dir)
        top = {m["question"]: m for m in record["roadmap"]}
        sheet["top_measures"] = [top[_id(m)] for m in context.submission.measures if _id(m) in top]
        record["submission"] = sheet
        record["horizons"] = [
            {"id": h.id, "title": h.title, "description": h.description, "months": h.months, "due": h.due}
            for h in context.submission.horizons
        ]
    funding = funding_for(result.municipality)
    record["funding"] = {
        "state": funding["state"],
        "programmes": [
            {key: p[key] for key in ("id", "name", "status", "states", "checked")}
            for p in funding["programmes"] + funding["routes"]
        ],
    }
    return record


def _with_due(measure: dict[str, Any]) -> dict[str, Any]:
    """The measure's due date also under its horizon (``horizon.due``), where readers of the horizon look."""
    if isinstance(measure.get("horizon"), dict):
        measure["horizon"]["due"] = measure.get("due")
    return measure


def _id(measure: Any) -> str:
    return str(measure["question"] if isinstance(measure, dict) else measure.question)


def render_json(
    result: Result,
    questionnaire: Questionnaire,
    measures: list[Measure],
    context: ReportContext | None = None,
    template_dir: Path | None = None,
) -> str:
    """Indented UTF-8 JSON, keys in a fixed order, ending with a newline."""
    record = report_record(result, questionnaire, measures, context, template_dir)
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
