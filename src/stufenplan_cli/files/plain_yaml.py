"""A fast reader for the plain YAML that answer sheets are written in: the full reader's data, or None.

A batch reads thousands of sheets, and libyaml spends most of its time on the comment lines of
filled-in templates. Block mappings of ``key: value`` lines, comment and blank lines, one-line plain and
double-quoted scalars and one-line flow mappings are read here with a few regular expressions that
skip comments in bulk. Anything else, and anything this reader is not sure the full reader would read
alike (tabs, anchors, tags, lists, quotes with escapes, comments after a value, duplicate keys, YAML
1.1 values other than text, whole numbers, dates and null), gives None: then ``reading.parse`` reads
the file as ever, with its messages and lines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from yaml import ScalarNode
from yaml.resolver import Resolver

from stufenplan_cli.domain.text import control_character, nfc
from stufenplan_cli.files.yaml_values import (
    MAX_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    NFC_KEYS,
    TEXT_KEYS,
)

# Characters libyaml refuses (controls) or reads otherwise than a line reader would: NEL, LINE and
# PARAGRAPH SEPARATOR are line breaks to it, a BOM starts a line anew, a tab or a lone CR is left to it too.
# No part of the patterns below matches one, so such a file is read the full way.
_ODD = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff"
_FINE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"  # the rest but \n
_SKIPPED = rf"(?:[ ]*+(?:\#[{_FINE}]*+)?+\n)*+"  # comment and blank lines, never given back
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*+"
_QUOTED = rf'"[^"\\\n{_ODD}]*+"'
_NOT_FIRST = "\\#:,\\[\\]{}&*!|>'\"%@`?\\-"  # indicators: a scalar starting with one is not plain here
_PLAIN = rf"[^ \n{_NOT_FIRST}{_ODD}][^\n\#:{_ODD}]*+"
_FLOW_PLAIN = rf"[^ \n{_NOT_FIRST}{_ODD}][^\n\#:,\[\]{{}}\"'?{_ODD}]*+"
_LEADING = re.compile(_SKIPPED)
# One match per line with content, the comment lines after it included: indentation, key and value,
# or the line in the last group if it is not a ``key: value`` line of this subset.
_LINES = re.compile(
    rf"([ ]*+)(?:({_KEY}):(?:[ ]++({_QUOTED}|\{{[^\n{_ODD}]*\}}|{_PLAIN}))?+[ ]*+|([^\n]+))\n{_SKIPPED}"
)
_ENTRY = rf"[ ]*+({_KEY}):[ ]++({_QUOTED}|{_FLOW_PLAIN})[ ]*+"
_FLOW = re.compile(rf"(?:{_ENTRY},)*+{_ENTRY}")
_ENTRIES = re.compile(rf"{_ENTRY}(?:,|\Z)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Values YAML 1.1 would give a type that the full reader keeps as typed text under a text key.
_TYPED = frozenset({_INT, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", _TIMESTAMP})
_MAX_LINES = 20_000  # far below the full reader's node limit, which it then reports
_MAX_LEVELS = 16  # far below its depth limit
_CACHE_MAX = 8192
_FIRST_PART = 4096  # characters read before the rest, to give up early on other YAML


class _Unsure(Exception):
    """Something this reader leaves to the full one."""


_resolver = Resolver()
_tags: dict[str, str] = {}
_text_keys: set[str] = set()
_simple_values: dict[str, Any] = {}
_MISSING = object()
# Keys under which a value's meaning depends on the key: text kept as typed, names in NFC.
_KEYED = TEXT_KEYS | NFC_KEYS


def _tag(text: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (as the full reader resolves it), remembered per text."""
    tag = _tags.get(text)
    if tag is None:
        tag = _resolver.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if len(_tags) >= _CACHE_MAX:
            _tags.clear()
        _tags[text] = tag
    return tag


def plain_data(text: str) -> dict[str, Any] | None:
    """The data of a sheet written in the plain subset, exactly as the full reader makes it; else None."""
    first = text.find("\n")
    if first > 0 and text[first - 1] == "\r":  # saved on Windows: CR LF is one line break to YAML too
        text = text.replace("\r\n", "\n")  # a CR left alone is refused by the patterns
    if not text.endswith("\n"):
        text += "\n"
    lines = _lines(text)
    if not lines or len(lines) > _MAX_LINES:
        return None
    try:
        return _mapping(lines)
    except _Unsure:
        return None


