"""Text rules every layer shares: which characters a sheet may hold, how they are shown, who is who.

Sheets and file names come from other people. A control character in a name could retitle a terminal
window or break an Excel file, the same name typed on a Mac (NFD) and on Windows (NFC) must still be
one municipality. The rules live here once; ``docs/security.md`` explains them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# C0 and C1 control characters and DEL: no text in a sheet needs them (tab and line breaks excepted).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Shown escaped in a terminal or a cell: the controls, and the bidirectional overrides that make text
# read backwards (allowed in a note, where right-to-left text may need them).
_SHOWN_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_character(text: str) -> str | None:
    """The first character a text from a file may not contain (tab and line breaks are fine), or None."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def describe_character(char: str) -> str:
    """``U+001B`` for a message that must not contain the character itself."""
    return f"U+{ord(char):04X}"


def visible(text: object, keep_lines: bool = True) -> str:
    """Text safe to print in a terminal or to put in a spreadsheet cell: control characters as ``\\x1b``.

    A file name may contain any byte but ``/``; shown raw, ``\\x1b]0;…`` would retitle the window or
    clear the screen, a carriage return would let a line overwrite itself. Line feeds and tabs stay
    when ``keep_lines`` (messages of several lines).
    """
    shown = str(text)
    if shown.isprintable():  # what is escaped are control and format characters: none here
        return shown
    pattern = _SHOWN_RAW if keep_lines else _CONTROL_OR_BREAK
    return pattern.sub(lambda m: _escape(m.group()), shown)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def nfc(text: str) -> str:
    """The composed form: ``ü`` typed on a Mac (u + combining diaeresis) equals ``ü`` typed on Windows."""
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """A name as compared: NFC, case-folded, runs of spaces as one (``Bad  Tölz`` = ``bad tölz``)."""
    return " ".join(nfc(name).casefold().split())


def same_key(name: str, ags: str | None) -> str:
    """What decides whether two sheets are of the same municipality (see :func:`same_municipality`)."""
    return f"ags:{ags}" if ags else f"name:{name_key(name)}"


class Identities:
    """One key per municipality among a set of sheets, following :func:`same_municipality`.

    The pairwise rule is not a grouping by itself: a sheet without AGS matches by name one with an AGS.
    Here a sheet without AGS takes the AGS that the other sheets of its name carry, when they carry
    exactly one; if two places of that name have different AGS, it cannot be told which it is and it
    stays a municipality of its own (keyed by name).
    """

    def __init__(self, municipalities: Iterable[tuple[str, str | None]]) -> None:
        seen: dict[str, set[str]] = {}
        for name, ags in municipalities:
            if ags:
                seen.setdefault(name_key(name), set()).add(ags)
        self._ags_of = {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}

    def key(self, name: str, ags: str | None) -> str:
        if ags:
            return f"ags:{ags}"
        inherited = self._ags_of.get(name_key(name))
        return f"ags:{inherited}" if inherited else f"name:{name_key(name)}"


def same_municipality(name_a: str, ags_a: str | None, name_b: str, ags_b: str | None) -> bool:
    """One rule for merge, compare and anonymisation: the AGS when both have one, else the name.

    Names are compared NFC-normalised, case-folded and with runs of spaces as one, so that
    ``Musterstadt`` and ``MUSTERSTADT`` or a decomposed ``ü`` are the same place.
    """
    if ags_a and ags_b:
        return ags_a == ags_b
    return name_key(name_a) == name_key(name_b)
