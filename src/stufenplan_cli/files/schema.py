"""JSON Schema for the file formats, generated from the pydantic models.

The answer sheet accepts a shorthand the model normalises before validation (``frage: 2``,
``frage: weiß nicht``, a blank ``frage:``); the schema is widened here to say so, so that editors
accept exactly what ``stufenplan validate`` accepts. For one questionnaire the schema also knows its
question ids and each question's options, so an editor completes them and flags a misspelt id.

Draft-07, not pydantic's 2020-12: draft-07 is the newest draft that the common YAML editor plugins
support completely (the YAML extension of VS Code and other editors, yaml-language-server, and the
JetBrains IDEs); of the newer drafts they understand only parts, and a schema they misread gives
no completion at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import SPECIAL_ALIASES, UNKNOWN, AnswerSheet
from stufenplan_cli.files.cache import cache_home

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


DRAFT = "http://json-schema.org/draft-07/schema#"


def schema_dict(
    kind: Literal["questionnaire", "answers"], questionnaire: Questionnaire | None = None
) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a questionnaire or an answer sheet, for ``questionnaire`` if given."""
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
        if questionnaire is not None:
            _for_questionnaire(result, questionnaire)
    converted: dict[str, Any] = _draft07(result)
    return {"$schema": DRAFT, **converted}


def _for_questionnaire(result: dict[str, Any], q: Questionnaire) -> None:
    """Narrow an answer-sheet schema to one questionnaire: its id, its question ids, their options."""
    result["title"] = f"Antwortbogen: {q.title} ({q.id} {q.version})"
    result["properties"]["questionnaire"] = {
        "enum": [q.id],
        "description": f"Id des Fragebogens: {q.title}",
    }
    questions: dict[str, Any] = {}
    for question in q.questions:
        options = q.options_for(question)
        labels = [f"{o.value} = {o.label}" for o in options]
        values: list[Any] = [o.value for o in options]
        specials = sorted(SPECIAL_ALIASES)
        value = {
            "enum": values + specials,
            # yaml-language-server and VS Code show these beside each value while completing
            "enumDescriptions": labels + [_special_title(s) for s in specials],
            "markdownEnumDescriptions": labels + [_special_title(s) for s in specials],
        }
        description = f"Stufe {question.stage}: {question.text}\n\n" + "\n".join(labels)
        questions[question.id] = {
            "title": question.text,
            "description": description,
            "anyOf": [
                value,
                {
                    "type": "object",
                    "properties": {
                        "value": value,
                        "note": {"type": ["string", "null"], "description": "Anmerkung, z. B. Quelle"},
                    },
                    "required": ["value"],
                    "additionalProperties": False,
                },
                {"type": "null"},
            ],
        }
    result["properties"]["answers"] = {
        "type": ["object", "null"],
        "description": "Eine Antwort je Frage-Id dieses Fragebogens",
        "properties": questions,
        "additionalProperties": False,  # a misspelt id is flagged, as stufenplan validate does
    }


def _special_title(alias: str) -> str:
    return "weiß nicht" if SPECIAL_ALIASES[alias] == UNKNOWN else "nicht zutreffend"


def _draft07(node: Any) -> Any:
    """pydantic's 2020-12 spelling in draft-07: ``definitions`` for ``$defs``, ``items`` for ``prefixItems``."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            converted["definitions"] = _draft07(value)
        elif key == "$ref" and isinstance(value, str):
            converted[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "prefixItems":
            converted["items"] = _draft07(value)
            converted["additionalItems"] = False
        else:
            converted[key] = _draft07(value)
    return converted


def schema_json(kind: str, questionnaire: Questionnaire | None = None) -> str:
    if kind not in SCHEMA_FILE:
        raise ValueError(kind)
    schema = schema_dict(kind, questionnaire)  # type: ignore[arg-type]
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def answers_schema_file(questionnaire: Questionnaire) -> str:
    """The file name of one questionnaire's answer-sheet schema, written beside a template."""
    return f"stufenplan-answers-{questionnaire.id}.schema.json"


def user_schema_dir() -> Path:
    """Where ``template`` to standard output keeps the schema its first line points at (a per-user cache)."""
    return cache_home() / "stufenplan" / "schemas"
