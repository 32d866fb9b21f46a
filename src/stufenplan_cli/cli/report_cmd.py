"""``report``: the report for the council (a Beschlussvorlage with its annex), as Markdown, HTML, PDF, JSON or Word."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from stufenplan_cli.services.batch import Outcome

from stufenplan_cli.cli.common import (
    QuestionnaireForAll,
    QuestionnairesDir,
    Quiet,
    Sheets,
    Workers,
    note,
)
from stufenplan_cli.cli.progress import with_progress
from stufenplan_cli.cli.streams import write_stdout_bytes
from stufenplan_cli.errors import (
    InputsFailed,
    MissingExtra,
    OutputExists,
    StufenplanError,
    UsageError,
    how_many,
)

FORMAT_HELP = "md (Standard), html, pdf, json oder docx (Word); mehrere mit Komma oder wiederholt (z. B. --format html,pdf)."
TEXT_FORMATS = ("md", "html", "json")
STDIN_STEM = "bericht"


def stdin(sheet: Path) -> bool:
    from stufenplan_cli.files.reading import STDIN

    return str(sheet) == STDIN


def parse_formats(values: list[str] | None) -> list[str]:
    """``["html,pdf", "md"]`` → ``["html", "pdf", "md"]``; unknown names are a usage error (exit 2)."""
    from stufenplan_cli.render import FORMATS

    found: list[str] = []
    for value in values or ["md"]:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in FORMATS:
                raise UsageError(
                    f"Ungültiger Wert für --format: {name!r} ist kein Berichtsformat; möglich: {', '.join(FORMATS)}"
                )
            if name not in found:
                found.append(name)
    if not found:
        raise UsageError("Ungültiger Wert für --format: kein Format angegeben")
    return found


def plan_outputs(
    sheets: list[Path], formats: list[str], output_arg: str | None
) -> dict[tuple[int, str], Path | None]:
    """Where each (sheet index, format) goes; ``None`` means stdout. Rules in docs/report.md.

    One sheet and one text format without --output go to stdout. Otherwise each report goes beside
    its sheet as ``<stem>.<ext>``, or into --output as a directory; stems that repeat in one folder get
    ``-2``, ``-3`` in input order. A sheet from standard input is ``bericht`` in the current directory.
    """
    from stufenplan_cli.render import EXTENSIONS

    single = len(sheets) == 1 and len(formats) == 1
    # the raw text matters: a trailing slash means "directory", and Path() would drop it
    output = Path(output_arg) if output_arg is not None else None
    if output_arg == "-":
        if not single:
            raise UsageError("--output - (Standardausgabe) geht nur für einen Bogen in einem Format")
        return {(0, formats[0]): None}
    if single and output is None and formats[0] in TEXT_FORMATS:
        return {(0, formats[0]): None}
    as_dir = output is not None and (output.is_dir() or str(output_arg).endswith(("/", "\\")))
    if single and output is not None and not as_dir:
        return {(0, formats[0]): output}
    if output is not None and not as_dir:
        if output.suffix.lower() in EXTENSIONS.values():
            raise UsageError(
                f"--output {output} ist ein Dateiname, es entstehen aber mehrere Berichte; "
                "bitte ein Verzeichnis angeben (z. B. --output berichte/)"
            )
        if output.exists():
            raise UsageError(f"--output {output} existiert und ist kein Verzeichnis")
    used: set[tuple[Path, str]] = set()
    plan: dict[tuple[int, str], Path | None] = {}
    for index, sheet in enumerate(sheets):
        # beside each sheet, or all in --output; standard input has no folder and no name of its own
        directory = output if output is not None else (Path(".") if stdin(sheet) else sheet.parent)
        stem = STDIN_STEM if stdin(sheet) else sheet.stem
        name, number = stem, 1
        # a later sheet never takes a name already given in the same folder (stadt, stadt, stadt-2 →
        # stadt, stadt-2, stadt-2-2), nor one that differs only in case: on Windows and macOS that is one file
        while (directory, name.casefold()) in used:
            number += 1
            name = f"{stem}-{number}"
        used.add((directory, name.casefold()))
        for fmt in formats:
            plan[(index, fmt)] = directory / f"{name}{EXTENSIONS[fmt]}"
    return plan


def without_pdf(
    formats: list[str], plan: dict[tuple[int, str], Path | None]
) -> tuple[list[str], dict[tuple[int, str], Path | None]]:
    """The plan when no PDF can be made: the other formats as planned, HTML in place of a PDF alone.

    The HTML goes where the PDF would have gone (``x.pdf`` → ``x.html``), never to the terminal.
    """
    rest = [f for f in formats if f != "pdf"]
    stand_in = "html" not in rest
    kept: dict[tuple[int, str], Path | None] = {}
    for (index, fmt), target in plan.items():
        if fmt != "pdf":
            kept[(index, fmt)] = target
        elif stand_in:
            kept[(index, "html")] = target.with_suffix(".html") if target is not None else None
    return ([*rest, "html"] if stand_in else rest), kept


def report(
    sheets: Sheets,
    questionnaire: QuestionnaireForAll = None,
    format: Annotated[
        list[str] | None, typer.Option("--format", "-f", metavar="FORMAT", help=FORMAT_HELP)
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PFAD",
            help="Datei; Verzeichnis (mit / am Ende) für einen oder mehrere Berichte; '-' für die Standardausgabe.",
        ),
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            help="Eigene Vorlagen, die die mitgelieferten gleichen Namens ersetzen (laufen in einer Sandbox).",
            metavar="VERZ",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Vorhandene Dateien überschreiben.")] = False,
    no_answers: Annotated[
        bool, typer.Option("--no-answers", help="Anhang „Alle Antworten“ weglassen (kürzer für den Rat).")
    ] = False,
    quiet: Quiet = False,
    workers: Workers = None,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Bericht für den Rat erstellen: Beschlussvorlage mit Kosten, Einordnung, Fahrplan, Förderung.

    Ein Bogen in einem Textformat geht ohne --output auf die Standardausgabe; PDF und mehrere
    Berichte werden als <bogen>.<endung> neben den jeweiligen Bogen oder nach --output geschrieben.
    Vorhandene Dateien werden nur mit --force überschrieben. Viele Bögen (mit PDF schon zwei) werden
    auf allen Kernen parallel bearbeitet. Fehlerhafte Bögen werden am Ende gemeldet (Exit-Code 1),
    die übrigen trotzdem berichtet.

    Beispiel:
        [bold]stufenplan report examples/musterstadt.yaml -f html,pdf -o berichte/[/]
    """
    from stufenplan_cli.files.inputs import expand
    from stufenplan_cli.services.batch import Settings, WithQuestionnaire, score_many
    from stufenplan_cli.services.reports import ReportJob, chunk_size, serial_below

    paths = list(expand(sheets))
    formats, plan, missing = _checked_plan(paths, parse_formats(format), output, force)
    settings = Settings(extra_dirs=tuple(questionnaires_dir or ()), questionnaire=questionnaire)
    job = WithQuestionnaire(ReportJob(tuple(formats), template_dir, not no_answers))
    outcomes = score_many(paths, settings, job, workers, chunk_size(formats), serial_below(formats))
    failures, written = _write_reports(outcomes, len(paths), plan, force)
    _fail_if_missing(failures, written, len(paths), missing, plan)


