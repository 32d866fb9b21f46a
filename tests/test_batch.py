"""Batch scoring: many sheets in worker processes, bad ones among them, output in input order."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.services.batch import SERIAL_BELOW, Settings, score_many
from tests.consultant_helpers import DATA, sheet, write

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]

# The mini example sheet, computed by hand (docs/scoring.md):
# stage 1 = (2·3/3 + 1·2/3 + 1·0) / 4 = 2/3 (qualifizierung "weiß nicht" counts 0),
# stage 2 = pilot 2/2 = 1 (werkzeuge n/a is left out), stage 3 = kooperation missing = 0,
# strategie = (2·1 + 2/3 + 0) / 4 = 2/3 (werkzeuge n/a out), umsetzung = (0 + 1) / 2 = 0.5.
MINI_STAGES = [2 / 3, 1.0, 0.0]
MINI_DIMENSIONS = [2 / 3, 0.5]
# Column headers: the title for people, the id for scripts (a stage's number, a dimension's id in brackets).
MINI_STAGE_COLUMNS = [
    "Stufe 1: Wissenstransfer und Kompetenzaufbau",
    "Stufe 2: Implementierung digitaler Lösungen",
    "Stufe 3: Interkommunale Vernetzung",
]
MINI_DIMENSION_COLUMNS = ["Strategie (strategie)", "Umsetzung (umsetzung)"]


def whole(result: Result) -> Result:
    """The whole Result, questions included (module level, so the worker processes can run it)."""
    return result


def good(i: int) -> dict[str, object]:
    """Sheet i: beschluss rises with i so each sheet's score tells which file it came from."""
    return sheet(f"Gemeinde {i:03d}", {"beschluss": i % 4, "verantwortung": 2, "pilot": 1})


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, list[str], set[str]]:
    """60 sheets (enough for the process pool) with four broken ones in between, in name order."""
    names: list[str] = []
    broken: set[str] = set()
    for i in range(60):
        path = tmp_path / "bögen" / f"k{i:03d}.yaml"
        if i == 7:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("questionnaire: mini\nmunicipality: {name: X}\nanswers: [\n", encoding="utf-8")
            broken.add(path.name)
        elif i == 20:
            write(path, sheet("Tippfehler", {"beschlus": 2}))
            broken.add(path.name)
        elif i == 33:
            path.write_bytes("questionnaire: mini\nmunicipality: {name: Köln}\n".encode("latin-1"))
            broken.add(path.name)
        elif i == 59:
            write(path, sheet("Zu hoch", {"pilot": 3}))
            broken.add(path.name)
        else:
            write(path, good(i))
        names.append(path.name)
    return tmp_path / "bögen", names, broken


def test_pool_and_serial_give_the_same_outcomes_in_input_order(
    folder: tuple[Path, list[str], set[str]],
) -> None:
    directory, names, broken = folder
    paths = sorted(directory.glob("*.yaml"))
    assert len(paths) >= SERIAL_BELOW
    settings = Settings(extra_dirs=(DATA,))
    pooled = list(score_many(paths, settings, transform=whole, workers=2, chunk_size=3))
    serial = list(score_many(paths, settings, transform=whole, workers=1))
    assert [Path(o.file).name for o in pooled] == names
    assert [o.index for o in pooled] == list(range(60))
    assert {Path(o.file).name for o in pooled if not o.ok} == broken
    for a, b in zip(pooled, serial, strict=True):
        assert a.problems == b.problems
        assert (a.value.model_dump() if a.value else None) == (b.value.model_dump() if b.value else None)
    # Each good sheet's stage-1 score is its own: (2·(i mod 4)/3 + 2/3 + 0) / 4.
    for i, outcome in enumerate(pooled):
        if outcome.ok:
            assert outcome.value is not None
            assert outcome.value.stages[0].score == pytest.approx((2 * (i % 4) / 3 + 2 / 3) / 4)


def test_failure_is_located_and_does_not_stop_the_others(folder: tuple[Path, list[str], set[str]]) -> None:
    directory, _, _ = folder
    outcomes = {Path(o.file).name: o for o in score_many(sorted(directory.glob("*.yaml")), Settings((DATA,)))}
    assert outcomes["k007.yaml"].problems[0].line == 4  # where the list was left open
    assert "UTF-8" in outcomes["k033.yaml"].message
    assert "meinten Sie 'beschluss'" in outcomes["k020.yaml"].message
    assert "Zeile" in outcomes["k059.yaml"].message and "Wert 3" in outcomes["k059.yaml"].message
    assert sum(o.ok for o in outcomes.values()) == 56


