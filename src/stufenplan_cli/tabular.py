"""Results as rows: one row per sheet, one column per stage and dimension (CSV, Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TextIO

from stufenplan_cli.models.result import Result

# German Excel opens ``;``-separated UTF-8 with a BOM correctly, and reads ``0,62`` as a number.
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
OTHER_COLUMNS = (
    "anderer Fragebogen als der erste Bogen (andere Spalten); "
    "Bögen verschiedener Fragebögen bitte getrennt exportieren"
)


def header(results: Sequence[Result]) -> list[str]:
    first = results[0] if results else None
    stages = [f"Stufe {s.id} Score" for s in first.stages] if first else []
    dims = [f"Dimension {d.id}" for d in first.dimensions] if first else []
    return [
        "Datei",
        "Kommune",
        "AGS",
        "Art",
        "Bundesland",
        "Fragebogen",
        "Version",
        "Stufe",
        "Stufe (Titel)",
        *stages,
        *dims,
        "beantwortet",
        "weiß nicht",
        "nicht zutreffend",
        "fehlend",
    ]


def row(r: Result) -> list[object]:
    m = r.municipality
    return [
        r.file or "",
        m.name,
        m.ags or "",
        m.kind or "",
        m.state or "",
        r.questionnaire.id,
        r.questionnaire.version,
        r.stage,
        r.stage_title or "",
        *[s.score for s in r.stages],
        *[d.score for d in r.dimensions],
        r.answered,
        r.unknown,
        r.not_applicable,
        r.missing,
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return str(value)


class CsvStream:
    """CSV rows written as sheets are scored, so a batch of thousands never sits in memory.

    The header is that of the first scored sheet; a sheet of another questionnaire has other columns
    and is refused (``add`` returns False). Failed sheets are listed after the scored ones.
    """

    def __init__(self, handle: TextIO, bom: bool = True) -> None:
        self.handle = handle
        self.writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        self.head: list[str] | None = None
        self.errors: list[tuple[str, str]] = []
        if bom:
            handle.write(CSV_BOM)

    def add(self, head: Sequence[str], values: Sequence[object]) -> bool:
        if self.head is None:
            self.head = list(head)
            self.writer.writerow([*self.head, "Fehler"])
        elif list(head) != self.head:
            return False
        self.writer.writerow([_cell(v) for v in values] + [""])
        return True

    def error(self, file: str, message: str) -> None:
        self.errors.append((file, message))

    def close(self) -> None:
        if self.head is None:
            self.head = header([])
            self.writer.writerow([*self.head, "Fehler"])
        for file, message in self.errors:
            self.writer.writerow([file] + [""] * (len(self.head) - 1) + [message])


def to_csv(results: Sequence[Result], errors: Iterable[tuple[str, str]] = (), bom: bool = True) -> str:
    """CSV for German Excel: ``;`` separator, decimal comma, UTF-8 (with BOM for files)."""
    buffer = io.StringIO()
    stream = CsvStream(buffer, bom)
    for r in results:
        if not stream.add(header([r]), row(r)):
            stream.error(r.file or r.municipality.name, OTHER_COLUMNS)
    for file, message in errors:
        stream.error(file, message)
    stream.close()
    return buffer.getvalue()
