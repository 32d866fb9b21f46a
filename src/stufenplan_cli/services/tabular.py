"""Results as rows: one row per sheet, one column per stage and dimension (CSV, Excel).

Column headers are for people and scripts alike: a stage column is headed ``Stufe 1: <title>``, a
dimension column ``<title> (<id>)``, so Excel shows words and a script finds a column by its id at
the end of the header. All rows of one table belong to one questionnaire (see :func:`table_key`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Hashable, Sequence
from typing import TextIO

from stufenplan_cli.domain.answer_words import WRITTEN
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN
from stufenplan_cli.domain.text import visible

# German Excel opens ``;``-separated UTF-8 with a BOM correctly, and reads ``0,62`` as a number.
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
NO_STAGE = "noch keine Stufe erreicht"
QUESTIONNAIRE_COLUMN = "Fragebogen"
DATE_COLUMN = "Datum"


def other_questionnaire(first: str, this: str) -> str:
    """Why a sheet is left out of a table whose columns follow another questionnaire."""
    return (
        f"anderer Fragebogen als der erste Bogen ({this} statt {first}); "
        "Bögen verschiedener Fragebögen bitte getrennt auswerten"
    )


def stage_column(stage_id: int, title: str) -> str:
    return f"Stufe {stage_id}: {title}"


def dimension_column(dimension_id: str, title: str) -> str:
    return f"{title} ({dimension_id})"


def header(results: Sequence[Result]) -> list[str]:
    first = results[0] if results else None
    stages = [stage_column(s.id, s.title) for s in first.stages] if first else []
    dims = [dimension_column(d.id, d.title) for d in first.dimensions] if first else []
    return [
        "Datei",
        "Kommune",
        "AGS",
        "Art",
        "Bundesland",
        DATE_COLUMN,
        QUESTIONNAIRE_COLUMN,
        "Version",
        "Stufe",
        "Stufe (Titel)",
        *stages,
        *dims,
        "beantwortet",
        WRITTEN[UNKNOWN],
        WRITTEN[NOT_APPLICABLE],
        "fehlend",
        "mögliche Stufe",
        "entscheidende Fragen",
    ]


def row(r: Result) -> list[object]:
    """The cells of one sheet; scores are floats (shares 0…1), counts and the stage are ints."""
    m = r.municipality
    return [
        r.file or "",
        m.name,
        m.ags or "",
        m.kind or "",
        m.state or "",
        r.assessed_on or "",
        r.questionnaire.id,
        r.questionnaire.version,
        r.stage,
        r.stage_title if r.stage else NO_STAGE,
        *[s.score for s in r.stages],
        *[d.score for d in r.dimensions],
        r.answered,
        r.unknown,
        r.not_applicable,
        r.missing,
        r.stage_possible,
        ", ".join(r.deciding),
    ]


def table_key(head: Sequence[str], values: Sequence[object]) -> Hashable:
    """What rows of one table share: the questionnaire and therefore every column."""
    return (values[list(head).index(QUESTIONNAIRE_COLUMN)], tuple(head))


class OneTable:
    """The rule "one table per questionnaire", for CSV, Excel and the terminal alike: the first sheet's
    questionnaire (and so its columns) decides; a sheet of another is refused with the reason."""

    def __init__(self) -> None:
        self.key: Hashable = None
        self.questionnaire = ""

    def refuse(self, head: Sequence[str], values: Sequence[object]) -> str | None:
        """None when the row belongs in the table (the first always does); else why it does not."""
        key = table_key(head, values)
        questionnaire = str(values[list(head).index(QUESTIONNAIRE_COLUMN)])
        if self.key is None:
            self.key, self.questionnaire = key, questionnaire
            return None
        return None if key == self.key else other_questionnaire(self.questionnaire, questionnaire)

    def refuse_result(self, result: Result) -> str | None:
        """``refuse`` for a scored sheet."""
        return self.refuse(header([result]), row(result))


# Text that Excel would turn into a number or a date on opening: the AGS loses its leading zero
# (08399155 → 8399155), a version 1.1 becomes the 1st of January. As ="…" both stay text.
EXCEL_TEXT_COLUMNS = frozenset({"AGS", "Version"})
_LOOKS_NUMERIC = re.compile(r"[0-9.,/ -]+")


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV injection"):
# ``=HYPERLINK(…)`` in a municipality's name would run on the consultant's machine.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_text(text: str) -> str:
    """Text for a spreadsheet cell: control characters made visible, a formula start defused by ``'``.

    The apostrophe is what Excel itself uses to mark "this is text"; it shows in the cell and keeps
    the text exactly as written after it.
    """
    shown = visible(text)
    return f"'{shown}" if shown.startswith(FORMULA_START) else shown


def _cell(value: object) -> str:
    if isinstance(value, float):  # most cells are scores
        return f"{value:.4f}".replace(".", ",")
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def _text_cell(value: object) -> str:
    text = _cell(value)
    return f'="{text}"' if _LOOKS_NUMERIC.fullmatch(text) and not text.startswith("-") else text


class CsvStream:
    """CSV rows written as sheets are scored, so a batch of thousands never sits in memory.

    The columns are those of the first scored sheet; a sheet of another questionnaire is refused
    (``add`` returns the reason). Failed sheets are listed after the scored ones.
    """

    def __init__(self, handle: TextIO, bom: bool = True) -> None:
        self.handle = handle
        self.writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        self.head: list[str] | None = None
        self.table = OneTable()
        self.errors: list[tuple[str, str]] = []
        if bom:
            handle.write(CSV_BOM)

    def add(self, head: Sequence[str], values: Sequence[object]) -> str | None:
        """Write the row, or return why it does not belong in this table."""
        reason = self.table.refuse(head, values)
        if reason is not None:
            return reason
        if self.head is None:
            self.head = list(head)
            self.writer.writerow([*self.head, "Fehler"])
        cells = [
            _text_cell(v) if h in EXCEL_TEXT_COLUMNS else _cell(v) for h, v in zip(head, values, strict=True)
        ]
        self.writer.writerow([*cells, ""])
        return None

    def error(self, file: str, message: str) -> None:
        self.errors.append((file, message))

    def close(self) -> None:
        if self.head is None:
            self.head = header([])
            self.writer.writerow([*self.head, "Fehler"])
        for file, message in self.errors:
            self.writer.writerow([safe_text(file)] + [""] * (len(self.head) - 1) + [safe_text(message)])
