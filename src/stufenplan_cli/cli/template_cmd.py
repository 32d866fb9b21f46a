"""``template``: a blank answer sheet for a workshop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stufenplan_cli.cli.common import (
    Force,
    OutputFile,
    QuestionnairesDir,
    Quiet,
    catalog,
    err,
    note,
    write_output,
)


def template(
    questionnaire: Annotated[
        str, typer.Argument(metavar="ID_ODER_DATEI", help="Id (z. B. stufenplan) oder YAML-Datei.")
    ] = "stufenplan",
    output: OutputFile = None,
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
    force: Force = False,
    quiet: Quiet = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Leeren Antwortbogen für einen Workshop erzeugen (gültiges YAML, jede Frage kommentiert).

    Die erste Zeile verweist auf das JSON Schema des Fragebogens, damit Editoren Frage-Ids und Werte
    ergänzen und Tippfehler anstreichen: mit --output liegt es neben dem Bogen, sonst im
    Zwischenspeicher des Benutzers.

    Beispiel:
        [bold]stufenplan template -m "Gemeinde Musterhausen" -o musterhausen.yaml[/]
    """
    from stufenplan_cli.files.schema import answers_schema_file, schema_json, user_schema_dir
    from stufenplan_cli.render.blank_sheet import blank_sheet

    q = catalog(questionnaires_dir).resolve(questionnaire)
    to_file = output is not None and str(output) != "-"
    schema_path: Path | None = None
    if schema_url is not None:
        reference = schema_url
    elif to_file and output is not None:
        schema_path = output.parent / answers_schema_file(q)
        reference = schema_path.name  # relative: the sheet and its schema can move together
    else:
        schema_path = user_schema_dir() / answers_schema_file(q)
        reference = schema_path.absolute().as_uri()  # standard output: where it goes is unknown here
    write_output(blank_sheet(q, reference, municipality), output, force)
    if schema_path is not None:
        _write_schema(schema_path, schema_json("answers", q), beside=to_file, force=force)


def _write_schema(path: Path, content: str, beside: bool, force: bool) -> None:
    """Write the schema unless it is there already; one beside a sheet is renewed only with --force."""
    from stufenplan_cli.files.writing import write_text_atomic

    try:
        if path.exists() and path.read_text(encoding="utf-8") == content:
            return
        if beside and path.exists() and not force:
            err().print(f"Hinweis: {path} ist veraltet; mit --force erneuern.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, content, overwrite=True)
    except OSError as exc:  # the sheet is written; without its schema an editor only checks less
        err().print(f"Hinweis: JSON Schema nicht geschrieben ({exc}); stufenplan schema answers legt es an.")
        return
    if beside:
        note(f"Geschrieben: {path} (JSON Schema für Editoren)", markup=False)
