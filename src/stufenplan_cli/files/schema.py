"""JSON Schema for the file formats, generated from the pydantic models.

The answer sheet accepts a shorthand the model normalises before validation (``frage: 2``,
``frage: weiß nicht``, a blank ``frage:``); the schema is widened here to say so, so that editors
accept exactly what ``stufenplan validate`` accepts.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import SPECIAL_ALIASES, AnswerSheet

SCHEMA_FILE = {
    "questionnaire": "stufenplan-questionnaire.schema.json",
    "answers": "stufenplan-answers.schema.json",
}


def _answer_value() -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "enum": sorted(SPECIAL_ALIASES)},
        ],
        "description": "Optionswert, 'weiß nicht' (unknown) oder 'nicht zutreffend' (n/a)",
    }


def schema_dict(kind: Literal["questionnaire", "answers"]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a questionnaire or an answer sheet."""
    if kind == "questionnaire":
        result = Questionnaire.model_json_schema(mode="validation")
        result["properties"]["version"] = {"type": ["string", "number"], "title": "Version"}
    else:
        result = AnswerSheet.model_json_schema(mode="validation")
        result["$defs"]["Answer"]["properties"]["value"] = _answer_value()
        result["$defs"]["Disagreement"]["properties"]["values"]["additionalProperties"] = _answer_value()
        result["properties"]["answers"]["additionalProperties"] = {
            "anyOf": [_answer_value(), {"$ref": "#/$defs/Answer"}, {"type": "null"}]
        }
        result["properties"]["questionnaire_version"] = {
            "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}],
            "title": "Questionnaire Version",
        }
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return result


def schema_json(kind: str) -> str:
    if kind not in SCHEMA_FILE:
        raise ValueError(kind)
    return json.dumps(schema_dict(kind), ensure_ascii=False, indent=2) + "\n"  # type: ignore[arg-type]
