"""Issue 16: every problem of a hand-written questionnaire in the first run, and a broken custom questionnaire is
named with its problems, never reported as missing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from tests.conftest import DATA

runner = CliRunner()


def _broken_questionnaire(folder: Path) -> Path:
    """mini.yaml with one problem of each kind: a field error, a duplicate id, a missing stage, a typo."""
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mini", "id: eigener", 1)
    text = text.replace(
        "{id: 1, title: Wissenstransfer und Kompetenzaufbau, threshold: 0.6}",
        "{id: 1, title: Wissenstransfer und Kompetenzaufbau, threshold: 1.5}",
    )
    text = text.replace("  - id: verantwortung\n", "  - id: beschluss\n", 1)
    text = text.replace("  - id: pilot\n    stage: 2\n", "  - id: pilot\n    stage: 7\n", 1)
    text = text.replace(
        "  - id: kooperation\n    stage: 3\n    dimensions: [strategie]",
        "  - id: kooperation\n    stage: 3\n    dimensions: [strategi]",
        1,
    )
    path = folder / "eigener.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _lines(output: str) -> list[int]:
    return [int(n) for n in re.findall(r"eigener\.yaml:(\d+):", output)]


def test_validate_names_field_and_cross_reference_problems_together_in_file_order(tmp_path: Path) -> None:
    path = _broken_questionnaire(tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "stages.0.threshold: Wert muss ≤ 1 sein (gefunden: 1.5)" in out
    assert "Frage-Id 'beschluss' kommt doppelt vor" in out
    assert "Frage 'pilot': Stufe 7 gibt es nicht" in out
    assert "unbekannte Dimension 'strategi' – meinten Sie 'strategie'?" in out
    lines = _lines(result.output)
    assert len(lines) == 4 and lines == sorted(lines)
    assert lines[0] == 11  # the threshold's own line


def test_a_questionnaire_too_broken_to_cross_check_still_reports_its_field_errors(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.yaml"
    path.write_text(
        "id: kaputt\nversion: 1\ntitle: K\nscale: 3\nstages: [1, 2]\ndimensions: x\nquestions: [x]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "unerwartet" not in result.output
    assert "scale" in result.output and "questions" in result.output


def test_answers_a_wrong_type_does_not_hide_an_unknown_id(tmp_path: Path) -> None:
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text(
        "questionnaire: mini\nmunicipality: {name: X}\nanswers:\n  beschluss: viel\n  gibtsnicht: 2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--questionnaires-dir", str(DATA), str(sheet)])
    assert result.exit_code == 1
    assert "bogen.yaml:4" in result.output and "bogen.yaml:5" in result.output
    assert "gibtsnicht" in result.output


def test_a_sheet_for_a_broken_custom_questionnaire_names_its_file_and_problems(tmp_path: Path) -> None:
    _broken_questionnaire(tmp_path)
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text("questionnaire: eigener\nmunicipality: {name: X}\nanswers: {}\n", encoding="utf-8")
    for command in (["score"], ["validate"], ["report", "-o", str(tmp_path / "r.md")]):
        result = runner.invoke(app, [*command, "--questionnaires-dir", str(tmp_path), str(sheet)])
        assert result.exit_code == 1, command
        out = " ".join(result.output.split())
        assert "nicht gefunden" not in out
        assert "Fragebogen 'eigener' ist fehlerhaft (4 Probleme in" in out
        assert "bogen.yaml:1:" in out  # where the sheet names it
        assert "eigener.yaml:11: stages.0.threshold" in out  # its first problem, with file and line
        assert len(_lines(result.output)) == 4


def test_the_environment_variable_directory_is_searched_the_same_way(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _broken_questionnaire(tmp_path)
    monkeypatch.setenv("STUFENPLAN_QUESTIONNAIRES", str(tmp_path))
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text("questionnaire: eigener\nmunicipality: {name: X}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(sheet)])
    assert result.exit_code == 1
    assert "Fragebogen 'eigener' ist fehlerhaft" in " ".join(result.output.split())


def test_questionnaires_lists_a_broken_one_by_its_id_and_names_its_problems(tmp_path: Path) -> None:
    _broken_questionnaire(tmp_path)
    result = runner.invoke(app, ["questionnaires", "--questionnaires-dir", str(tmp_path)])
    assert result.exit_code == 1
    row = next(line for line in result.output.splitlines() if "ungültig" in line)
    assert "eigener" in row
    assert len(_lines(result.output)) == 4
    listed = runner.invoke(app, ["questionnaires", "--questionnaires-dir", str(tmp_path), "--format", "json"])
    assert "eigener" not in [q["id"] for q in json.loads(listed.stdout)]


def test_an_unreadable_file_is_mentioned_when_an_id_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "kaputt.yaml").write_text("id: [unclosed\nstages:\n", encoding="utf-8")
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text("questionnaire: eigener\nmunicipality: {name: X}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--questionnaires-dir", str(tmp_path), str(sheet)])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "Fragebogen 'eigener' nicht gefunden" in out and "nicht lesbar und übergangen: kaputt.yaml" in out
