"""``validate``: check questionnaires and answer sheets, reporting every problem with file:line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stufenplan_cli.cli.common import QuestionnairesDir, catalog, err, out, show_error, warn_shadowed
from stufenplan_cli.errors import InputsFailed, StufenplanError

if TYPE_CHECKING:
    from stufenplan_cli.files.sheets import LoadedSheet


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
                warn_shadowed(cat.shadowed_by(q, path), path, q.id)
            else:
                _report_sheet(load_sheet(path, cat))
        except StufenplanError as exc:
            failed += 1
            show_error(exc)
    if failed:
        raise InputsFailed(failed, len(paths), "files", state="ungültig")


def _report_sheet(loaded: LoadedSheet) -> None:
    """The ✓ line of a valid sheet, then its warnings: an older version, answers to follow-ups that do not count."""
    from rich.markup import escape

    from stufenplan_cli.domain.conditions import ignored_answers, not_asked

    path, sheet, q = loaded.path, loaded.sheet, loaded.questionnaire
    dropped = not_asked(q, sheet.answers)
    counted = [a for qid, a in sheet.answers.items() if qid not in dropped]
    given = sum(1 for a in counted if a.is_value)
    skipped = ""
    if dropped:
        skipped = (
            "; 1 Folgefrage entfällt" if len(dropped) == 1 else f"; {len(dropped)} Folgefragen entfallen"
        )
    out().print(
        f"[green]✓[/] {escape(str(path))}: Antwortbogen {escape(sheet.municipality.name)} "
        f"für {escape(q.id)} – {len(counted)} von {len(q.questions) - len(dropped)} Fragen "
        f"beantwortet ({given} mit Wert){skipped}"
    )
    version = sheet.upgraded_from or sheet.questionnaire_version
    if version and version != q.version:
        err().print(
            f"[yellow]Warnung:[/] {escape(str(path))}: erstellt für Version "
            f"{escape(version)}, aktuell ist {escape(q.version)}"
        )
    for ignored in ignored_answers(
        q, {qid: a.value for qid, a in sheet.answers.items()}
    ):  # a warning: the sheet stays valid
        line = loaded.document.line_of(("answers", ignored.question))
        where = f"{path}:{line}" if line else str(path)
        err().print(f"[yellow]Warnung:[/] {escape(where)}: {escape(ignored.message)}.")
