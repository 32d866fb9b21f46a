"""``validate``: check questionnaires and answer sheets, reporting every problem with file:line."""

from __future__ import annotations

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
    shadowed_text,
    show_error,
    write_output,
)
from stufenplan_cli.errors import InputsFailed, StufenplanError, how_many, of_total

if TYPE_CHECKING:
    from stufenplan_cli.files.catalog import Catalog
    from stufenplan_cli.files.sheets import LoadedSheet


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


if TYPE_CHECKING:
    from stufenplan_cli.files.sheets import LoadedSheet


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
        import json  # only for this output: start-up of every other run stays lighter

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
            err().print(f"[yellow]Warnung:[/] {escape(warning)}")
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
            winner = cat.shadowed_by(q, path)
            if winner is not None:
                checked.warnings.append(f"{path}: {shadowed_text(winner, q.id)}")
        else:
            checked.kind = "answers"
            _describe_sheet(checked, load_sheet(path, cat))
    except StufenplanError as exc:
        checked.error = exc
    return checked


def _describe_sheet(checked: Checked, loaded: LoadedSheet) -> None:
    """A valid sheet's summary, then its warnings: an older version, answers to follow-ups that do not count."""
    from stufenplan_cli.domain.conditions import ignored_answers, not_asked
    from stufenplan_cli.files.reading import display_name

    sheet, q = loaded.sheet, loaded.questionnaire
    dropped = not_asked(q, sheet.answers)
    counted = [a for qid, a in sheet.answers.items() if qid not in dropped]
    given = sum(1 for a in counted if a.is_value)
    skipped = ""
    if dropped:
        skipped = (
            "; 1 Folgefrage entfällt" if len(dropped) == 1 else f"; {len(dropped)} Folgefragen entfallen"
        )
    checked.summary = (
        f"Antwortbogen {sheet.municipality.name} für {q.id} – "
        f"{of_total(len(counted), len(q.questions) - len(dropped), 'questions')} beantwortet "
        f"({given} mit Wert){skipped}"
    )
    name = display_name(checked.path)
    version = sheet.upgraded_from or sheet.questionnaire_version
    if version and version != q.version:
        checked.warnings.append(f"{name}: erstellt für Version {version}, aktuell ist {q.version}")
    for ignored in ignored_answers(q, {qid: a.value for qid, a in sheet.answers.items()}):
        line = loaded.document.line_of(("answers", ignored.question))  # a warning: the sheet stays valid
        checked.warnings.append(
            f"{name}:{line}: {ignored.message}." if line else f"{name}: {ignored.message}."
        )
