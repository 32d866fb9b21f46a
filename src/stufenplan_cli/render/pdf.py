"""The report as PDF: the HTML report laid out by WeasyPrint (an optional extra).

The HTML may come from a user's template, so WeasyPrint fetches nothing but ``data:`` URLs: no
``file://`` (a local file embedded in the PDF or attached to it), no ``http://`` (a call out of the
office network). The bundled report needs nothing else: CSS and charts are inline.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree

from stufenplan_cli.errors import InputError, MissingExtra

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


ALLOWED_SCHEMES = ("data:",)


def blocked_message(url: str) -> str:
    shown = url if len(url) <= 120 else url[:120] + "…"
    return (
        f"die Vorlage will {shown!r} nachladen; für PDF wird nur Eingebettetes (data:-Adressen) "
        "verwendet, nichts aus Dateien oder dem Netz"
    )


def url_fetcher() -> Any:
    """WeasyPrint's fetcher restricted to ``data:`` URLs; anything else stops the PDF with a message."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66: the fetcher is a plain function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.lower().startswith(ALLOWED_SCHEMES):
                raise Blocked(url)
            return default_url_fetcher(url, *args, **kwargs)

        return fetch

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith(ALLOWED_SCHEMES):
                raise Blocked(url)  # fail_on_errors: WeasyPrint stops with this as the cause
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=5, fail_on_errors=True)


class Blocked(Exception):
    """A URL the PDF step refused to fetch."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


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

    from stufenplan_cli.render.hyphenation import preload_patterns

    preload_patterns()  # German hyphenation patterns from the user's cache: 0.5 s less than parsing them
    # WeasyPrint logs warnings for CSS it does not know; the report uses some for Chromium only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        with _reproducible_font_timestamps():
            document = HTML(string=html, base_url=None, url_fetcher=url_fetcher()).render()
            _claim_pdf_ua(document.metadata)
            data: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    except BaseException as exc:  # WeasyPrint's fatal fetch error is a BaseException
        blocked = _blocked_in(exc)
        if blocked is None:
            raise
        raise InputError(f"PDF nicht erstellt: {blocked_message(blocked.url)}") from None
    return data


def _blocked_in(exc: BaseException | None) -> Blocked | None:
    """The refused fetch behind an error WeasyPrint wrapped (``raise … from``), if there is one."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, Blocked):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


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