def test_missing_file_is_one_failure_among_the_rest(tmp_path: Path) -> None:
    ok = write(tmp_path / "a.yaml", good(1))
    outcomes = list(score_many([ok, tmp_path / "fehlt.yaml"], Settings((DATA,))))
    assert outcomes[0].ok and not outcomes[1].ok
    assert "nicht gefunden" in outcomes[1].message


def test_cli_json_keeps_input_order_lists_bad_sheets_last_and_exits_1(
    folder: tuple[Path, list[str], set[str]],
) -> None:
    directory, names, broken = folder
    result = runner.invoke(app, ["score", str(directory), "--format", "json", "--workers", "2", *QDIR])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert result.stdout == json.dumps(records, ensure_ascii=False, indent=2) + "\n"  # streamed, same text
    assert [Path(r["file"]).name for r in records] == names
    assert {Path(r["file"]).name for r in records if "error" in r} == broken
    assert "4 von 60 Bögen fehlerhaft" in result.stderr
    # The failed sheets are listed after the output, in input order, with file and line.
    flat = "".join(result.stderr.split())  # rich wraps long paths
    positions = [flat.index(name) for name in ("k007.yaml:4", "k020.yaml", "k033.yaml", "k059.yaml")]
    assert positions == sorted(positions)
    assert flat.index("k059.yaml") < flat.index("4von60Bögenfehlerhaft")
    assert "Bewerte" not in result.stderr  # no progress bar when stderr is not a terminal


def test_cli_all_good_exits_0(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path / f"k{i}.yaml", good(i))
    result = runner.invoke(app, ["score", str(tmp_path), *QDIR])
    assert result.exit_code == 0, result.output
    assert "Gemeinde 000" in result.stdout and "Gemeinde 002" in result.stdout


