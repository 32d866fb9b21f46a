"""The core commands through typer's test runner: formats, outputs, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from stufenplan_cli import __version__
from stufenplan_cli.cli.app import app
from tests.conftest import DATA, ROOT

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"stufenplan {__version__}"


@pytest.mark.parametrize("command", ["questionnaires", "show", "validate", "template", "score", "schema"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Beispiel" in result.output
    assert "stufenplan" in result.output


def test_no_arguments_shows_help_and_wrong_usage_exits_2() -> None:
    assert "Befehle" in runner.invoke(app, []).output
    assert runner.invoke(app, ["score", "--format", "docx", str(DATA / "mini-sheet.yaml")]).exit_code == 2
    assert runner.invoke(app, ["gibtsnicht"]).exit_code == 2


def test_questionnaires_json_lists_bundled_and_extra() -> None:
    result = runner.invoke(app, ["questionnaires", *QDIR, "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert {"id": "mini", "version": "1.0", "title": "Mini-Fragebogen für Tests", "questions": 6} in listed


def test_questionnaires_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUFENPLAN_QUESTIONNAIRES", str(DATA))
    result = runner.invoke(app, ["questionnaires", "--format", "json"])
    assert "mini" in [q["id"] for q in json.loads(result.stdout)]


def test_questionnaires_dir_that_does_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["questionnaires", "--questionnaires-dir", str(tmp_path / "nix")])
    assert result.exit_code == 1
    assert "Fragebogen-Verzeichnis nicht gefunden" in result.output


def test_show_json_has_every_key_of_the_format() -> None:
    result = runner.invoke(app, ["show", str(DATA / "mini.yaml"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {
        "id",
        "version",
        "title",
        "description",
        "scale",
        "stages",
        "dimensions",
        "questions",
    }
    assert set(data["stages"][0]) >= {"id", "title", "goal", "threshold"}
    assert set(data["questions"][0]) >= {
        "id",
        "stage",
        "dimensions",
        "text",
        "help",
        "weight",
        "key",
        "options",
        "recommendation",
        "example",
        "source",
    }
    assert data["questions"][0]["weight"] == 2


def test_show_text_names_stages_and_key_questions() -> None:
    result = runner.invoke(app, ["show", "mini", *QDIR])
    assert result.exit_code == 0
    assert "Stufe 1: Wissenstransfer und Kompetenzaufbau" in result.output
    assert "Schlüsselfrage" in result.output


def test_show_unknown_id_suggests() -> None:
    result = runner.invoke(app, ["show", "minni", *QDIR])
    assert result.exit_code == 1
    assert "meinten Sie 'mini'" in result.output


def test_score_table_names_stage_in_words() -> None:
    result = runner.invoke(app, ["score", *QDIR, str(DATA / "mini-sheet.yaml")])
    assert result.exit_code == 0, result.output
    assert "Stufe 2 – Implementierung digitaler Lösungen" in result.output
    assert "Was zu Stufe 3 fehlt" in result.output


def test_score_table_for_several_sheets_fits_80_columns(tmp_path: Path) -> None:
    other = tmp_path / "zweite.yaml"
    other.write_text(
        "questionnaire: mini\nmunicipality:\n  name: Verbandsgemeinde Sehr-Langer-Name an der Mosel\nanswers: {}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["score", *QDIR, str(DATA / "mini-sheet.yaml"), str(other)], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    [row] = [line for line in result.output.splitlines() if "Musterhausen" in line]  # one line per sheet
    cells = [c.strip() for c in row.split("   ") if c.strip()]
    assert cells[2:] == ["2 (3)", "67 %✓", "100 %✓", "0 %", "3/6"]  # stage (possible), S1…S3, answered
    assert "– noch keine Stufe erreicht" in result.output  # the legend explains "–"
    assert "2 Implementierung digitaler" in result.output  # and names the stages


def _table(width: int, names: list[str], tmp_path: Path) -> list[str]:
    """The lines ``score`` prints for sheets of the given municipalities at a terminal's width."""
    text = (ROOT / "examples" / "musterstadt.yaml").read_text(encoding="utf-8")
    for i, name in enumerate(names):
        (tmp_path / f"{i}.yaml").write_text(text.replace("Stadt Musterstadt", name), encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path)], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("width", [100, 80, 72, 60, 50, 40])
def test_score_table_keeps_the_municipality_readable_and_drops_scores_first(
    width: int, tmp_path: Path
) -> None:
    names = ["Stadt Musterstadt", "Verbandsgemeinde Sehr-Langer-Name an der Mosel"]
    lines = _table(width, names, tmp_path)
    assert max(len(line) for line in lines) <= width
    [header] = [line for line in lines if line.startswith("Kommune")]
    assert "Stadt Musterstadt" in "\n".join(lines)  # never cut below its minimum width
    assert any(line.startswith("Verbandsgemeinde ") for line in lines)
    # what goes first: the answered count, then the stage scores from the right, then the long forms
    shown = header.split()
    expected = {
        100: ["Kommune", "Datum", "Stufe", "S1", "S2", "S3", "S4", "Antw."],
        80: ["Kommune", "Datum", "Stufe", "S1", "S2", "S3", "S4"],
        72: ["Kommune", "Datum", "Stufe", "S1", "S2", "S3"],
        60: ["Kommune", "Datum", "Stufe", "S1", "S2"],
        50: ["Kommune", "Datum", "Stufe", "S1"],
        40: ["Kommune", "Datum", "St."],
    }[width]
    assert shown == expected
    if width == 40:
        assert any("23.11.26 " in line for line in lines)


