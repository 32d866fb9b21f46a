"""German numbers, percentages, amounts and dates, in one place for the reports, the charts and the terminal.

Our own few lines rather than Babel: the tool needs three formats, and Babel's locale data would cost
start-up time and a dependency for them. Long dates in prose (``15. März 2026``) are wording and live
in ``report_templates/partials/texts.j2``.
"""

from __future__ import annotations

NBSP = "\u00a0"
MISSING = "–"


def percent(value: float | None, sep: str = " ", missing: str = MISSING) -> str:
    """``0.62`` → ``62 %`` (``sep`` before the sign: a plain space, or NBSP in print); None → ``–``."""
    return missing if value is None else f"{round(float(value) * 100):d}{sep}%"


def number(value: float | None) -> str:
    """A weight or count with a decimal comma and no needless zeros (``1,5``, ``2``); None → ``–``."""
    if value is None:
        return MISSING
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def date(iso: str | None) -> str:
    """``2026-03-15`` → ``15.03.2026``, as tables show a date; None → ``–``; anything else unchanged."""
    if not iso:
        return MISSING
    year, _, rest = iso.partition("-")
    month, _, day = rest.partition("-")
    return f"{day}.{month}.{year}" if day else iso


def quarter(iso: object) -> str:
    """``2027-05-31`` → ``II/2027``: the quarter a date falls in, as council submissions write deadlines."""
    text = str(iso or "")
    if len(text) < 7 or not text[:4].isdigit() or not text[5:7].isdigit():
        return "[Datum]"
    return f"{['I', 'II', 'III', 'IV'][(int(text[5:7]) - 1) // 3]}/{text[:4]}"


def euro(value: float | None) -> str:
    """``12500`` → ``12.500``: whole euros with German thousands separators (the sign ``€`` is the template's)."""
    if value is None:
        return MISSING
    return f"{round(float(value)):,d}".replace(",", ".")