def test_csv_file_is_for_german_excel(tmp_path: Path, folder: tuple[Path, list[str], set[str]]) -> None:
    directory, _, _ = folder
    mini = tmp_path / "mini.csv"
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), "--format", "csv", "--output", str(mini), *QDIR]
    )
    assert result.exit_code == 0, result.output
    raw = mini.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8 (umlauts) correctly
    # As German Excel reads it: UTF-8 with BOM, ';' between cells, ',' as the decimal mark.
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    head, values = rows[0], rows[1]
    assert head[-1] == "Fehler" and "weiß nicht" in head
    cells = dict(zip(head, values, strict=True))
    assert cells["Kommune"] == "Musterhausen"
    # As a formula Excel shows text: 09162000 keeps its leading zero, version 1.0 does not become a date.
    assert cells["AGS"] == '="09162000"' and cells["Version"] == '="1.0"'
    stages = [float(cells[column].replace(",", ".")) for column in MINI_STAGE_COLUMNS]
    assert stages == pytest.approx(MINI_STAGES, abs=5e-5)
    assert cells["Stufe 1: Wissenstransfer und Kompetenzaufbau"] == "0,6667"
    dims = [float(cells[column].replace(",", ".")) for column in MINI_DIMENSION_COLUMNS]
    assert dims == pytest.approx(MINI_DIMENSIONS, abs=5e-5)
    assert cells["Stufe"] == "2" and cells["Stufe (Titel)"] == "Implementierung digitaler Lösungen"
    assert cells["Datum"] == ""  # the sheet has no assessed_on

    batch = tmp_path / "batch.csv"
    result = runner.invoke(app, ["score", str(directory), "-f", "csv", "-o", str(batch), *QDIR])
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(batch.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 61 and all(len(r) == len(rows[0]) for r in rows)
    errors = [r for r in rows[1:] if r[-1]]
    assert [Path(r[0]).name for r in errors] == ["k007.yaml", "k020.yaml", "k033.yaml", "k059.yaml"]
    assert errors[0][-1].startswith("Zeile 4: YAML-Syntaxfehler")
    first = dict(zip(rows[0], rows[1], strict=True))  # k000: beschluss 0, no stage reached
    assert first["Stufe"] == "0" and first["Stufe (Titel)"] == "noch keine Stufe erreicht"


def test_an_unclosed_list_is_reported_with_the_line_it_was_opened(tmp_path: Path) -> None:
    # libyaml stops where it runs into the next key, lines below the mistake in a commented sheet.
    text = "questionnaire: mini\nmunicipality: {name: X}\nanswers:\n  beschluss: [2,\n  # Kommentar\n\n  pilot: 1\n"
    write(tmp_path / "ok.yaml", good(1))
    (tmp_path / "kaputt.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path), *QDIR])
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "kaputt.yaml:8: YAML-Syntaxfehler" in message and "(Liste mit [ geöffnet in Zeile 4)" in message


def test_csv_on_stdout_has_no_bom(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(DATA / "mini-sheet.yaml"), "-f", "csv", *QDIR])
    assert result.stdout.startswith("Datei;Kommune;")


def test_xlsx_one_row_per_sheet_and_an_error_sheet(
    tmp_path: Path, folder: tuple[Path, list[str], set[str]]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    directory, names, broken = folder
    target = tmp_path / "ergebnisse.xlsx"
    result = runner.invoke(app, ["score", str(directory), "-f", "xlsx", "-o", str(target), *QDIR])
    assert result.exit_code == 1
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Ergebnisse", "Fehler"]
    rows = list(book["Ergebnisse"].iter_rows(values_only=True))
    head = list(rows[0])
    for column in ("Kommune", "Datum", *MINI_STAGE_COLUMNS, *MINI_DIMENSION_COLUMNS):
        assert column in head
    assert len(rows) == 1 + 56
    assert [Path(r[0]).name for r in rows[1:]] == [n for n in names if n not in broken]
    first = dict(zip(head, rows[1], strict=True))  # k000: beschluss 0
    assert first["Stufe 1: Wissenstransfer und Kompetenzaufbau"] == pytest.approx((0 + 2 / 3) / 4)
    assert isinstance(first["Stufe"], int) and first["Stufe (Titel)"] == "noch keine Stufe erreicht"
    assert isinstance(first["beantwortet"], int)
    results = book["Ergebnisse"]
    col = head.index("Stufe 1: Wissenstransfer und Kompetenzaufbau") + 1
    assert results.cell(row=2, column=col).number_format == "0%"
    col = head.index("Umsetzung (umsetzung)") + 1
    assert results.cell(row=2, column=col).number_format == "0%"
    assert results.freeze_panes == "C2" and results.auto_filter.ref == f"A1:{_letter(len(head))}57"
    assert results.cell(row=1, column=1).font.b and results.cell(row=1, column=col).alignment.wrap_text
    assert results.column_dimensions["B"].width >= 20  # the municipality's name is not cut off
    errors = list(book["Fehler"].iter_rows(values_only=True))
    assert errors[0] == ("Datei", "Fehler")
    assert {Path(r[0]).name for r in errors[1:]} == broken
    assert book["Fehler"].freeze_panes == "A2" and book["Fehler"]["B2"].alignment.wrap_text


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(n))


def test_xlsx_dates_are_dates_and_umlauts_survive(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write(tmp_path / "s" / "a.yaml", sheet("Müßighausen", {"beschluss": 3}, assessed_on="2026-03-15"))
    write(tmp_path / "s" / "b.yaml", sheet("Öhringen", {"beschluss": 1}))
    target = tmp_path / "ö.xlsx"
    result = runner.invoke(app, ["score", str(tmp_path / "s"), "-f", "xlsx", "-o", str(target), *QDIR])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(target)["Ergebnisse"].iter_rows())
    head = [c.value for c in rows[0]]
    a, b = ({n: c for n, c in zip(head, r, strict=True)} for r in rows[1:])
    assert a["Kommune"].value == "Müßighausen" and b["Kommune"].value == "Öhringen"
    assert a["Datum"].value.date() == date(2026, 3, 15) and a["Datum"].number_format == "DD.MM.YYYY"
    assert b["Datum"].value is None
    result = runner.invoke(app, ["score", str(tmp_path / "s"), "-f", "csv", *QDIR])
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert [r["Datum"] for r in rows] == ["2026-03-15", ""]  # ISO: German Excel reads it as a date


def test_xlsx_needs_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(DATA / "mini-sheet.yaml"), "-f", "xlsx", *QDIR])
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_xlsx_without_openpyxl_names_the_pip_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import now fails as if not installed
    target = tmp_path / "x.xlsx"
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), "-f", "xlsx", "-o", str(target), *QDIR]
    )
    assert result.exit_code == 1
    assert 'python -m pip install "openpyxl>=3.1"' in result.stderr
    assert "--format csv" in result.stderr  # and what works without it
    assert not target.exists()


def test_existing_output_is_refused_before_scoring(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("alt", encoding="utf-8")
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), "-f", "csv", "-o", str(target), *QDIR]
    )
    assert result.exit_code == 1 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "alt"
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), "-f", "csv", "-o", str(target), "--force", *QDIR]
    )
    assert result.exit_code == 0 and target.read_text(encoding="utf-8-sig").startswith("Datei;")


