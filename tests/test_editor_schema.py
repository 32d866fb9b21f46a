"""What an editor does with a template-made sheet: complete question ids and values, flag typos and dates.

Editors read YAML 1.2, where ``2026-03-15`` is a string (PyYAML would make it a date): the sheets here are
loaded that way, and checked with jsonschema's draft-07 validator, the draft the schema declares.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from tests.conftest import DATA

jsonschema = pytest.importorskip("jsonschema")
runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]


class EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it: no timestamps, a date stays text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def editor_load(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)


@pytest.fixture()
def made(tmp_path: Path) -> tuple[str, Any]:
    """A sheet made by ``template -o`` and the validator for the schema its first line points at."""
    sheet = tmp_path / "workshop.yaml"
    result = runner.invoke(app, ["template", "mini", "-m", "Gemeinde Eichenzell", "-o", str(sheet), *QDIR])
    assert result.exit_code == 0, result.output
    text = sheet.read_text(encoding="utf-8")
    reference = re.match(r"# yaml-language-server: \$schema=(\S+)\n", text)
    assert reference is not None
    schema = json.loads((sheet.parent / reference.group(1)).read_text(encoding="utf-8"))  # it resolves
    jsonschema.Draft7Validator.check_schema(schema)
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    return text, jsonschema.Draft7Validator(schema, format_checker=checker)


def fill(text: str, **answers: str) -> str:
    for qid, value in answers.items():
        text = text.replace(f"  {qid}:\n", f"  {qid}: {value}\n")
    return text


def errors(validator: Any, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(editor_load(text))]


def test_a_template_made_sheet_is_valid_blank_and_filled(made: tuple[str, Any], tmp_path: Path) -> None:
    text, validator = made
    assert errors(validator, text) == []
    filled = fill(text, beschluss="{value: 3, note: Ratsbeschluss 2024}", pilot="2", werkzeuge="weiß nicht")
    filled += "assessed_on: 2026-03-15\n"
    assert errors(validator, filled) == []
    # and the tool agrees
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(path), *QDIR]).exit_code == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("  pilot:\n", "  piolt: 2\n"), "'piolt' was unexpected"),  # a misspelt id
        (lambda t: fill(t, pilot="7"), "is not valid under any of the given schemas"),  # not an option
        (lambda t: fill(t, pilot="vielleicht"), "is not valid under any of the given schemas"),
        (lambda t: fill(t, beschluss="{value: 9}"), "is not valid under any of the given schemas"),
        (lambda t: t + "assessed_on: 15.03.2026\n", "'15.03.2026' is not valid"),  # German order: not ISO
        (lambda t: t + "assessed_on: 2026-02-30\n", "'2026-02-30' is not valid"),  # no such day
        (lambda t: t.replace('questionnaire: "mini"', 'questionnaire: "mnii"'), "is not one of ['mini']"),
    ],
)
def test_an_editor_flags_what_validate_rejects(
    made: tuple[str, Any], change: Any, expected: str, tmp_path: Path
) -> None:
    text, validator = made
    broken = change(text)
    found = errors(validator, broken)
    assert any(expected in message for message in found), found
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(path), *QDIR]).exit_code == 1  # the tool agrees


def test_the_schema_completes_values_with_their_labels(mini: Questionnaire) -> None:
    result = runner.invoke(app, ["schema", "answers", "--questionnaire", "mini", *QDIR])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    answers = schema["properties"]["answers"]
    assert answers["additionalProperties"] is False
    assert list(answers["properties"]) == [q.id for q in mini.questions]
    pilot = answers["properties"]["pilot"]["anyOf"][0]
    assert pilot["enum"][:3] == [0, 1, 2]  # its own options: 0 to 2
    assert "2 = Echtbetrieb" in pilot["enumDescriptions"][2]
    assert len(pilot["enum"]) == len(pilot["enumDescriptions"])
    assert "weiß nicht" in pilot["enum"] and "nicht zutreffend" in pilot["enum"]


def test_schema_for_a_questionnaire_is_only_for_answer_sheets() -> None:
    result = runner.invoke(app, ["schema", "questionnaire", "--questionnaire", "mini", *QDIR])
    assert result.exit_code == 2


def test_template_to_standard_output_points_at_a_schema_that_exists(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "mini", *QDIR])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    uri = first.removeprefix("# yaml-language-server: $schema=")
    assert uri.startswith("file:///")
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(uri).path))
    assert json.loads(path.read_text(encoding="utf-8"))["properties"]["questionnaire"]["enum"] == ["mini"]
