"""``stufenplan report`` over many sheets: worker processes, the same bytes as one process, one overwrite refusal."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.cli.report_cmd import plan_outputs
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.errors import OutputExists
from stufenplan_cli.services import batch
from stufenplan_cli.services.reports import refuse_existing, serial_below
from tests.conftest import DATA

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]
TEMPLATE = (DATA / "roadmap-sheet.yaml").read_text(encoding="utf-8")
BROKEN = "k007.yaml"


def sheet_text(i: int) -> str:
    """The test sheet with its own municipality name and a different answer, so every report differs."""
    text = TEMPLATE.replace("Stadt Beispielhausen", f"Gemeinde Nummer {i:03d}")
    return text.replace("  s1-stelle: 2\n", f"  s1-stelle: {i % 4}\n")


def make_sheets(folder: Path, count: int) -> list[str]:
    """``count`` sheets k000.yaml … in ``folder``, the eighth with a list left open in line 4; returns their stems."""
    folder.mkdir(parents=True)
    for i in range(count):
        text = sheet_text(i)
        if f"k{i:03d}.yaml" == BROKEN:
            text = text.replace("  name: Gemeinde Nummer 007\n", "  name: [offen\n")
        (folder / f"k{i:03d}.yaml").write_text(text, encoding="utf-8")
    return [f"k{i:03d}" for i in range(count)]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records the worker count of every process pool started, so a test knows the pool really ran."""
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor  # batch imports it only when it starts a pool

    def spy(workers: int, *args: Any, **kwargs: Any) -> Any:
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", spy)
    return started


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_workers_write_the_same_files_as_one_process(in_tmp: Path, pools: list[int]) -> None:
    stems = make_sheets(in_tmp / "bögen", serial_below(["md"]) + 2)
    args = ["report", "bögen", "-f", "md,html,json", *QDIR]
    one = runner.invoke(app, [*args, "-o", "eins/", "--workers", "1"])
    assert pools == []
    two = runner.invoke(app, [*args, "-o", "zwei/", "--workers", "2"])
    assert pools == [2]
    for result in (one, two):
        assert result.exit_code == 1
        assert f"bögen/{BROKEN}:5: YAML-Syntaxfehler" in result.stderr
        assert f"1 von {len(stems)} Bögen fehlerhaft" in result.stderr
    serial, pooled = files(in_tmp / "eins"), files(in_tmp / "zwei")
    good = [s for s in stems if f"{s}.yaml" != BROKEN]
    assert sorted(pooled) == sorted(f"{s}.{ext}" for s in good for ext in ("md", "html", "json"))
    assert pooled == serial  # byte for byte
    assert b"Gemeinde Nummer 049" in pooled["k049.html"] and b"Gemeinde Nummer 048" not in pooled["k049.html"]
    # written and reported in input order, whichever worker finished first
    names = [line.split("/")[-1] for line in two.stderr.splitlines() if line.startswith("Geschrieben:")]
    assert names == [f"{s}.{ext}" for s in good for ext in ("md", "html", "json")]


def test_pdf_reports_use_workers_from_two_sheets_and_match_one_process(
    in_tmp: Path, pools: list[int]
) -> None:
    pytest.importorskip("weasyprint")
    make_sheets(in_tmp / "bögen", 2)
    one = runner.invoke(app, ["report", "bögen", "-f", "pdf", "-o", "eins/", "--workers", "1", *QDIR])
    two = runner.invoke(app, ["report", "bögen", "-f", "pdf", "-o", "zwei/", "--workers", "2", *QDIR])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert pools == [2]
    serial, pooled = files(in_tmp / "eins"), files(in_tmp / "zwei")
    assert sorted(pooled) == ["k000.pdf", "k001.pdf"]
    assert pooled == serial and pooled["k000.pdf"] != pooled["k001.pdf"]


