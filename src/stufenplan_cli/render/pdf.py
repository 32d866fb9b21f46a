"""The report as PDF: the HTML report laid out by WeasyPrint (an optional extra)."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree

from stufenplan_cli.errors import MissingExtra

WEASYPRINT = "weasyprint>=61"  # the [pdf] extra; named directly, so that it works for any source of the tool
DOCS = "docs/report.md, Abschnitt „PDF unter Windows, macOS und Linux“"

# What WeasyPrint needs from the system when it is installed but cannot load Pango.
PANGO = {
    "win32": "Unter Windows braucht WeasyPrint die Pango-Bibliotheken aus MSYS2: "
    "MSYS2 installieren, dort pacman -S mingw-w64-x86_64-pango, "
    "dann die Umgebungsvariable WEASYPRINT_DLL_DIRECTORIES auf C:\\msys64\\mingw64\\bin setzen",
    "darwin": "Unter macOS braucht WeasyPrint Pango: brew install pango",
    "linux": "Unter Linux braucht WeasyPrint Pango: sudo apt install libpango-1.0-0 libpangoft2-1.0-0 "
    "(Debian, Ubuntu) oder sudo dnf install pango (Fedora)",
}


def pdf_problem() -> MissingExtra | None:
    """Why no PDF can be made in this installation, with what helps; ``None`` when it can."""
    import sys

    from stufenplan_cli.files.extras import install_hint

    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return MissingExtra(
            "Kein PDF erstellt – WeasyPrint fehlt in dieser Installation",
            hints=(install_hint(WEASYPRINT), f"Anleitung: {DOCS}"),
        )
    except OSError as exc:  # WeasyPrint is there, the system's Pango is not
        platform = "win32" if sys.platform == "win32" else "darwin" if sys.platform == "darwin" else "linux"
        return MissingExtra(
            f"Kein PDF erstellt – WeasyPrint findet die Pango-Bibliotheken nicht ({exc})",
            hints=(PANGO[platform], f"Anleitung: {DOCS}"),
        )
    return None


# Without HarfBuzz-Subset (libharfbuzz-subset), WeasyPrint subsets fonts with fontTools, which stamps each embedded
# font's ``head.modified`` with the current second. Two runs then differ whenever they straddle a second, so
# fontTools is given the reproducible-builds clock: SOURCE_DATE_EPOCH (the user's, if set; else 2000-01-01).
FIXED_FONT_EPOCH = "946684800"

# PDF/A-3a: archivable (fonts embedded, sRGB output intent, XMP metadata) and, at level "a", tagged with the
# structure of the HTML and its language (``<html lang="de">``), as council information systems expect.
PDF_VARIANT = "pdf/a-3a"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"


@contextlib.contextmanager
def _reproducible_font_timestamps() -> Iterator[None]:
    """Let fontTools date subset fonts from SOURCE_DATE_EPOCH for the duration of one layout."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        os.environ["SOURCE_DATE_EPOCH"] = FIXED_FONT_EPOCH
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def html_to_pdf(html: str) -> bytes:
    """Lay out the HTML for A4 and return the PDF; its title comes from the HTML ``<title>``.

    The same HTML gives the same bytes (no clock, no random ids), so reports can be compared and cached.
    """
    problem = pdf_problem()
    if problem is not None:  # the extra is missing, or its system libraries (Pango) are
        raise problem
    from weasyprint import HTML

    # WeasyPrint logs warnings for CSS it does not know; the report uses some for Chromium only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with _reproducible_font_timestamps():
        document = HTML(string=html, base_url=None).render()
        _claim_pdf_ua(document.metadata)
        data: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return data


def _claim_pdf_ua(metadata: Any) -> None:
    """Declare PDF/UA-1 beside PDF/A in the XMP identification, as WeasyPrint writes only one of them.

    The PDF is tagged either way (PDF/A level a); if WeasyPrint changes how it writes the XMP packet, the
    claim is left out rather than written wrong.
    """
    generate: Callable[..., bytes] | None = getattr(metadata, "generate_rdf_metadata", None)
    if generate is None:
        return

    def with_pdf_ua(*args: Any, **kwargs: Any) -> bytes:
        packet = generate(*args, **kwargs)
        try:
            rdf = ElementTree.fromstring(packet)
        except ElementTree.ParseError:
            return packet
        first = rdf.find(f"{{{_RDF}}}Description")
        if first is None:
            return packet
        first.set(f"{{{_PDFUAID}}}part", "1")
        return ElementTree.tostring(rdf)

    metadata.generate_rdf_metadata = with_pdf_ua