def test_score_table_in_a_file_is_neither_wrapped_nor_padded(tmp_path: Path) -> None:
    names = ["Verbandsgemeinde Sehr-Langer-Name an der Mosel"] * 2
    text = (ROOT / "examples" / "musterstadt.yaml").read_text(encoding="utf-8")
    for i, name in enumerate(names):
        (tmp_path / f"{i}.yaml").write_text(text.replace("Stadt Musterstadt", name), encoding="utf-8")
    env = {"COLUMNS": None, "TTY_COMPATIBLE": None, "FORCE_COLOR": None}
    result = runner.invoke(app, ["score", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(line == line.rstrip() for line in lines)
    assert "\x1b[" not in result.stdout
    rows = [line for line in lines if line.startswith("Verbandsgemeinde Sehr-Langer-Name an der Mosel ")]
    assert len(rows) == 2 and re.search(r"%!? +\d+/\d+$", rows[0])  # every column, one line per sheet
    assert any(
        line.startswith("Stufen: 1 Wissenstransfer") and line.endswith("Daseinsvorsorge") for line in lines
    )


def test_score_table_tells_two_assessments_apart_by_date(tmp_path: Path) -> None:
    text = (DATA / "mini-sheet.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text + "assessed_on: 2024-03-01\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text + "assessed_on: 2026-03-15\n", encoding="utf-8")
    result = runner.invoke(app, ["score", *QDIR, str(tmp_path)], terminal_width=80)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "Musterhausen" in line]
    assert "01.03.2024" in rows[0] and "15.03.2026" in rows[1]


def test_score_json_contract() -> None:
    result = runner.invoke(app, ["score", *QDIR, "--format", "json", str(DATA / "mini-sheet.yaml")])
    assert result.exit_code == 0
    [record] = json.loads(result.stdout)
    assert set(record) >= {
        "file",
        "municipality",
        "questionnaire",
        "stage",
        "stages",
        "dimensions",
        "answered",
        "unknown",
        "not_applicable",
        "missing",
    }
    assert record["questionnaire"] == {"id": "mini", "version": "1.0"}
    assert record["municipality"]["name"] == "Musterhausen"
    assert record["stage"] == 2
    s1 = record["stages"][0]
    assert set(s1) == {
        "id",
        "title",
        "score",
        "threshold",
        "reached",
        "reached_possible",
        "gaps",
        "key_failed",
    }
    assert s1["gaps"] == ["qualifizierung", "verantwortung"]
    assert (record["stage_possible"], record["deciding"], record["open_below"]) == (3, ["kooperation"], [])
    assert (record["answered"], record["unknown"], record["not_applicable"], record["missing"]) == (
        3,
        1,
        1,
        1,
    )


def test_score_csv_for_german_excel(tmp_path: Path) -> None:
    target = tmp_path / "ergebnis.csv"
    result = runner.invoke(
        app, ["score", *QDIR, "-f", "csv", "-o", str(target), str(DATA / "mini-sheet.yaml")]
    )
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    head, row = text.splitlines()[:2]
    assert head.split(";")[:3] == ["Datei", "Kommune", "AGS"]
    assert "0,6667" in row.split(";")
    assert "Musterhausen" in row


def test_output_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("meins", encoding="utf-8")
    args = ["score", *QDIR, "-f", "json", "-o", str(target), str(DATA / "mini-sheet.yaml")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "existiert bereits" in result.output
    assert target.read_text(encoding="utf-8") == "meins"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["stage"] == 2


def test_template_is_valid_yaml_with_schema_line_and_every_question(tmp_path: Path) -> None:
    target = tmp_path / "workshop.yaml"
    result = runner.invoke(
        app, ["template", str(DATA / "mini.yaml"), "-m", "Gemeinde Eichenzell", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=stufenplan-answers-mini.schema.json"
    assert (tmp_path / "stufenplan-answers-mini.schema.json").exists()
    data = yaml.safe_load(text)
    assert data["questionnaire"] == "mini"
    assert data["municipality"]["name"] == "Gemeinde Eichenzell"
    assert list(data["answers"]) == [
        "beschluss",
        "verantwortung",
        "qualifizierung",
        "pilot",
        "werkzeuge",
        "kooperation",
    ]
    assert "# Stufe 2: Implementierung digitaler Lösungen" in text
    assert "#   2 = Echtbetrieb" in text
    assert "# beschluss · Schlüsselfrage · Gewicht 2" in text
    # the blank template validates as it is, and scores as nothing answered
    check = runner.invoke(app, ["score", "-Q", str(DATA / "mini.yaml"), "-f", "json", str(target)])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)[0]["missing"] == 6


def test_filled_template_keeps_answers(tmp_path: Path) -> None:
    text = runner.invoke(app, ["template", str(DATA / "mini.yaml"), "-m", "X"]).stdout
    text = text.replace("  pilot:\n", "  pilot: 2\n").replace(
        "  beschluss:\n", "  beschluss: {value: 3, note: Beschluss 2024}\n"
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["score", "-Q", str(DATA / "mini.yaml"), "-f", "json", str(path)])
    record = json.loads(result.stdout)[0]
    assert record["answered"] == 2


@pytest.mark.parametrize("kind", ["questionnaire", "answers"])
def test_schema_is_json_schema_from_the_models(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object"
    assert (
        "questions" in schema["properties"] if kind == "questionnaire" else "answers" in schema["properties"]
    )


def test_answer_schema_accepts_what_validate_accepts_and_rejects_what_it_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = runner.invoke(app, ["schema", "answers"])
    validator = jsonschema.Draft7Validator(json.loads(result.stdout))
    good = yaml.safe_load((DATA / "mini-sheet.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {**good, "municipality": {"name": "X", "ags": "12a"}},
        {**good, "answers": {"q": "vielleicht"}},
        {**good, "unbekannt": 1},
        {k: v for k, v in good.items() if k != "municipality"},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_questionnaire_schema_accepts_the_test_questionnaire() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema", "questionnaire"]).stdout)
    data = yaml.safe_load((DATA / "mini.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert list(jsonschema.Draft7Validator(schema).iter_errors(data)) == []


def test_python_m_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "stufenplan_cli", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"stufenplan {__version__}"


def test_one_sheet_in_a_terminal_names_the_report_command_and_a_pipe_stays_clean(tmp_path: Path) -> None:
    """The quick start ends on the score; in a terminal it says how the council report is made."""
    import os
    import shutil
    import sys

    pexpect = pytest.importorskip("pexpect")
    from tests.conftest import ROOT

    shutil.copy(ROOT / "examples" / "musterstadt.yaml", tmp_path / "mein bogen.yaml")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "stufenplan_cli", "score", "mein bogen.yaml"],
        cwd=str(tmp_path),
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    seen = re.sub(r"\x1b\[[0-9;]*m", "", child.before)  # NO_COLOR keeps bold and dim
    assert "Stand 23.11.2026 · Fragebogen stufenplan 2.0 · 64 von 70 Fragen mit Wert" in seen
    # double quotes: cmd.exe and PowerShell read them as a POSIX shell does
    assert 'Bericht für den Rat:\r\n  stufenplan report "mein bogen.yaml" --format html,pdf' in seen

    piped = runner.invoke(app, ["score", str(tmp_path / "mein bogen.yaml")])
    assert piped.exit_code == 0 and "Bericht für den Rat" not in piped.output


@pytest.mark.parametrize(
    ("failed", "total", "counted", "summary"),
    [
        (1, 1, "sheets", "Der Bogen ist fehlerhaft."),
        (1, 3, "sheets", "1 von 3 Bögen fehlerhaft."),
        (4, 60, "sheets", "4 von 60 Bögen fehlerhaft."),
        (1, 1, "files", "Die Datei ist ungültig."),
        (2, 5, "files", "2 von 5 Dateien ungültig."),
    ],
)
def test_the_summary_of_failed_inputs_is_german_in_one_and_many(
    failed: int, total: int, counted: str, summary: str
) -> None:
    from stufenplan_cli.errors import InputsFailed

    state = "ungültig" if counted == "files" else "fehlerhaft"
    assert InputsFailed(failed, total, counted, state=state).message == summary


def test_the_files_written_are_counted_in_the_right_number() -> None:
    from stufenplan_cli.errors import InputsFailed, how_many

    assert [how_many(n, "files") for n in (0, 1, 2)] == ["keine Datei", "1 Datei", "2 Dateien"]
    failed = InputsFailed(1, 2, then=f"{how_many(1, 'files')} geschrieben")
    assert failed.message == "1 von 2 Bögen fehlerhaft; 1 Datei geschrieben."


@pytest.mark.parametrize(
    "args",
    [["show", "{sheet}"], ["template", "{sheet}"], ["score", "{other}", "--questionnaire", "{sheet}"]],
    ids=["show", "template", "score --questionnaire"],
)
def test_an_answer_sheet_named_as_questionnaire_is_called_one(tmp_path: Path, args: list[str]) -> None:
    """Not fourteen lines of missing questionnaire fields: one line that says what the file is."""
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text("questionnaire: stufenplan\nmunicipality:\n  name: X\nanswers: {}\n", encoding="utf-8")
    other = tmp_path / "anderer.yaml"
    other.write_text(sheet.read_text(encoding="utf-8"), encoding="utf-8")
    filled = [a.format(sheet=sheet, other=other) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Fehler:")]
    assert lines == [f"Fehler: {sheet}: ist ein Antwortbogen, kein Fragebogen"], result.stderr
