"""Results as rows: one row per sheet, one column per stage and dimension (CSV, Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from stufenplan_cli.models.result import Result

# German Excel opens ``;``-separated UTF-8 with a BOM correctly, and reads ``0,62`` as a number.
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"


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


def to_csv(results: Sequence[Result], errors: Iterable[tuple[str, str]] = (), bom: bool = True) -> str:
    """CSV for German Excel: ``;`` separator, decimal comma, UTF-8 (with BOM for files)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    head = header(results)
    writer.writerow([*head, "Fehler"])
    for r in results:
        writer.writerow([_cell(v) for v in row(r)] + [""])
    for file, message in errors:
        writer.writerow([file] + [""] * (len(head) - 1) + [message])
    return (CSV_BOM if bom else "") + buffer.getvalue()
