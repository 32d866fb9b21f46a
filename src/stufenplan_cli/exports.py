"""Batch results streamed into JSON, CSV and Excel: one record or row per sheet, failures listed too.

Each format has a ``*_item`` function that runs in the worker process on each Result (turning it into
plain data is cheaper to send back than the model) and a writer that consumes the outcomes in order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, TextIO

from stufenplan_cli.batch import Outcome
from stufenplan_cli.errors import MissingExtra, Problem
from stufenplan_cli.models.result import Result
from stufenplan_cli.tabular import OTHER_COLUMNS, CsvStream, header, row

Row = tuple[tuple[str, ...], tuple[Any, ...]]

XLSX_EXTRA = "Excel-Ausgabe braucht openpyxl: pip install 'stufenplan-cli[xlsx]'"


def json_item(result: Result) -> str:
    """The score record, already as JSON text indented for its place in the array."""
    text = json.dumps(result.score_record(), ensure_ascii=False, indent=2)
    return "  " + text.replace("\n", "\n  ")


def row_item(result: Result) -> Row:
    """Column names and values of one sheet (the names let the writer spot another questionnaire)."""
    return tuple(header([result])), tuple(row(result))


def error_text(outcome: Outcome[Any]) -> str:
    return "\n".join(str(p) for p in outcome.problems)


def refused(outcome: Outcome[Any], message: str) -> Outcome[Any]:
    return Outcome(outcome.index, outcome.file, problems=[Problem(message, outcome.file)])


def write_json(outcomes: Iterable[Outcome[str]], handle: TextIO) -> None:
    """A JSON array in input order: the score record, or ``{file, error}`` for a failed sheet."""
    handle.write("[")
    first = True
    for outcome in outcomes:
        handle.write("\n" if first else ",\n")
        first = False
        if outcome.ok and outcome.value is not None:
            handle.write(outcome.value)
        else:
            failed = {"file": outcome.file, "error": error_text(outcome)}
            text = json.dumps(failed, ensure_ascii=False, indent=2)
            handle.write("  " + text.replace("\n", "\n  "))
    handle.write("\n]\n" if not first else "]\n")


def write_csv(outcomes: Iterable[Outcome[Row]], handle: TextIO, bom: bool) -> list[Outcome[Any]]:
    """CSV for German Excel (see tabular.py); returns sheets refused for having other columns."""
    stream = CsvStream(handle, bom)
    extra: list[Outcome[Any]] = []
    for outcome in outcomes:
        if outcome.ok and outcome.value is not None:
            head, values = outcome.value
            if not stream.add(head, values):
                extra.append(refused(outcome, OTHER_COLUMNS))
                stream.error(outcome.file, OTHER_COLUMNS)
        else:
            stream.error(outcome.file, outcome.message)
    stream.close()
    return extra


def require_openpyxl() -> None:
    """Fail early (before scoring thousands of sheets) when the Excel extra is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingExtra(XLSX_EXTRA) from None


def write_xlsx(outcomes: Iterable[Outcome[Row]], handle: BinaryIO) -> list[Outcome[Any]]:
    """An Excel workbook: sheet "Ergebnisse" one row per sheet, sheet "Fehler" the failed ones."""
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    results = book.create_sheet("Ergebnisse")
    results.freeze_panes = "C2"
    errors: list[tuple[str, str]] = []
    extra: list[Outcome[Any]] = []
    bold = Font(bold=True)
    head: tuple[str, ...] | None = None
    percent_columns: set[int] = set()

    def heading(names: Sequence[str]) -> list[Any]:
        cells = []
        for name in names:
            cell = WriteOnlyCell(results, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    for outcome in outcomes:
        if not outcome.ok or outcome.value is None:
            errors.append((outcome.file, outcome.message))
            continue
        names, values = outcome.value
        if head is None:
            head = names
            percent_columns = {i for i, n in enumerate(names) if n.startswith(("Stufe ", "Dimension "))}
            percent_columns.discard(names.index("Stufe (Titel)") if "Stufe (Titel)" in names else -1)
            for i, name in enumerate(names):
                letter = _column_letter(i)
                results.column_dimensions[letter].width = max(10, min(40, len(name) + 2))
            results.column_dimensions["A"].width = 36
            results.column_dimensions["B"].width = 28
            results.append(heading(names))
        elif names != head:
            extra.append(refused(outcome, OTHER_COLUMNS))
            errors.append((outcome.file, OTHER_COLUMNS))
            continue
        cells = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(results, value=value)
            if i in percent_columns and isinstance(value, float):
                cell.number_format = "0%"
            cells.append(cell)
        results.append(cells)
    if head is None:
        results.append(heading(header([])))

    failed = book.create_sheet("Fehler")
    failed.column_dimensions["A"].width = 50
    failed.column_dimensions["B"].width = 100
    failed.append(heading(["Datei", "Fehler"]))
    for file, message in errors:
        failed.append([file, message])
    book.save(handle)
    return extra


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
