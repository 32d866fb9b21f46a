"""The submission as an editable Word file (.docx): front sheet, resolution, financial implications, measures.

Administrations write their Vorlagen in Word or LibreOffice; this draft opens in both. python-docx is an
optional extra (``pip install 'stufenplan-cli[docx]'``). The words come from ``partials/texts.j2`` (via
:mod:`stufenplan_cli.render.frontsheet`); this module only lays them out. Placeholders in square brackets
are highlighted, so that the administration sees what it has to fill in.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from stufenplan_cli.errors import MissingExtra
from stufenplan_cli.render.context import ReportContext
from stufenplan_cli.render.frontsheet import front_sheet, plain, texts
from stufenplan_cli.render.german import euro, number, quarter

PYTHON_DOCX = (
    "python-docx>=1.1"  # the [docx] extra; named directly, so that it works for any source of the tool
)


def docx_problem() -> MissingExtra | None:
    """Why no Word file can be made in this installation, with what helps; ``None`` when it can."""
    from stufenplan_cli.files.extras import install_hint

    try:
        import docx  # noqa: F401
    except ImportError:
        return MissingExtra(
            "Keine Word-Datei erstellt – python-docx fehlt in dieser Installation",
            hints=(install_hint(PYTHON_DOCX),),
        )
    return None


FONT = "Arial"
_PLACEHOLDER = re.compile(r"(\[[^\]]*\])")
# Fixed timestamps in the file, so that the same sheet gives the same bytes.
_EPOCH = (2000, 1, 1, 0, 0, 0)


def _get(m: Any, name: str) -> Any:
    return m.get(name) if isinstance(m, dict) else getattr(m, name, None)


def _range(r: Any, unit: str = "", money: bool = False) -> str:
    if r is None:
        return "–"
    fmt = euro if money else number
    low, high = fmt(r[0]), fmt(r[1])
    text = low if low == high else f"{low}–{high}"
    return f"{text} €" if money else f"{text}{unit}"


def render_docx(context: ReportContext, template_dir: Path | None = None) -> bytes:
    """The front sheet as a .docx document; raises MissingExtra without python-docx."""
    try:
        import docx
    except ImportError as exc:
        raise docx_problem() or MissingExtra(str(exc)) from None
    sheet = front_sheet(context, template_dir)
    txt = texts(context, template_dir)
    writer = _Writer(docx.Document(), txt)
    writer.head(context, sheet)
    writer.resolution(sheet)
    writer.finances(context, sheet)
    writer.measures(context)
    writer.annexes(sheet)
    props = writer.document.core_properties
    props.title = sheet["subject"]
    props.language = "de-DE"
    props.author = context.assessor or ""
    fixed = dt.datetime(*_EPOCH)
    props.created = props.modified = fixed
    props.last_modified_by = ""
    props.revision = 1
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


class _Writer:
    """Builds the Word document part by part: page, German language, placeholders highlighted."""

    def __init__(self, document: Any, txt: Any) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        self.document, self.txt = document, txt
        self.headings = {k: plain(v) for k, v in txt.submission_headings.items()}
        self.columns = {k: plain(v) for k, v in txt.finance_columns.items()}
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        normal = document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        for style in document.styles:
            rpr = style.element.get_or_add_rPr() if hasattr(style.element, "get_or_add_rPr") else None
            if rpr is not None:
                lang = rpr.find(qn("w:lang"))
                if lang is None:
                    lang = rpr.makeelement(qn("w:lang"), {})
                    rpr.append(lang)
                lang.set(qn("w:val"), "de-DE")

    def runs(self, paragraph: Any, text: str, bold: bool = False) -> None:
        """Text with every [placeholder] highlighted."""
        from docx.enum.text import WD_COLOR_INDEX

        for part in _PLACEHOLDER.split(text):
            if not part:
                continue
            run = paragraph.add_run(part)
            run.bold = bold or None
            if _PLACEHOLDER.fullmatch(part):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def para(self, text: str, indent: float = 0.0, bold: bool = False) -> Any:
        from docx.shared import Cm

        p = self.document.add_paragraph()
        if indent:
            p.paragraph_format.left_indent = Cm(indent)
            p.paragraph_format.first_line_indent = Cm(-0.7)
        self.runs(p, text, bold)
        return p

    @staticmethod
    def widths(t: Any, cm: list[float]) -> None:
        """Column widths in cm; the measure's name gets the room (Word and LibreOffice read cell widths)."""
        from docx.shared import Cm

        t.autofit = False
        for column, width in zip(t.columns, cm, strict=False):
            column.width = Cm(width)  # the grid, which LibreOffice reads
        for row in t.rows:
            for cell, width in zip(row.cells, cm, strict=False):
                cell.width = Cm(width)

    def table(self, header: list[str], rows: list[list[str]], total: list[str] | None = None) -> None:
        from docx.shared import Pt

        t = self.document.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = ""
            self.runs(cell.paragraphs[0], text, bold=True)
        for row in [*rows, *([total] if total else [])]:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = ""
                self.runs(cell.paragraphs[0], text, bold=row is total)
        for row in t.rows:
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(9)
        rest = (16.5 - 0.9 - 5.0) / max(1, len(header) - 2)
        self.widths(t, [0.9, 5.0] + [rest] * (len(header) - 2))
        self.document.add_paragraph()

    def head(self, context: ReportContext, sheet: Any) -> None:
        """Title, the head block (Vorlage-Nr., Federführung, Beratungsfolge …) and the subject."""
        self.document.add_heading(f"{self.columns['document']}: {context.municipality.name}", level=0)
        head = self.document.add_table(rows=0, cols=2)
        for item in sheet["head"]:
            cells = head.add_row().cells
            cells[0].text = item["label"]
            self.runs(cells[1].paragraphs[0], item["value"])
        self.widths(head, [4.0, 12.5])
        self.document.add_paragraph()
        p = self.document.add_paragraph()
        self.runs(p, f"{self.headings['subject']}: ", bold=True)
        self.runs(p, sheet["subject"])

    def resolution(self, sheet: Any) -> None:
        """The numbered resolution, then the grounds."""
        self.document.add_heading(self.headings["resolution"], level=1)
        self.para(sheet["preamble"])
        for n, item in enumerate(sheet["resolution"], start=1):
            self.para(f"{n}.\t{item['text']}", indent=0.7)
            for letter, m in zip("abcdefghijklmnop", item["measures"], strict=False):
                self.para(f"{letter})\t{m['text']}", indent=1.4)
        self.document.add_heading(self.headings["grounds"], level=1)
        for text in sheet["grounds"]:
            self.para(text)

    def finances(self, context: ReportContext, sheet: Any) -> None:
        """Finanzielle Auswirkungen: ranges per measure and their sum, then the notes."""
        self.document.add_heading(self.headings["finances"], level=1)
        columns, f = self.columns, context.submission.finances
        if f.lines and f.unestimated < len(f.lines):
            self.para(plain(self.txt.finances_intro()))
            keys = ["staff_days", "cost_eur"] + [k for k in ("cost_eur_per_year", "fte") if f.totals.get(k)]
            money = {"cost_eur", "cost_eur_per_year"}
            self.table(
                [columns["rank"], columns["action"], columns["effort"], *(columns[k] for k in keys)],
                [
                    [
                        str(line.rank),
                        line.action[:1].upper() + line.action[1:],
                        line.effort or columns["unestimated"],
                    ]
                    + [_range(getattr(line, k), money=k in money) for k in keys]
                    for line in f.lines
                ],
                ["", self.headings["total"], ""] + [_range(f.totals.get(k), money=k in money) for k in keys],
            )
        for note in sheet["financial_implications"]["notes"]:
            self.para(note)

    def measures(self, context: ReportContext) -> None:
        """The proposed measures with who acts, when and at what effort."""
        measures = list(context.submission.measures)
        if not measures:
            return
        columns = self.columns
        self.document.add_heading(self.headings["measures"], level=1)
        self.table(
            [columns["rank"], columns["action"], columns["actor"], columns["due"], columns["effort"]],
            [
                [
                    str(_get(m, "rank")),
                    plain(self.txt.measure_title(m)),
                    _actor_title(_get(m, "actor")),
                    quarter(_get(m, "due")) if _get(m, "due") else "–",
                    (_get(_get(m, "effort"), "title") if _get(m, "effort") else None)
                    or columns["unestimated"],
                ]
                for m in measures
            ],
        )

    def annexes(self, sheet: Any) -> None:
        self.document.add_heading(self.headings["annexes"], level=1)
        for n, annex in enumerate(sheet["annexes"], start=1):
            self.para(f"{n}.\t{annex}", indent=0.7)


def _actor_title(actor: Any) -> str:
    if isinstance(actor, dict):
        return str(actor.get("title", "–"))
    return str(getattr(actor, "title", "–"))


def _fixed_zip_times(data: bytes) -> bytes:
    """The same bytes for the same input: every entry of the zip gets one fixed timestamp."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