def _lines(text: str) -> list[tuple[str, str, str, str]] | None:
    """The lines with content; None early when the first few kilobytes already leave the subset.

    A questionnaire (lists, block text) is not read through to its end only to be handed on.
    """
    start = _LEADING.match(text)
    cut = text.find("\n", _FIRST_PART) + 1 or len(text)
    lines = _LINES.findall(text, start.end() if start else 0, cut)
    if any(line[3] for line in lines):
        return None
    if cut < len(text):
        rest = _LEADING.match(text, cut)
        lines += _LINES.findall(text, rest.end() if rest else cut)
    return lines


def _mapping(lines: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    """The nested block mappings of the lines; a line indented deeper opens a mapping under a key without value."""
    root: dict[str, Any] = {}
    levels = [(0, root)]
    indent, current = 0, root
    open_key: str | None = None  # a key without value: the next line, indented deeper, starts its mapping
    known = _text_keys
    for spaces, key, value, other in lines:
        if other:
            raise _Unsure
        if len(spaces) != indent:
            indent, current = _level(levels, len(spaces), open_key)
        if key in current or (key not in known and not _is_text_key(key)):
            raise _Unsure
        if value:
            current[key], open_key = _converted(value, key), None
        else:
            current[key], open_key = None, key
    return root


def _level(
    levels: list[tuple[int, dict[str, Any]]], indent: int, open_key: str | None
) -> tuple[int, dict[str, Any]]:
    """The mapping a line of this indentation belongs to: a new one under ``open_key``, or an outer one."""
    top, current = levels[-1]
    if indent > top:
        if open_key is None or len(levels) >= _MAX_LEVELS:
            raise _Unsure
        child: dict[str, Any] = {}
        current[open_key] = child
        levels.append((indent, child))
        return indent, child
    while levels[-1][0] > indent:
        levels.pop()
    if levels[-1][0] != indent:
        raise _Unsure
    return levels[-1]


def _is_text_key(key: str) -> bool:
    """Whether YAML 1.1 reads the key as text (the full reader keeps other keys as typed or refuses them)."""
    if _tag(key) != _STR:
        return False
    if len(_text_keys) < _CACHE_MAX:
        _text_keys.add(key)
    return True


def _converted(raw: str, key: str) -> Any:
    """The value under a key; under any key but a text or name key it is the same, so it is remembered."""
    if key in _KEYED:
        return _value(raw, key)
    value = _simple_values.get(raw, _MISSING)
    if value is _MISSING:
        value = _value(raw, key)
        if raw[0] != "{" and len(_simple_values) < _CACHE_MAX:  # a flow mapping is a new dict each time
            _simple_values[raw] = value
    return value


def _value(raw: str, key: str) -> Any:
    """A value as the full reader makes it under this key: text, whole number, date, None or flow mapping."""
    first = raw[0]
    if first == '"':
        return _text(raw[1:-1], key)
    if first == "{":
        return _flow(raw[1:-1])
    raw = raw.rstrip(" ")
    tag = _plain_tag(raw)
    if tag == _STR:
        return _text(raw, key)
    if tag == _NULL:
        return None
    if key in TEXT_KEYS and tag in _TYPED:
        return _text(raw, key)  # a note ``12:30`` is text, not 750
    if tag == _INT and raw.isdigit() and raw.isascii() and len(raw) <= MAX_DIGITS:
        return int(raw)  # _plain_tag: decimal without leading zero (not int()'s reading: "1_000", "٣")
    date = _DATE.fullmatch(raw)
    if tag == _TIMESTAMP and date is not None:
        try:
            day = dt.date(int(date[1]), int(date[2]), int(date[3]))
        except ValueError:
            raise _Unsure from None
        if MIN_YEAR <= day.year <= MAX_YEAR:
            return day
    raise _Unsure


def _plain_tag(raw: str) -> str:
    """:func:`_tag`, without asking the resolver for whole numbers and dates (the usual answers)."""
    if raw.isdigit() and raw.isascii() and (raw[0] != "0" or len(raw) == 1):
        return _INT  # a decimal without leading zero; "010" is octal to YAML 1.1 and "08" text
    if _DATE.fullmatch(raw):
        return _TIMESTAMP
    return _tag(raw)


def _text(value: str, key: str) -> str:
    """Text as the full reader keeps it: names and ids in NFC; a control character is left to it to report."""
    if value.isascii() and value.isprintable():
        return value
    if key in NFC_KEYS:
        value = nfc(value)
    if control_character(value) is not None:
        raise _Unsure
    return value


def _flow(inner: str) -> dict[str, Any]:
    """A one-line flow mapping such as ``{value: 2, note: "…"}``."""
    if _FLOW.fullmatch(inner) is None:
        raise _Unsure
    result: dict[str, Any] = {}
    for key, value in _ENTRIES.findall(inner):
        if key in result or (key not in _text_keys and not _is_text_key(key)):
            raise _Unsure
        result[key] = _converted(value, key)
    return result
