"""``validate``: check questionnaires and answer sheets, reporting every problem with file:line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stufenplan_cli.cli.common import (
    RUN,
    QuestionnairesDir,
    Quiet,
    catalog,
    err,
    out,
    show_error,
    write_output,
)
from stufenplan_cli.errors import InputsFailed, StufenplanError, how_many

if TYPE_CHECKING:
    from stufenplan_cli.files.catalog import Catalog


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


def validate(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="DATEI...",
            help="Fragebögen oder Antwortbögen (YAML), Verzeichnisse, Muster; - liest von stdin.",
        ),
    ],
    format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (Standard) oder json: das Ergebnis je Datei für Skripte.",
        ),
    ] = ValidateFormat.text,
    quiet: Quiet = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Fragebögen und Antwortbögen prüfen (die Art wird am Inhalt erkannt).

    Meldet alle Probleme einer Datei mit Datei:Zeile. Exit-Code 1, wenn eine Datei ungültig ist. Mit
    --format json steht das Ergebnis jeder Datei als JSON auf der Standardausgabe (Schlüssel file, kind,
    valid, problems mit file, line und message).

    Beispiel:
        [bold]stufenplan validate workshop/*.yaml[/]
    """
    from stufenplan_cli.files.inputs import expand
    from stufenplan_cli.files.reading import display_name

    cat = catalog(questionnaires_dir)
    paths = list(expand(files))
    checked = [_check(path, cat) for path in paths]
    failed = [c for c in checked if c.error is not None]
    if format is ValidateFormat.json:
        write_output(json.dumps([c.record() for c in checked], ensure_ascii=False, indent=2) + "\n", None)
        if failed:
            raise typer.Exit(1)
        return
    from rich.markup import escape

    for c in checked:
        if c.error is not None:
            show_error(c.error)
            continue
        if not RUN.quiet:
            out().print(f"[green]✓[/] {escape(display_name(c.path))}: {escape(c.summary)}")
        for warning in c.warnings:
            err().print(f"[yellow]Warnung:[/] {escape(display_name(c.path))}: {escape(warning)}")
    if failed:
        raise InputsFailed(len(failed), len(paths), "files", state="ungültig")


@dataclass
class Checked:
    """One file as validate found it: what it is, or what is wrong with it."""

    path: Path
    kind: str | None = None
    summary: str = ""
    warnings: list[str] = field(default_factory=list)
    error: StufenplanError | None = None

    def record(self) -> dict[str, Any]:
        problems = self.error.problems if self.error is not None else []
        return {
            "file": str(self.path),
            "kind": self.kind,
            "valid": self.error is None,
            "summary": self.summary or None,
            "warnings": self.warnings,
            "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in problems],
        }


def _check(path: Path, cat: Catalog) -> Checked:
    from stufenplan_cli.files.reading import load
    from stufenplan_cli.files.sheets import load_sheet
    from stufenplan_cli.files.validation import kind_of, questionnaire_from

    checked = Checked(path)
    try:
        doc = load(path)
        if kind_of(doc) == "questionnaire":
            checked.kind = "questionnaire"
            q = questionnaire_from(doc)
            checked.summary = (
                f"Fragebogen {q.id} {q.version} – {how_many(len(q.stages), 'stages')}, "
                f"{how_many(len(q.dimensions), 'dimensions')}, {how_many(len(q.questions), 'questions')}"
            )
        else:
            checked.kind = "answers"
            loaded = load_sheet(path, cat)
            sheet, q = loaded.sheet, loaded.questionnaire
            given = sum(1 for a in sheet.answers.values() if a.is_value)
            total = how_many(len(q.questions), "questions").split(" ", 1)[1]  # "1 Frage", "54 Fragen"
            checked.summary = (
                f"Antwortbogen {sheet.municipality.name} für {q.id} – {len(sheet.answers)} von "
                f"{len(q.questions)} {total} beantwortet ({given} mit Wert)"
            )
            if sheet.questionnaire_version and sheet.questionnaire_version != q.version:
                checked.warnings.append(
                    f"erstellt für Version {sheet.questionnaire_version}, aktuell ist {q.version}"
                )
    except StufenplanError as exc:
        checked.error = exc
    return checked
