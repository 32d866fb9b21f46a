"""``template``: a blank answer sheet for a workshop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stufenplan_cli.cli.common import QuestionnairesDir, catalog, err, write_output


def template(
    questionnaire: Annotated[
        str, typer.Argument(metavar="ID_ODER_DATEI", help="Id (z. B. stufenplan) oder YAML-Datei.")
    ] = "stufenplan",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="DATEI", help="In Datei schreiben statt auf stdout."),
    ] = None,
    municipality: Annotated[
        str, typer.Option("--municipality", "-m", metavar="NAME", help="Name der Kommune eintragen.")
    ] = "",
    schema_url: Annotated[
        str | None,
        typer.Option(
            "--schema-url",
            metavar="PFAD_ODER_URL",
            help="Verweis auf das JSON Schema in der ersten Zeile (Pfad oder URL).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Vorhandene Datei überschreiben.")] = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Leeren Antwortbogen für einen Workshop erzeugen (gültiges YAML, jede Frage kommentiert).

    Mit --output wird das JSON Schema daneben abgelegt, damit Editoren den Bogen prüfen und ergänzen.

    Beispiel:
        [bold]stufenplan template -m "Gemeinde Musterhausen" -o musterhausen.yaml[/]
    """
    from stufenplan_cli.render.blank_sheet import DEFAULT_SCHEMA_REF, blank_sheet

    q = catalog(questionnaires_dir).resolve(questionnaire)
    text = blank_sheet(q, schema_url or DEFAULT_SCHEMA_REF, municipality)
    write_output(text, output, force)
    if output is not None and schema_url is None and str(output) != "-":
        from stufenplan_cli.files.schema import schema_json
        from stufenplan_cli.files.writing import write_text_atomic

        schema_path = output.parent / DEFAULT_SCHEMA_REF
        content = schema_json("answers")
        if not schema_path.exists() or schema_path.read_text(encoding="utf-8") != content:
            if schema_path.exists() and not force:
                err().print(f"Hinweis: {schema_path} ist veraltet; mit --force erneuern.")
            else:
                write_text_atomic(schema_path, content, overwrite=True)
                err().print(f"Geschrieben: {schema_path} (JSON Schema für Editoren)")
