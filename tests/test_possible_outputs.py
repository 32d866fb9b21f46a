"""The possible stage and the deciding questions wherever a user reads a placement (issue 10)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from tests.conftest import DATA

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]
KOOPERATION = "Gibt es eine verbindliche Kooperation mit Nachbarkommunen?"


def flat(text: str) -> str:
    return " ".join(text.split())


def write(
    path: Path, answers: dict[str, object], name: str = "Musterhausen", day: str = "2026-03-01"
) -> Path:
    data = {"questionnaire": "mini", "municipality": {"name": name}, "assessed_on": day, "answers": answers}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_one_sheet_names_the_possible_stage_and_the_deciding_question_by_its_text() -> None:
    # mini-sheet: stage 1 (2·1 + 2/3 + 0) / 4 = 67 % ≥ 60 %, stage 2 pilot 2/2 = 100 % (werkzeuge n/a);
    # stage 3 has only kooperation, unanswered: 0 % secured, 100 % possible -> stage 2, stage 3 possible.
    result = runner.invoke(app, ["score", *QDIR, str(DATA / "mini-sheet.yaml")], terminal_width=100)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Musterhausen: Stufe 2 – Implementierung digitaler Lösungen"
    assert lines[1] == "  Bis Stufe 3 möglich: 1 offene Frage entscheidet"
    assert "  Stufe 3 ░░░░░░░░░░░░░┃░░░░░░   0 % / 65 %  offen – mit offenen Fragen möglich" in lines
    at = lines.index("Diese offene Frage entscheidet, ob Stufe 3 erreicht wird:")
    assert lines[at + 1] == f"  • {KOOPERATION}"


def test_a_lower_stage_still_open_is_named(tmp_path: Path) -> None:
    # beschluss 0 fails stage 1's key question; stages 2 and 3 are met: two stages met, stage 1 open.
    sheet = write(
        tmp_path / "b.yaml",
        {
            "beschluss": 0,
            "verantwortung": 3,
            "qualifizierung": 3,
            "pilot": 2,
            "werkzeuge": 3,
            "kooperation": 3,
        },
    )
    result = runner.invoke(app, ["score", *QDIR, str(sheet)], terminal_width=100)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "Musterhausen: Stufe 2 – Kriterien von Stufe 2 und 3 erfüllt, Stufe 1 noch offen"
    assert "möglich" not in result.stdout  # nothing is open: possible = secured
    table = runner.invoke(
        app, ["score", *QDIR, str(sheet), str(DATA / "mini-sheet.yaml")], terminal_width=100
    )
    rows = [line for line in table.stdout.splitlines() if "Musterhausen" in line]
    cells = [re.split(r" {3,}", row.strip())[2] for row in rows]  # Kommune, Datum, Stufe, …
    assert cells == ["2*", "2 (3)"]  # stage, then the possible stage in brackets
    assert "(2) bis Stufe 2 möglich" in flat(table.stdout) and "* eine Stufe darunter noch offen" in flat(
        table.stdout
    )


def test_json_csv_and_xlsx_carry_the_possible_stage_and_the_deciding_questions(tmp_path: Path) -> None:
    sheet = str(DATA / "mini-sheet.yaml")
    [record] = json.loads(runner.invoke(app, ["score", *QDIR, sheet, "--format", "json"]).stdout)
    assert (record["stage"], record["stage_possible"], record["deciding"]) == (2, 3, ["kooperation"])
    text = runner.invoke(app, ["score", *QDIR, sheet, "--format", "csv"]).stdout.lstrip("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert (row["Stufe"], row["mögliche Stufe"], row["entscheidende Fragen"]) == ("2", "3", "kooperation")
    from openpyxl import load_workbook

    out = tmp_path / "e.xlsx"
    result = runner.invoke(app, ["score", *QDIR, sheet, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    values = dict(zip(header, rows[1], strict=False))
    assert (values["mögliche Stufe"], values["entscheidende Fragen"]) == (3, "kooperation")


def test_compare_shows_the_possible_stage_in_time_line_and_region(tmp_path: Path) -> None:
    old = write(tmp_path / "2024.yaml", {"beschluss": 1}, day="2024-03-01")
    new = write(
        tmp_path / "2026.yaml", {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3}, day="2026-03-01"
    )
    out = tmp_path / "v.md"
    result = runner.invoke(app, ["compare", *QDIR, str(old), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    # 2026: stage 1 met (100 %); stage 2 and 3 wholly unanswered: possible 3, deciding pilot, werkzeuge, kooperation
    assert (
        "| **Einordnung** | noch keine Stufe erreicht → **Stufe 1 „Wissenstransfer und Kompetenzaufbau“, "
        "bis Stufe 3 möglich: 3 offene Fragen entscheiden** |" in md
    )
    assert (
        "Nach der neuesten Einschätzung ist bis Stufe 3 möglich: 3 offene Fragen („weiß nicht“ oder "
        "unbeantwortet) entscheiden darüber." in flat(md)
    )
    other = write(
        tmp_path / "b.yaml", {"beschluss": 0, "pilot": 2, "werkzeuge": 3, "kooperation": 3}, "Nachbarort"
    )
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["compare", *QDIR, str(new), str(other), "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert "| Musterhausen | Stufe 1 (bis 3 möglich) |" in md
    assert "| Nachbarort | Stufe 2 (Stufe 1 offen) |" in md
    assert "Stufe 2 – Kriterien von Stufe 2 und 3 erfüllt, Stufe 1 noch offen" in md
