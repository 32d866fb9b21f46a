"""Small builders for the consultants' tests (batch, merge, compare): sheets for tests/data/mini.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
MINI_QUESTIONS = ["beschluss", "verantwortung", "qualifizierung", "pilot", "werkzeuge", "kooperation"]


def sheet(name: str = "Musterhausen", answers: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """An answer sheet for the mini questionnaire as plain data."""
    municipality = {"name": name, **fields.pop("municipality", {})}
    data: dict[str, Any] = {"questionnaire": "mini", "municipality": municipality, **fields}
    data["answers"] = dict(answers or {})
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
