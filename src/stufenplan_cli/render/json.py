"""The report as JSON: the score record plus answers and roadmap, with stable keys for other systems."""

from __future__ import annotations

import json
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.roadmap import Measure
from stufenplan_cli.render.funding import funding_for

FORMAT = "stufenplan-report"
FORMAT_VERSION = 1


def report_record(result: Result, questionnaire: Questionnaire, measures: list[Measure]) -> dict[str, Any]:
    """The score record of ``stufenplan score --format json``, extended by what the report adds."""
    record: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    record.update(result.score_record())
    record["questionnaire"] = {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": questionnaire.title,
    }
    record["assessed_on"] = result.assessed_on
    record["assessor"] = result.assessor
    record["target"] = result.target.model_dump(mode="json") if result.target else None
    record["questions"] = [q.model_dump(mode="json") for q in result.questions]
    record["roadmap"] = [m.model_dump(mode="json") for m in measures]
    record["merged"] = result.merged.model_dump(mode="json") if result.merged else None
    funding = funding_for(result.municipality)
    record["funding"] = {
        "state": funding["state"],
        "programmes": [
            {key: p[key] for key in ("id", "name", "status", "states", "checked")}
            for p in funding["programmes"] + funding["routes"]
        ],
    }
    return record


def render_json(result: Result, questionnaire: Questionnaire, measures: list[Measure]) -> str:
    """Indented UTF-8 JSON, keys in a fixed order, ending with a newline."""
    return json.dumps(report_record(result, questionnaire, measures), ensure_ascii=False, indent=2) + "\n"
