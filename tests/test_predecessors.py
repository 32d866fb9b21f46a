"""Sheets written for an older questionnaire version keep working: ids renamed, values mapped, gaps named."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.errors import ValidationFailed
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.editing import SheetFile, read_state
from stufenplan_cli.files.sheets import load_sheet
from tests.conftest import DATA, sheet_text

V2 = DATA / "v2"
runner = CliRunner()

# mini-sheet.yaml as version 1.0 wrote it, plus a question version 2.0 dropped
OLD = """\
questionnaire: mini
questionnaire_version: "1.0"
municipality:
  name: Musterhausen
answers:
  beschluss: 3
  # die Stabsstelle
  verantwortung: {value: 2, note: Stabsstelle seit 2024}
  qualifizierung: weiß nicht
  pilot: 2
  werkzeuge: nicht zutreffend
  abgeschafft: 1
"""


def test_an_old_sheet_is_read_with_renamed_ids_and_mapped_values(mini2: Questionnaire) -> None:
    sheet = sheet_text(OLD, mini2)
    assert set(sheet.answers) == {"beschluss", "koordination", "qualifizierung", "pilot", "werkzeuge"}
    assert sheet.answers["koordination"] == Answer(value=2, note="Stabsstelle seit 2024")
    assert sheet.answers["pilot"].value == 3  # old top "Echtbetrieb" 2 is the new top 3
    assert sheet.answers["beschluss"].value == 3  # not listed: unchanged
    assert sheet.questionnaire_version == "2.0" and sheet.upgraded_from == "1.0"
    r = score(mini2, sheet)
    assert r.stage == 2  # as under 1.0: the carried answers place it alike
    [warning] = r.warnings
    assert warning.startswith("Antwortbogen wurde für Version 1.0 erstellt, bewertet wird mit Version 2.0")
    assert warning.endswith("ohne Antwort im Bogen (zählen 0 Punkte): kooperation, gemeinsame-daten")


def test_a_problem_in_an_old_sheet_points_at_the_line_written(mini2: Questionnaire) -> None:
    with pytest.raises(ValidationFailed) as exc:
        sheet_text(OLD.replace("value: 2, note", "value: 7, note"), mini2)
    [problem] = exc.value.problems
    assert problem.line == 8 and "Wert 7 ist keine Option" in problem.message


def test_an_old_sheet_with_another_error_is_still_read_with_its_new_ids(mini2: Questionnaire) -> None:
    with pytest.raises(ValidationFailed) as exc:
        sheet_text(OLD.replace("  name: Musterhausen\n", "  einwohner: 5\n  name: Musterhausen\n"), mini2)
    messages = [p.message for p in exc.value.problems]
    assert not any("unbekannte Frage" in m for m in messages), messages


def test_a_sheet_for_an_undeclared_version_keeps_todays_behaviour(mini2: Questionnaire) -> None:
    with pytest.raises(ValidationFailed) as exc:
        sheet_text(OLD.replace('"1.0"', '"0.9"'), mini2)
    assert any("unbekannte Frage 'verantwortung'" in p.message for p in exc.value.problems)
    current = sheet_text(
        OLD.replace('"1.0"', '"0.9"')
        .replace("verantwortung", "koordination")
        .replace("  abgeschafft: 1\n", ""),
        mini2,
    )
    assert current.upgraded_from is None and current.answers["pilot"].value == 2
    assert score(mini2, current).warnings == [
        "Antwortbogen wurde für Version 0.9 erstellt, bewertet wird mit Version 2.0"
    ]


def test_resuming_an_old_sheet_writes_it_as_the_new_version_once(
    tmp_path: Path, mini2: Questionnaire
) -> None:
    path = tmp_path / "alt.yaml"
    path.write_text(OLD, encoding="utf-8")
    state = read_state(path, Catalog(extra_dirs=[V2]))
    assert state.version == "2.0" and state.answers["pilot"].value == 3
    sheet = SheetFile.open(path, mini2)
    sheet.set_answer("kooperation", Answer(value=2))
    text = path.read_text(encoding="utf-8")
    assert 'questionnaire_version: "2.0"' in text
    assert "verantwortung" not in text and "abgeschafft" not in text
    assert "# die Stabsstelle" in text and "koordination: {value: 2, note: Stabsstelle seit 2024}" in text
    again = load_sheet(path, Catalog(extra_dirs=[V2])).sheet
    assert again.upgraded_from is None  # now a 2.0 sheet: read as written, values not mapped twice
    assert again.answers["pilot"].value == 3 and again.answers["kooperation"].value == 2


def test_score_and_validate_accept_an_old_sheet_and_say_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "alt.yaml"
    path.write_text(OLD, encoding="utf-8")
    qdir = ["--questionnaires-dir", str(V2)]
    result = runner.invoke(app, ["validate", *qdir, str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["score", *qdir, "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    assert "ohne Antwort im Bogen (zählen 0 Punkte): kooperation, gemeinsame-daten" in result.stdout


def test_the_fast_path_of_batch_scoring_leaves_an_old_sheet_to_the_full_reading(mini2: Questionnaire) -> None:
    from stufenplan_cli.files.reading import parse
    from stufenplan_cli.files.validation import quick_sheet

    # ids all current, only a value changed meaning: the fast path would read pilot 2 as it stands
    same_ids = OLD.replace("verantwortung", "koordination").replace("  abgeschafft: 1\n", "")
    assert quick_sheet(parse(same_ids, "alt.yaml"), mini2) is None
    assert quick_sheet(parse(same_ids.replace('"1.0"', '"2.0"'), "neu.yaml"), mini2) is not None
