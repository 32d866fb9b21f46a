"""Batch results streamed into JSON, CSV and Excel: one record or row per sheet, failures listed too.

Each format has a ``*_item`` function that runs in the worker process on each Result (turning it into
plain data is cheaper to send back than the model) and a writer that consumes the outcomes in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, BinaryIO, TextIO

from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.text import visible
from stufenplan_cli.errors import MissingExtra, Problem
from stufenplan_cli.services.batch import Outcome, without_questions
from stufenplan_cli.services.tabular import (
    DATE_COLUMN,
    CsvStream,
    OneTable,
    header,
    row,
)

Row = tuple[tuple[str, ...], tuple[Any, ...]]

XLSX_EXTRA = "openpyxl>=3.1"  # the [xlsx] extra


@without_questions
def json_item(result: Result) -> str:
    """The score record, already as JSON text indented for its place in the array."""
    return "  " + record_json(result.score_record(), record_floats(result)).replace("\n", "\n  ")


# pydantic's JSON writer (Rust) indents as json.dumps(indent=2, ensure_ascii=False) does and writes every
# float alike but those below 1e-4 (9.999e-05 vs 0.00009999); a record with one takes json.dumps.
SMALLEST_ALIKE = 1e-4


def record_json(record: dict[str, Any], floats: Iterable[float | None]) -> str:
    """``json.dumps(record, ensure_ascii=False, indent=2)``, several times faster; ``floats``: all in it."""
    if all(f is None or f == 0 or abs(f) >= SMALLEST_ALIKE for f in floats):
        import pydantic_core

        return pydantic_core.to_json(record, indent=2).decode()
    import json  # only for JSON output: a table of one sheet does without it

    return json.dumps(record, ensure_ascii=False, indent=2)


def record_floats(result: Result) -> list[float | None]:
    """Every float of :meth:`Result.score_record` (a test holds the two together)."""
    floats: list[float | None] = [x for s in result.stages for x in (s.score, s.threshold)]
    floats += [d.score for d in result.dimensions]
    if result.next_stage is not None:
        floats += [result.next_stage.score, result.next_stage.threshold, result.next_stage.shortfall]
    return floats


@without_questions
def row_item(result: Result) -> Row:
    """Column names and values of one sheet (the names let the writer spot another questionnaire).

    The names are one tuple per set of stages and dimensions in a worker, so a chunk pickles them once.
    """
    key = (tuple((s.id, s.title) for s in result.stages), tuple((d.id, d.title) for d in result.dimensions))
    head = _heads.get(key)
    if head is None:
        if len(_heads) >= _HEADS_MAX:
            _heads.clear()
        head = _heads[key] = tuple(header([result]))
    return head, tuple(row(result))


_heads: dict[tuple[object, ...], tuple[str, ...]] = {}
_HEADS_MAX = 64


def error_text(outcome: Outcome[Any]) -> str:
    return "\n".join(str(p) for p in outcome.problems)


def refused(outcome: Outcome[Any], message: str) -> Outcome[Any]:
    return Outcome(outcome.index, outcome.file, problems=[Problem(message, outcome.file)])


def write_json(outcomes: Iterable[Outcome[str]], handle: TextIO) -> None:
    """A JSON array in input order: the score record, or ``{file, error}`` for a failed sheet."""
    import json

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
    """CSV for German Excel (see tabular.py); returns sheets refused for another questionnaire."""
    stream = CsvStream(handle, bom)
    extra: list[Outcome[Any]] = []
    for outcome in outcomes:
        if outcome.ok and outcome.value is not None:
            head, values = outcome.value
            reason = stream.add(head, values)
            if reason:
                extra.append(refused(outcome, reason))
                stream.error(outcome.file, reason)
        else:
            stream.error(outcome.file, outcome.message)
    stream.close()
    return extra


def require_openpyxl() -> None:
    """Fail early (before scoring thousands of sheets) when the Excel extra is missing."""
    from stufenplan_cli.files.extras import install_hint

    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingExtra(
            "Excel-Ausgabe braucht openpyxl, das in dieser Installation fehlt",
            hints=(install_hint(XLSX_EXTRA), "Ohne Excel: --format csv öffnet sich ebenso in Excel"),
        ) from None


# Column widths in characters: identifying columns fit their usual content, score columns fit "100 %"
# under a header that wraps onto a few lines.
XLSX_WIDTHS = {
    "Datei": 30,
    "Kommune": 26,
    "AGS": 10,
    "Art": 11,
    "Bundesland": 18,
    DATE_COLUMN: 11,
    "Stufe (Titel)": 26,
}
XLSX_SCORE_WIDTH = 15
XLSX_POINTS_PER_LINE = 15


def _xlsx_width(name: str) -> int:
    return XLSX_WIDTHS.get(name, max(8, min(XLSX_SCORE_WIDTH, len(name) + 2)))


def _xlsx_value(name: str, value: Any) -> Any:
    """Dates as Excel dates (an ISO string would stay text in Excel); text made visible; numbers as they are."""
    if name == DATE_COLUMN and isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return visible(value)
    return visible(value) if isinstance(value, str) else value


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A write-only cell; text is always a string cell, never a formula, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=visible(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _xlsx_row(sheet: Any, head: Sequence[str], values: Sequence[Any], percent: Any) -> Iterator[Any]:
    """A row's cells as openpyxl writes them, one by one: percentages in the one ``percent`` cell given
    anew each time, dates formatted, text always a string cell (:func:`_xlsx_cell`), numbers and empty
    cells as plain values (openpyxl makes the same cell of them). A cell object per value cost a third
    of the time."""
    for name, value in zip(head, values, strict=True):
        shown = _xlsx_value(name, value)
        if isinstance(value, float):
            percent.value = shown
            yield percent  # written before the next value is set (a test compares the workbooks)
        elif name == DATE_COLUMN and value:
            cell = _xlsx_cell(sheet, shown)
            cell.number_format = "DD.MM.YYYY"
            yield cell
        elif isinstance(shown, str):
            yield _xlsx_cell(sheet, shown)
        else:
            yield shown


def write_xlsx(outcomes: Iterable[Outcome[Row]], handle: BinaryIO) -> list[Outcome[Any]]:
    """An Excel workbook: sheet "Ergebnisse" one row per sheet, sheet "Fehler" the failed ones.

    Scores are numbers formatted as percentages, dates are dates, the header row is frozen, wraps
    and has a filter; the first two columns (file and municipality) stay in view when scrolling right.
    """
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    results = book.create_sheet("Ergebnisse")
    results.freeze_panes = "C2"
    errors: list[tuple[str, str]] = []
    extra: list[Outcome[Any]] = []
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    head: list[str] | None = None
    table = OneTable()
    count = 0
    percent = _xlsx_cell(results, 0.0)
    percent.number_format = "0%"

    def heading(sheet: Any, names: Sequence[str], widths: Sequence[int]) -> None:
        _xlsx_heading(sheet, names, widths, bold, wrapped)

    for outcome in outcomes:
        if not outcome.ok or outcome.value is None:
            errors.append((outcome.file, outcome.message))
            continue
        names, values = outcome.value
        reason = table.refuse(names, values)
        if reason is not None:
            extra.append(refused(outcome, reason))
            errors.append((outcome.file, reason))
            continue
        if head is None:
            head = list(names)
            heading(results, head, [_xlsx_width(n) for n in head])
        results.append(_xlsx_row(results, head, values, percent))
        count += 1
    if head is None:
        head = header([])
        heading(results, head, [_xlsx_width(n) for n in head])
    results.auto_filter.ref = f"A1:{get_column_letter(len(head))}{count + 1}"

    failed = book.create_sheet("Fehler")
    failed.freeze_panes = "A2"
    heading(failed, ["Datei", "Fehler"], (50, 100))
    for file, message in errors:
        failed.append([_xlsx_cell(failed, file), _wrapped(failed, message, wrapped)])
    book.save(handle)
    return extra


def _xlsx_heading(sheet: Any, names: Sequence[str], widths: Sequence[int], font: Any, alignment: Any) -> None:
    """The header row: column widths, a row tall enough for the wrapped names, bold wrapped cells."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    lines = max((-(-len(n) // max(1, w - 1)) for n, w in zip(names, widths, strict=True)), default=1)
    sheet.row_dimensions[1].height = XLSX_POINTS_PER_LINE * lines
    cells = []
    for name in names:
        cell = _xlsx_cell(sheet, name)
        cell.font = font
        cell.alignment = alignment
        cells.append(cell)
    sheet.append(cells)


def _wrapped(sheet: Any, value: str, alignment: Any) -> Any:
    cell = _xlsx_cell(sheet, value)
    cell.alignment = alignment
    return cell
