"""German numbers, percentages and dates, in one place for the reports, the charts and the terminal.

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
