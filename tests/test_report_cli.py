"""``stufenplan report`` through typer's test runner: formats, output names, overwrite rules, bad sheets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from tests.conftest import DATA

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]
SHEET = str(DATA / "roadmap-sheet.yaml")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> object:
    return runner.invoke(app, ["report", *args, *QDIR])


def test_help_names_formats_and_example() -> None:
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    assert "Beispiel" in result.output and "--format" in result.output and "--template-dir" in result.output


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_one_sheet_one_text_format_goes_to_stdout(in_tmp: Path, fmt: str) -> None:
    result = runner.invoke(app, ["report", SHEET, "--format", fmt, *QDIR])
    assert result.exit_code == 0, result.output
    assert list(in_tmp.iterdir()) == []
    if fmt == "json":
        assert json.loads(result.stdout)["municipality"]["name"] == "Stadt Beispielhausen"
    elif fmt == "html":
        assert result.stdout.startswith("<!DOCTYPE html>")
    else:
        assert result.stdout.startswith("# Beschlussvorlage: Stadt Beispielhausen")


def test_default_format_is_markdown(in_tmp: Path) -> None:
    result = runner.invoke(app, ["report", SHEET, *QDIR])
    assert result.exit_code == 0 and result.stdout.startswith("# ")


def test_pdf_alone_is_written_beside_its_sheet(in_tmp: Path) -> None:
    pytest.importorskip("weasyprint")
    folder = in_tmp / "workshop"
    folder.mkdir()
    sheet = folder / "roadmap-sheet.yaml"
    sheet.write_bytes(Path(SHEET).read_bytes())
    result = runner.invoke(app, ["report", "workshop/roadmap-sheet.yaml", "-f", "pdf", *QDIR])
    assert result.exit_code == 0, result.output
    assert (folder / "roadmap-sheet.pdf").read_bytes().startswith(b"%PDF")
    assert f"Geschrieben: {Path('workshop') / 'roadmap-sheet.pdf'}" in result.output


def test_several_formats_comma_and_repeated(in_tmp: Path) -> None:
    (in_tmp / "roadmap-sheet.yaml").write_bytes(Path(SHEET).read_bytes())
    args = ["report", "roadmap-sheet.yaml", "--format", "html,json", "--format", "md", *QDIR]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in in_tmp.iterdir()) == [
        "roadmap-sheet.html",
        "roadmap-sheet.json",
        "roadmap-sheet.md",
        "roadmap-sheet.yaml",
    ]


def test_output_file_and_output_directory(in_tmp: Path) -> None:
    assert runner.invoke(app, ["report", SHEET, "-f", "md", "-o", "bericht.md", *QDIR]).exit_code == 0
    assert (in_tmp / "bericht.md").read_text(encoding="utf-8").startswith("# Beschlussvorlage")
    result = runner.invoke(app, ["report", SHEET, "-f", "md,json", "-o", "out", *QDIR])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["roadmap-sheet.json", "roadmap-sheet.md"]


def test_trailing_slash_means_a_directory_even_for_one_report(in_tmp: Path) -> None:
    result = runner.invoke(app, ["report", SHEET, "-f", "json", "-o", "berichte/", *QDIR])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "berichte" / "roadmap-sheet.json").is_file()


def test_output_named_like_a_file_for_several_reports_is_wrong_usage(in_tmp: Path) -> None:
    result = runner.invoke(app, ["report", SHEET, "-f", "html,md", "-o", "bericht.html", *QDIR])
    assert result.exit_code == 2
    assert "Verzeichnis" in result.output
    assert list(in_tmp.iterdir()) == []


def test_never_overwrites_without_force_and_writes_nothing_then(in_tmp: Path) -> None:
    (in_tmp / "roadmap-sheet.md").write_text("von Hand\n", encoding="utf-8")
    result = runner.invoke(app, ["report", SHEET, "-f", "md,json", "-o", ".", *QDIR])
    assert result.exit_code == 1
    assert "roadmap-sheet.md" in result.output and "--force" in result.output
    assert (in_tmp / "roadmap-sheet.md").read_text(encoding="utf-8") == "von Hand\n"
    assert not (in_tmp / "roadmap-sheet.json").exists()  # nothing half-written
    forced = runner.invoke(app, ["report", SHEET, "-f", "md,json", "-o", ".", "--force", *QDIR])
    assert forced.exit_code == 0
    assert (in_tmp / "roadmap-sheet.md").read_text(encoding="utf-8").startswith("# Beschlussvorlage")


def test_many_sheets_with_a_bad_one(in_tmp: Path) -> None:
    sheets = in_tmp / "bögen"
    sheets.mkdir()
    shutil.copy(DATA / "roadmap-sheet.yaml", sheets / "a-stadt.yaml")
    shutil.copy(DATA / "roadmap-merged.yaml", sheets / "b-gemeinde.yaml")
    (sheets / "c-kaputt.yaml").write_text("questionnaire: roadmap-test\nmunicipality: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(sheets), "-f", "md", "-o", "berichte", *QDIR])
    assert result.exit_code == 1
    assert sorted(p.name for p in (in_tmp / "berichte").iterdir()) == ["a-stadt.md", "b-gemeinde.md"]
    assert "c-kaputt.yaml" in result.output and "1 von 3 Bögen fehlerhaft" in result.output


def test_same_stem_from_two_folders_gets_a_number(in_tmp: Path) -> None:
    for folder in ("2025", "2026"):
        (in_tmp / folder).mkdir()
        shutil.copy(DATA / "roadmap-sheet.yaml", in_tmp / folder / "stadt.yaml")
    result = runner.invoke(
        app, ["report", "2025/stadt.yaml", "2026/stadt.yaml", "-f", "json", "-o", "out", *QDIR]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["stadt-2.json", "stadt.json"]


def test_globs_are_expanded(in_tmp: Path) -> None:
    shutil.copy(DATA / "roadmap-sheet.yaml", in_tmp / "x.yaml")
    shutil.copy(DATA / "roadmap-merged.yaml", in_tmp / "y.yaml")
    result = runner.invoke(app, ["report", str(in_tmp / "*.yaml"), "-f", "md", "-o", "out", *QDIR])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["x.md", "y.md"]


def test_wrong_usage_exits_2(in_tmp: Path) -> None:
    assert runner.invoke(app, ["report", SHEET, "-f", "odt", *QDIR]).exit_code == 2
    assert runner.invoke(app, ["report", SHEET, "--template-dir", "gibtsnicht", *QDIR]).exit_code == 2
    both = runner.invoke(app, ["report", SHEET, SHEET.replace("sheet", "merged"), "-o", "-", *QDIR])
    assert both.exit_code == 2


def test_questionnaire_option_and_wrong_questionnaire(in_tmp: Path) -> None:
    ok = runner.invoke(app, ["report", SHEET, "-Q", str(DATA / "roadmap.yaml"), "-f", "json"])
    assert ok.exit_code == 0, ok.output
    wrong = runner.invoke(app, ["report", SHEET, "-Q", str(DATA / "mini.yaml"), "-f", "json"])
    assert wrong.exit_code == 1 and "roadmap-test" in wrong.output


def test_user_templates_override_and_errors_name_the_file(in_tmp: Path) -> None:
    tpl = in_tmp / "vorlagen"
    tpl.mkdir()
    (tpl / "report.md.j2").write_text(
        "Kurzbericht {{ municipality.name | t }}: Stufe {{ stage }}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["report", SHEET, "--template-dir", str(tpl), *QDIR])
    assert result.exit_code == 0 and result.stdout == "Kurzbericht Stadt Beispielhausen: Stufe 1\n"
    (tpl / "report.md.j2").write_text("{% if %}\n", encoding="utf-8")
    broken = runner.invoke(app, ["report", SHEET, "--template-dir", str(tpl), *QDIR])
    assert broken.exit_code == 1
    assert "report.md.j2" in broken.output and "Traceback" not in broken.output
    (tpl / "report.md.j2").write_text("{{ stage.__class__.__subclasses__() }}\n", encoding="utf-8")
    unsafe = runner.invoke(app, ["report", SHEET, "--template-dir", str(tpl), *QDIR])
    assert unsafe.exit_code == 1 and "Traceback" not in unsafe.output


def test_without_the_pdf_extra_the_other_formats_are_still_written(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    result = runner.invoke(app, ["report", SHEET, "-f", "md,html,pdf", "-o", "out", *QDIR])
    assert result.exit_code == 1
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["roadmap-sheet.html", "roadmap-sheet.md"]
    assert "Kein PDF erstellt – WeasyPrint fehlt in dieser Installation" in result.stderr
    assert 'python -m pip install "weasyprint>=61"' in result.stderr  # double quotes: every shell
    assert "out/roadmap-sheet.html im Browser öffnen und als PDF drucken" in result.stderr
    assert "PDF unter Windows, macOS und Linux" in result.stderr


def test_a_pdf_alone_without_the_extra_becomes_html_where_the_pdf_would_be(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = runner.invoke(app, ["report", SHEET, "-f", "pdf", "-o", "rat.pdf", *QDIR])
    assert result.exit_code == 1
    assert (in_tmp / "rat.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (in_tmp / "rat.pdf").exists()
    assert "rat.html im Browser öffnen" in result.stderr


def test_a_pipx_installation_is_told_to_inject_the_extra(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    environment = in_tmp / "pipx-venv"
    environment.mkdir()
    (environment / "pipx_metadata.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(environment))
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = runner.invoke(app, ["report", SHEET, "-f", "html,pdf", "-o", "out/", *QDIR])
    assert result.exit_code == 1
    assert 'pipx inject stufenplan-cli "weasyprint>=61"' in result.stderr
    assert "pip install" not in result.stderr


def test_bundled_example_gives_a_full_report(in_tmp: Path) -> None:
    example = Path(__file__).parent.parent / "examples" / "musterstadt.yaml"
    result = runner.invoke(app, ["report", str(example), "-f", "json,md,html", "-o", "out"])
    assert result.exit_code == 0, result.output
    record = json.loads((in_tmp / "out" / "musterstadt.json").read_text(encoding="utf-8"))
    assert record["stage"] == 2 and record["next_stage"]["id"] == 3  # placed so the roadmap matters
    assert record["roadmap"][0]["group"] == "key" and record["unknown"] > 0 and record["not_applicable"] > 0
    md = (in_tmp / "out" / "musterstadt.md").read_text(encoding="utf-8")
    assert "Der Stadtrat der Stadt Musterstadt beschließt" in md
    assert (
        "Leitlinie zur Informationssicherheit 2025 beschlossen" in md
    )  # a note from the sheet explains a measure
