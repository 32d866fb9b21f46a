"""``questionnaires``, ``show`` and ``schema``: what the tool can assess, and the file formats."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from stufenplan_cli.cli.common import (
    Force,
    OutputFile,
    QuestionnairesDir,
    Quiet,
    catalog,
    out,
    warn_shadowed,
    write_output,
)
from stufenplan_cli.errors import InputsFailed, UsageError


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class SchemaKind(str, Enum):
    questionnaire = "questionnaire"
    answers = "answers"


def questionnaires(
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", metavar="FORMAT", help="Ausgabeformat.")
    ] = ListFormat.table,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Verfügbare Fragebögen auflisten: mitgelieferte und eigene.

    Beispiel:
        [bold]stufenplan questionnaires --questionnaires-dir ./eigene --format json[/]
    """
    from stufenplan_cli.cli.present import questionnaire_table

    cat = catalog(questionnaires_dir)
    entries = cat.entries()
    if format is ListFormat.json:
        data = [
            {
                "id": e.questionnaire.id,
                "version": e.questionnaire.version,
                "title": e.questionnaire.title,
                "questions": len(e.questionnaire.questions),
            }
            for e in entries
            if e.questionnaire is not None
        ]
        import json  # only for this output: start-up of every other run stays lighter

        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", None)
    else:
        out().print(questionnaire_table(entries))
    for e in entries:
        if e.questionnaire is not None:
            warn_shadowed(cat.shadowed_by(e.questionnaire, e.path), e.path, e.questionnaire.id)
    broken = [e.error for e in entries if e.error is not None]
    if broken:
        raise InputsFailed(len(broken), len(entries), "questionnaires", errors=broken)


def show(
    questionnaire: Annotated[
        str, typer.Argument(metavar="ID_ODER_DATEI", help="Id (z. B. stufenplan) oder YAML-Datei.")
    ],
    format: Annotated[
        ShowFormat, typer.Option("--format", "-f", metavar="FORMAT", help="Ausgabeformat.")
    ] = ShowFormat.text,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Einen Fragebogen anzeigen: Stufen, Dimensionen und Fragen.

    Beispiel:
        [bold]stufenplan show kurzcheck[/]
    """
    q = catalog(questionnaires_dir).resolve(questionnaire)
    if format is ShowFormat.json:
        write_output(q.model_dump_json(indent=2) + "\n", None)
        return
    from stufenplan_cli.cli.present import print_questionnaire

    print_questionnaire(out(), q)


def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(metavar="ART", help="questionnaire (Fragebogen) oder answers (Antwortbogen)."),
    ],
    output: OutputFile = None,
    force: Force = False,
    quiet: Quiet = False,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            metavar="ID_ODER_DATEI",
            help="Antwortbogen genau dieses Fragebogens: Frage-Ids und erlaubte Werte (für Ergänzung im Editor).",
        ),
    ] = None,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """JSON Schema (Draft-07) eines Dateiformats ausgeben, erzeugt aus den Modellen (für Editoren).

    Mit --questionnaire kennt das Schema eines Antwortbogens die Frage-Ids und die Werte jeder Frage
    mit ihren Bezeichnungen: Der Editor ergänzt sie und streicht Tippfehler an.

    Beispiel:
        [bold]stufenplan schema answers --questionnaire kurzcheck -o kurzcheck.schema.json[/]
    """
    from stufenplan_cli.files.schema import schema_json

    if questionnaire is not None and kind is not SchemaKind.answers:
        raise UsageError("--questionnaire gilt nur für das Schema eines Antwortbogens (answers)")
    q = catalog(questionnaires_dir).resolve(questionnaire) if questionnaire else None
    write_output(schema_json(kind.value, q), output, force)
