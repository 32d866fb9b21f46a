"""``validate``: check questionnaires and answer sheets, reporting every problem with file:line."""

from __future__ import annotations

from typing import Annotated

import typer

from stufenplan_cli.cli.common import QuestionnairesDir, catalog, err, out, show_error
from stufenplan_cli.errors import InputsFailed, StufenplanError


def validate(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="DATEI...", help="Fragebögen oder Antwortbögen (YAML), Verzeichnisse, Muster."
        ),
    ],
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Fragebögen und Antwortbögen prüfen (die Art wird am Inhalt erkannt).

    Meldet alle Probleme einer Datei mit Datei:Zeile. Exit-Code 1, wenn eine Datei ungültig ist.

    Beispiel:
        [bold]stufenplan validate workshop/*.yaml[/]
    """
    from rich.markup import escape

    from stufenplan_cli.files.inputs import expand
    from stufenplan_cli.files.reading import load
    from stufenplan_cli.files.sheets import load_sheet
    from stufenplan_cli.files.validation import kind_of, questionnaire_from

    cat = catalog(questionnaires_dir)
    failed = 0
    paths = list(expand(files))
    for path in paths:
        try:
            doc = load(path)
            if kind_of(doc) == "questionnaire":
                q = questionnaire_from(doc)
                out().print(
                    f"[green]✓[/] {escape(str(path))}: Fragebogen {escape(q.id)} {escape(q.version)} – "
                    f"{len(q.stages)} Stufen, {len(q.dimensions)} Dimensionen, {len(q.questions)} Fragen"
                )
            else:
                loaded = load_sheet(path, cat)
                sheet, q = loaded.sheet, loaded.questionnaire
                given = sum(1 for a in sheet.answers.values() if a.is_value)
                out().print(
                    f"[green]✓[/] {escape(str(path))}: Antwortbogen {escape(sheet.municipality.name)} "
                    f"für {escape(q.id)} – {len(sheet.answers)} von {len(q.questions)} Fragen beantwortet "
                    f"({given} mit Wert)"
                )
                if sheet.questionnaire_version and sheet.questionnaire_version != q.version:
                    err().print(
                        f"[yellow]Warnung:[/] {escape(str(path))}: erstellt für Version "
                        f"{escape(sheet.questionnaire_version)}, aktuell ist {escape(q.version)}"
                    )
        except StufenplanError as exc:
            failed += 1
            show_error(exc)
    if failed:
        raise InputsFailed(failed, len(paths), "files", state="ungültig")
