"""The report as PDF: the HTML report laid out by WeasyPrint (an optional extra)."""

from __future__ import annotations

import logging

from stufenplan_cli.errors import MissingExtra

INSTALL_HINT = "PDF-Ausgabe braucht WeasyPrint: pip install 'stufenplan-cli[pdf]'"


def html_to_pdf(html: str) -> bytes:
    """Lay out the HTML for A4 and return the PDF; its title comes from the HTML ``<title>``."""
    try:
        from weasyprint import HTML
    except ImportError as exc:  # the extra is missing, or its system libraries (Pango) are
        raise MissingExtra(f"{INSTALL_HINT} ({exc})") from None
    except OSError as exc:
        raise MissingExtra(f"{INSTALL_HINT}; außerdem werden Pango-Bibliotheken gebraucht ({exc})") from None
    # WeasyPrint logs warnings for CSS it does not know; the report uses some for Chromium only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data: bytes = HTML(string=html, base_url=None).write_pdf()
    return data
