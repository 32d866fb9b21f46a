"""``score``: score answer sheets (one or thousands) and print the placement as a table, JSON, CSV or Excel."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result
    from stufenplan_cli.services.batch import Outcome

from stufenplan_cli.cli.common import (
    Force,
    OutputFile,
    QuestionnaireForAll,
    QuestionnairesDir,
    Quiet,
    Sheets,
    Workers,
    catalog,
    note,
    out,
    questionnaire_args,
    refuse_overwrite,
    shell_command,
    write_output,
)
from stufenplan_cli.cli.progress import with_progress
from stufenplan_cli.cli.streams import utf8_stdout
from stufenplan_cli.errors import InputsFailed, UsageError

T = TypeVar("T")


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


FormatOption = Annotated[
    ScoreFormat,
    typer.Option("--format", "-f", metavar="FORMAT", help="Ausgabeformat (xlsx nur mit --output)."),
]


def score(
    sheets: Sheets,
    questionnaire: QuestionnaireForAll = None,
    format: FormatOption = ScoreFormat.table,
    output: OutputFile = None,
    force: Force = False,
    quiet: Quiet = False,
    workers: Workers = None,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Antwortbögen bewerten und in die Stufen einordnen.

    Nimmt Dateien, Verzeichnisse (rekursiv alle *.yaml/*.yml) und Muster. Viele Bögen werden auf allen
    Kernen parallel bewertet; ein fehlerhafter Bogen hält die anderen nicht auf, er wird am Ende
    gemeldet (Exit-Code 1). CSV ist für deutsches Excel eingerichtet (Semikolon, Dezimalkomma,
    UTF-8 mit BOM); xlsx braucht openpyxl (fehlt es, sagt der Befehl, wie es sich nachinstallieren lässt).

    Beispiele:
        [bold]stufenplan score examples/musterstadt.yaml[/]
        [bold]stufenplan score workshops/ --format xlsx -o ergebnisse.xlsx[/]
    """
    from stufenplan_cli.files.inputs import expand
    from stufenplan_cli.services import exports
    from stufenplan_cli.services.batch import Settings, score_many, slim

    paths = list(expand(sheets))
    to_file = _check_output(format, output, force, paths)
    cat = catalog(questionnaires_dir)
    given = cat.resolve(questionnaire) if questionnaire else None
    settings = Settings(extra_dirs=tuple(questionnaires_dir or ()), questionnaire=questionnaire)
    failures: list[Outcome[Any]] = []

    def run(transform: Callable[[Any], T]) -> Iterator[Outcome[T]]:
        outcomes = score_many(paths, settings, transform=transform, workers=workers, catalog=cat)
        return _noting_failures(with_progress(outcomes, len(paths)), failures)

    target = output if to_file else None
    if format is ScoreFormat.json:
        _stream_text(target, force, lambda h: exports.write_json(run(exports.json_item), h))
    elif format is ScoreFormat.csv:
        _stream_text(
            target, force, lambda h: failures.extend(exports.write_csv(run(exports.row_item), h, bom=to_file))
        )
    elif format is ScoreFormat.xlsx:
        from stufenplan_cli.files.writing import atomic_file

        assert output is not None
        with atomic_file(output, overwrite=force) as handle:
            failures.extend(exports.write_xlsx(run(exports.row_item), handle))
        note(f"Geschrieben: {output}", markup=False)
    else:
        results = _one_questionnaire(run(slim), failures)
        if results:
            single = (given or cat.by_id(results[0].questionnaire.id)) if len(results) == 1 else None
            _show_results(results, single, output, force)
            if output is None and single is not None and out().is_terminal:
                _hint_report(results[0].file, questionnaire, questionnaires_dir)
    _report_failures(failures, len(paths))


def _check_output(format: ScoreFormat, output: Path | None, force: bool, inputs: list[Path]) -> bool:
    """Whether the results go to a file; wrong usage and a file in the way fail before any scoring."""
    from stufenplan_cli.services import exports

    to_file = output is not None and str(output) != "-"
    if format is ScoreFormat.xlsx:
        if not to_file:
            raise UsageError("--format xlsx schreibt eine Datei: bitte --output DATEI.xlsx angeben")
        exports.require_openpyxl()
    refuse_overwrite(output, force, inputs)
    return to_file


def _show_results(
    results: list[Result], single: Questionnaire | None, output: Path | None, force: bool
) -> None:
    """A single sheet in detail (``single`` is its questionnaire), several as a table; terminal or text file."""
    from stufenplan_cli.cli.present import print_result_detail, render_to_text

    def draw(console: Console) -> None:
        if single is not None:
            print_result_detail(console, results[0], single)
        else:
            from stufenplan_cli.cli.score_table import score_table

            console.print(score_table(results, console.width))

    if output is None:
        draw(out())
    else:
        write_output(render_to_text(draw), output, force)


def _one_questionnaire(outcomes: Iterable[Outcome[Result]], failures: list[Outcome[Any]]) -> list[Result]:
    """The scored sheets of the first sheet's questionnaire; the others join the failures, as in CSV."""
    from stufenplan_cli.services.exports import refused
    from stufenplan_cli.services.tabular import OneTable

    table = OneTable()
    results: list[Result] = []
    for outcome in outcomes:
        r = outcome.value
        if r is None:
            continue
        reason = table.refuse_result(r)
        if reason is not None:
            failures.append(refused(outcome, reason))
        else:
            results.append(r)
    return results


def _hint_report(sheet: str | None, questionnaire: str | None, dirs: list[Path] | None) -> None:
    """After one sheet in a terminal: the command for the council report, ready to copy."""
    if sheet is None:
        return
    from stufenplan_cli.render.pdf import pdf_problem

    args = questionnaire_args(questionnaire, dirs, "--questionnaire")
    formats = "html,pdf" if pdf_problem() is None else "html"  # only what works in this installation
    command = shell_command(["stufenplan", "report", sheet, *args, "--format", formats])
    note(f"\nBericht für den Rat:\n  {command}", markup=False, style="dim", soft_wrap=True)


def _stream_text(output: Path | None, force: bool, write: Callable[[Any], None]) -> None:
    """Stream text to stdout, or atomically into a file (UTF-8, line endings as written)."""
    if output is None:
        with utf8_stdout() as handle:
            write(handle)
        return
    from stufenplan_cli.files.writing import atomic_file

    with atomic_file(output, overwrite=force) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()
    note(f"Geschrieben: {output}", markup=False)


def _noting_failures(outcomes: Iterable[Outcome[T]], failures: list[Outcome[Any]]) -> Iterator[Outcome[T]]:
    for outcome in outcomes:
        if not outcome.ok:
            failures.append(outcome)
        yield outcome


def _report_failures(failures: list[Outcome[Any]], total: int) -> None:
    """Every failed sheet with its problems, after the results, and exit 1."""
    if failures:
        failures.sort(key=lambda o: o.index)
        raise InputsFailed(len(failures), total, errors=[failure.error() for failure in failures])
