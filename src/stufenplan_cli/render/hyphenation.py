"""German hyphenation patterns for the PDF, parsed once per installation instead of once per report.

WeasyPrint hyphenates (``hyphens: auto``) with pyphen, which parses its 1 MB German pattern file in each new
process: about 0.5 s of a one-sheet PDF. The parsed patterns are kept in the user's cache as ``marshal`` data
(dicts, tuples, strings and numbers; no objects, no code), named after pyphen's version and the SHA-256 of the
pattern file, and handed to pyphen's own cache before the layout. Any problem falls back to pyphen parsing.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from stufenplan_cli.files.cache import private_cache_dir, store

# The language WeasyPrint asks pyphen for: the report's <html lang="de">.
REPORT_LANGUAGE = "de"


def preload_patterns(language: str = REPORT_LANGUAGE) -> None:
    """Put the parsed patterns for ``language`` into pyphen's cache, from the user's cache when current."""
    try:
        import pyphen  # type: ignore[import-untyped]  # WeasyPrint's hyphenation, installed with it

        path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
        if path in pyphen.hdcache:
            return
        source = path.read_bytes()
    except (ImportError, KeyError, AttributeError, OSError):
        return
    folder = private_cache_dir("hyphenation")
    if folder is None:
        return
    digest = hashlib.sha256(f"{getattr(pyphen, '__version__', '')}\0".encode() + source).hexdigest()[:20]
    cached = folder / f"{Path(str(path)).stem}-{digest}.marshal"
    state = _load(cached)
    if state is not None:
        patterns = object.__new__(pyphen.HyphDict)
        patterns.__dict__.update(state)
        pyphen.hdcache[path] = patterns
        return
    patterns = pyphen.HyphDict(path)  # parsed as pyphen does it, then kept for the next run
    pyphen.hdcache[path] = patterns
    _store(cached, vars(patterns))


def _load(cached: Path) -> dict[str, Any] | None:
    """The attributes of a parsed pattern file, or ``None`` if it is missing, unreadable or not as written."""
    try:
        state = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("patterns"), dict) or not state["patterns"]:
        return None
    return state


def _store(cached: Path, state: dict[str, Any]) -> None:
    """Keep the attributes for the next run, unless marshal cannot write one (a newer pyphen): then no cache."""
    try:
        data = marshal.dumps(state)
    except ValueError:
        return
    store(cached, data)
