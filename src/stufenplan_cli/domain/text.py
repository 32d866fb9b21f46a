"""Text rules every layer shares: which characters a sheet may hold, how they are shown, who is who.

Sheets and file names come from other people. A control character in a name could retitle a terminal
window or break an Excel file, the same name typed on a Mac (NFD) and on Windows (NFC) must still be
one municipality. The rules live here once; ``docs/security.md`` explains them.
"""

from __future__ import annotations

import re
import unicodedata

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
    pattern = _SHOWN_RAW if keep_lines else _CONTROL_OR_BREAK
    return pattern.sub(lambda m: _escape(m.group()), str(text))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def nfc(text: str) -> str:
    """The composed form: ``ü`` typed on a Mac (u + combining diaeresis) equals ``ü`` typed on Windows."""
    return unicodedata.normalize("NFC", text)


def same_key(name: str, ags: str | None) -> str:
    """What decides whether two sheets are of the same municipality (see :func:`same_municipality`)."""
    return f"ags:{ags}" if ags else f"name:{' '.join(nfc(name).casefold().split())}"


def same_municipality(name_a: str, ags_a: str | None, name_b: str, ags_b: str | None) -> bool:
    """One rule for merge, compare and anonymisation: the AGS when both have one, else the name.

    Names are compared NFC-normalised, case-folded and with runs of spaces as one, so that
    ``Musterstadt`` and ``MUSTERSTADT`` or a decomposed ``ü`` are the same place.
    """
    if ags_a and ags_b:
        return ags_a == ags_b
    return same_key(name_a, None) == same_key(name_b, None)
