"""``score``: score answer sheets and print the placement as a table, JSON or CSV."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

from stufenplan_cli.cli.common import (
    QuestionnairesDir,
    catalog,
    err,
    handles_errors,
    out,
    show_error,
    write_output,
)


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@handles_errors
def score(
    sheets: Annotated[
        list[str], typer.Argument(metavar="SHEET...", help="Antwortbögen, Verzeichnisse oder Muster.")
    ],
    questionnaire: Annotated[
        str | None,
        typer.Option("--questionnaire", "-q", metavar="ID_OR_FILE", help="Fragebogen für alle Bögen."),
    ] = None,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="Ausgabeformat.")] = ScoreFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="In Datei schreiben statt auf stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Vorhandene Datei überschreiben.")] = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Antwortbögen bewerten und in die Stufen einordnen.

    Ein fehlerhafter Bogen hält die anderen nicht auf; er wird am Ende gemeldet (Exit-Code 1).

    Beispiel: [bold]stufenplan score examples/musterstadt.yaml[/]
    """
    from stufenplan_cli.errors import StufenplanError
    from stufenplan_cli.inputs import expand
    from stufenplan_cli.models.result import Result
    from stufenplan_cli.sheets import score_file

    cat = catalog(questionnaires_dir)
    given = cat.resolve(questionnaire) if questionnaire else None
    results: list[Result] = []
    records: list[dict[str, object]] = []
    failures: list[tuple[str, StufenplanError]] = []
    for path in expand(sheets):
        try:
            result = score_file(path, cat, given)
        except StufenplanError as exc:
            failures.append((str(path), exc))
            records.append({"file": str(path), "error": str(exc)})
            continue
        results.append(result)
        records.append(result.score_record())

    if format is ScoreFormat.json:
        write_output(json.dumps(records, ensure_ascii=False, indent=2) + "\n", output, force)
    elif format is ScoreFormat.csv:
        from stufenplan_cli.tabular import to_csv

        text = to_csv(results, [(f, str(e)) for f, e in failures], bom=output is not None)
        write_output(text, output, force)
    elif results:
        from stufenplan_cli.cli.present import print_result_detail, render_to_text, score_table

        def draw(console: Console) -> None:
            if len(results) == 1:
                r = results[0]
                print_result_detail(console, r, given or cat.by_id(r.questionnaire.id))
            else:
                console.print(score_table(results))

        if output is None:
            draw(out())
        else:
            write_output(render_to_text(draw), output, force)
    for _, failure in failures:
        show_error(failure)
    if failures:
        err().print(f"{len(failures)} von {len(failures) + len(results)} Bögen fehlerhaft.")
        raise typer.Exit(1)