def _fail_if_missing(
    failures: list[StufenplanError],
    written: int,
    total: int,
    missing: list[MissingExtra],
    plan: dict[tuple[int, str], Path | None],
) -> None:
    """Exit 1 when a sheet failed or a requested format could not be made, after all the rest was written."""
    if missing and missing[0].message.startswith("Kein PDF"):
        _add_browser_hint(missing[0], plan)
    if failures or len(missing) > 1:
        raise InputsFailed(
            len(failures),
            total,
            then=f"{how_many(written, 'files')} geschrieben",
            errors=[*failures, *missing],
        )
    if missing:
        raise missing[0]


def _checked_plan(
    paths: list[Path], formats: list[str], output: str | None, force: bool
) -> tuple[list[str], dict[tuple[int, str], Path | None], list[MissingExtra]]:
    """Where each report goes, refused before anything is rendered: an input sheet, or a file in the way.

    A format whose extra is missing here is left out (HTML stands in for a PDF alone); the others are
    written, and the reasons come along for the end.
    """
    from stufenplan_cli.files.writing import check_output
    from stufenplan_cli.services.reports import refuse_existing

    plan = plan_outputs(paths, formats, output)
    formats, plan, missing = without_missing_extras(formats, plan)
    for planned in {t for t in plan.values() if t is not None}:
        check_output(planned, True, paths)  # never over an input, a device or a directory
    if not force:  # once, before anything is rendered or written; what this run writes never counts
        refuse_existing([p for p in plan.values() if p is not None])
    return formats, plan, missing


def without_missing_extras(
    formats: list[str], plan: dict[tuple[int, str], Path | None]
) -> tuple[list[str], dict[tuple[int, str], Path | None], list[MissingExtra]]:
    """Leave out PDF and Word when their extra is not installed here; say why for each."""
    from stufenplan_cli.render.docx import docx_problem
    from stufenplan_cli.render.pdf import pdf_problem

    missing: list[MissingExtra] = []
    no_pdf = pdf_problem() if "pdf" in formats else None
    if no_pdf is not None:
        formats, plan = without_pdf(formats, plan)
        missing.append(no_pdf)
    no_docx = docx_problem() if "docx" in formats else None
    if no_docx is not None:
        formats = [f for f in formats if f != "docx"]
        plan = {key: target for key, target in plan.items() if key[1] != "docx"}
        missing.append(no_docx)
    return formats, plan, missing


def _add_browser_hint(no_pdf: MissingExtra, plan: dict[tuple[int, str], Path | None]) -> None:
    """The second way to a PDF, after installing: print the HTML report from a browser."""
    pages = sorted({str(p) for (_, fmt), p in plan.items() if fmt == "html" and p is not None})
    page = pages[0] if len(pages) == 1 else "den HTML-Bericht" if not pages else f"{pages[0]} usw."
    no_pdf.hints.insert(
        1, f"Oder {page} im Browser öffnen und als PDF drucken: Strg+P (macOS: ⌘+P), „Als PDF speichern“"
    )


def _write_reports(
    outcomes: Iterator[Outcome[Any]], total: int, plan: dict[tuple[int, str], Path | None], force: bool
) -> tuple[list[StufenplanError], int]:
    """Each finished report to its place in the plan (stdout for None); the failures and how many were written."""
    from stufenplan_cli.files.writing import write_bytes_atomic

    failures: list[StufenplanError] = []
    written = 0
    with closing(with_progress(outcomes, total, "Erstelle Berichte")) as progress:
        for outcome in progress:
            if not outcome.ok or outcome.value is None:
                failures.append(outcome.error())
                continue
            template_error = outcome.value.template_error()
            if template_error is not None:
                raise template_error
            for fmt, data in outcome.value.documents.items():
                target = plan[(outcome.index, fmt)]
                if target is None:
                    write_stdout_bytes(data)
                    continue
                try:
                    write_bytes_atomic(target, data, overwrite=force)
                except OutputExists as exc:
                    # someone else's file appeared since the check: still never overwrite
                    failures.append(exc)
                    continue
                written += 1
                note(f"Geschrieben: {target}", markup=False)
    return failures, written