def test_existing_reports_are_refused_once_and_nothing_is_written(in_tmp: Path) -> None:
    make_sheets(in_tmp / "bögen", 8)
    out = in_tmp / "berichte"
    out.mkdir()
    for name in ("k001.md", "k002.html", "k005.md", "k004.html"):
        (out / name).write_text("von Hand\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "bögen", "-f", "md,html", "-o", "berichte/", *QDIR])
    assert result.exit_code == 1
    # one message, the files counted and the first ones named in input order, not one line per file
    assert result.stderr.count("Fehler:") == 1
    assert (
        "4 Dateien existieren bereits in berichte/ (z. B. k001.md, k002.html, k004.html …); "
        "mit --force überschreiben" in " ".join(result.stderr.split())
    )
    assert "k007" not in result.stderr  # refused before any sheet was read
    assert sorted(p.name for p in out.iterdir()) == ["k001.md", "k002.html", "k004.html", "k005.md"]
    assert all(p.read_text(encoding="utf-8") == "von Hand\n" for p in out.iterdir())

    forced = runner.invoke(app, ["report", "bögen", "-f", "md,html", "-o", "berichte/", "--force", *QDIR])
    assert forced.exit_code == 1  # k007 is still broken; the others are written over
    assert len(list(out.iterdir())) == 14
    assert (out / "k001.md").read_text(encoding="utf-8").startswith("# Beschlussvorlage: Gemeinde Nummer 001")
    assert "Gemeinde Nummer 004" in (out / "k004.html").read_text(encoding="utf-8")

    again = runner.invoke(app, ["report", "bögen", "-f", "md,html", "-o", "berichte/", *QDIR])
    assert again.exit_code == 1 and again.stderr.count("Fehler:") == 1
    assert "14 Dateien existieren bereits" in again.stderr


def test_refusal_wording_for_one_file_and_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text("x", encoding="utf-8")
    with pytest.raises(OutputExists) as one:
        refuse_existing([Path("a.md"), Path("b.md")])
    assert str(one.value) == "a.md: Datei existiert bereits; mit --force überschreiben"
    Path("b.md").write_text("x", encoding="utf-8")
    with pytest.raises(OutputExists) as two:
        refuse_existing([Path("a.md"), Path("b.md"), Path("c.md")])
    assert str(two.value) == (
        "2 Dateien existieren bereits im aktuellen Verzeichnis (z. B. a.md, b.md); mit --force überschreiben"
    )
    refuse_existing([Path("c.md")])  # nothing there: no complaint


def test_names_never_collide_so_a_run_never_writes_over_its_own_report() -> None:
    sheets = [Path("2025/stadt.yaml"), Path("2026/stadt.yaml"), Path("x/stadt-2.yaml"), Path("y/Stadt.yaml")]
    plan = plan_outputs(sheets, ["md"], "out/")
    assert [str(plan[(i, "md")]) for i in range(4)] == [
        "out/stadt.md",
        "out/stadt-2.md",
        "out/stadt-2-2.md",
        "out/Stadt-3.md",  # the same file as stadt.md on Windows and macOS
    ]


def test_a_broken_template_stops_the_batch_with_one_message(in_tmp: Path) -> None:
    make_sheets(in_tmp / "bögen", 4)
    tpl = in_tmp / "vorlagen"
    tpl.mkdir()
    (tpl / "report.md.j2").write_text("{{ municipality.name }}\n{% if %}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "bögen", "-o", "out/", "--template-dir", str(tpl), *QDIR])
    assert result.exit_code == 1
    assert result.stderr.count("Fehler:") == 1 and "report.md.j2:2" in result.stderr
    assert not (in_tmp / "out").exists()


def title_or_die(result: Result, questionnaire: Questionnaire) -> str:
    """A questionnaire-taking transform that kills any worker it runs in, as the out-of-memory killer would."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return f"{result.municipality.name} / {questionnaire.title}"


def test_a_dead_report_worker_hands_over_to_the_main_process(tmp_path: Path) -> None:
    stems = make_sheets(tmp_path / "bögen", 9)
    paths = [tmp_path / "bögen" / f"{s}.yaml" for s in stems]
    job = batch.WithQuestionnaire(title_or_die)
    outcomes = list(
        batch.score_many(paths, batch.Settings((DATA,)), job, workers=2, chunk_size=1, serial_below=2)
    )
    assert [o.index for o in outcomes] == list(range(9))
    assert [o.ok for o in outcomes] == [s != "k007" for s in stems]
    assert outcomes[3].value == "Gemeinde Nummer 003 / Kleiner Stufenplan-Check (Testfragebogen)"


def test_a_report_never_replaces_its_own_sheet_even_with_force(in_tmp: Path) -> None:
    sheet = in_tmp / "stadt.yaml"
    sheet.write_text(sheet_text(1), encoding="utf-8")
    result = runner.invoke(app, ["report", "stadt.yaml", "-f", "md", "-o", "./stadt.yaml", "--force", *QDIR])
    assert result.exit_code == 2 and "eine der Eingabedateien" in result.stderr
    assert sheet.read_text(encoding="utf-8") == sheet_text(1)