def test_sheets_of_another_questionnaire_are_refused_in_csv(tmp_path: Path) -> None:
    other = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: mini2", 1)
    other = other.replace(
        "{id: umsetzung, title: Umsetzung}",
        "{id: umsetzung, title: Umsetzung}\n  - {id: daten, title: Daten}",
    )
    qdir = tmp_path / "q"
    qdir.mkdir()
    (qdir / "mini.yaml").write_text((DATA / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (qdir / "mini2.yaml").write_text(other, encoding="utf-8")
    write(tmp_path / "s" / "a.yaml", good(1))
    write(tmp_path / "s" / "b.yaml", {**good(2), "questionnaire": "mini2"})
    result = runner.invoke(
        app, ["score", str(tmp_path / "s"), "-f", "csv", "--questionnaires-dir", str(qdir)]
    )
    assert result.exit_code == 1
    assert "b.yaml" in result.stderr and "anderer Fragebogen" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_another_questionnaire_with_the_same_columns_is_refused(tmp_path: Path, fmt: str) -> None:
    # A short form with the same stages and dimensions (like kurzcheck beside stufenplan) would fit
    # the columns, but its scores measure something else: it must not slip into the table.
    qdir = tmp_path / "q"
    qdir.mkdir()
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    (qdir / "mini.yaml").write_text(text, encoding="utf-8")
    (qdir / "kurz.yaml").write_text(text.replace("id: mini", "id: kurz", 1), encoding="utf-8")
    write(tmp_path / "s" / "a.yaml", good(1))
    write(tmp_path / "s" / "b.yaml", {**good(2), "questionnaire": "kurz"})
    result = runner.invoke(app, ["score", str(tmp_path / "s"), "-f", fmt, "--questionnaires-dir", str(qdir)])
    assert result.exit_code == 1
    assert "b.yaml: anderer Fragebogen als der erste Bogen (kurz statt mini)" in result.stderr
    assert "Gemeinde 002" not in result.stdout and "Gemeinde 001" in result.stdout


def stage_or_die(result: Result) -> int:
    """A transform that kills any worker process it runs in, as the out-of-memory killer would."""
    if multiprocessing.parent_process() is not None:  # in a worker, however it was started
        os._exit(1)
    return result.stage


def test_a_dead_worker_does_not_lose_sheets(folder: tuple[Path, list[str], set[str]]) -> None:
    directory, names, broken = folder
    outcomes = list(score_many(sorted(directory.glob("*.yaml")), Settings((DATA,)), stage_or_die, workers=2))
    assert [Path(o.file).name for o in outcomes] == names
    assert {Path(o.file).name for o in outcomes if not o.ok} == broken
    assert all(isinstance(o.value, int) for o in outcomes if o.ok)


def test_progress_bar_in_a_terminal_only(folder: tuple[Path, list[str], set[str]], tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    directory, _, _ = folder
    out = tmp_path / "out.csv"
    command = [
        sys.executable,
        "-m",
        "stufenplan_cli",
        "score",
        str(directory),
        "-f",
        "csv",
        "-o",
        str(out),
        *QDIR,
    ]
    child = pexpect.spawn(command[0], command[1:], encoding="utf-8", dimensions=(30, 100), timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    seen = child.before
    assert "Bewerte" in seen and "Bögen" in seen  # the bar was drawn on the terminal
    assert "4 von 60 Bögen fehlerhaft" in seen
    assert child.exitstatus == 1
    # The same run with stderr not a terminal: no bar, only the report at the end.
    result = runner.invoke(app, ["score", str(directory), "-f", "csv", "-o", str(out), "--force", *QDIR])
    assert "Bewerte" not in result.stderr and "━" not in result.stderr


def test_one_table_per_questionnaire_the_first_sheet_decides() -> None:
    """CSV, Excel and the terminal share the rule: rows of another questionnaire are refused with the reason."""
    from stufenplan_cli.services.tabular import OneTable

    head = ["Kommune", "Fragebogen", "Stufe 1: A"]
    table = OneTable()
    assert table.refuse(head, ["X", "mini", 0.5]) is None
    assert table.refuse(head, ["Y", "mini", 0.7]) is None
    reason = table.refuse(head, ["Z", "kurzcheck", 0.1])
    assert reason is not None and "kurzcheck statt mini" in reason
    # same questionnaire id, other columns (another version): not the same table either
    assert table.refuse([*head, "Stufe 2: B"], ["W", "mini", 0.1, 0.2]) is not None
