"""YAML nodes to plain data: what a value may be, and the limits that keep a hostile file harmless.

Used by ``files/reading.py`` after libyaml has composed the document: text stays text (YAML 1.1's octal,
sexagesimal and boolean surprises are refused), names and ids are NFC-normalised, dates must be real and
plausible, numbers small, nesting shallow, and every problem names its line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import yaml

from stufenplan_cli.domain.text import control_character, describe_character, nfc
from stufenplan_cli.errors import InputError

MAX_NODES = 200_000
# Sheets and questionnaires are four levels deep; far beyond that is an attack on the recursion.
MAX_DEPTH = 64
# Whole numbers longer than this are no answer, weight or year (Python refuses beyond 4300 digits).
MAX_DIGITS = 30
# Keys whose values are text whatever they look like: YAML 1.1 would make a note ``12:30`` the number
# 750, ``010`` the number 8, ``yes`` true, a name ``1.10`` the float 1.1. Written unquoted, they stay
# exactly as typed.
TEXT_KEYS = frozenset(
    {
        "name",
        "kind",
        "state",
        "note",
        "assessor",
        "group",
        "label",
        "title",
        "text",
        "help",
        "description",
        "goal",
        "action",
        "recommendation",
        "version",
        "questionnaire_version",
    }
)

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
# Numbers as YAML 1.2 reads them; what only YAML 1.1 makes a number (octal 010, 1:20, 1_000) stays text.
_YAML12_NUMBER = re.compile(
    r"[-+]?(0|[1-9][0-9]*)|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
    r"|0o[0-7]+|0x[0-9a-fA-F]+"
)
# Values compared as identities: a municipality's name, ids. Keys are always normalised.
NFC_KEYS = frozenset({"name", "id", "questionnaire", "group"})
# Dates a self-assessment can carry; a year 2926 is a typo, not a plan.
MIN_YEAR = 1900
MAX_YEAR = 2100
_SCALAR_TAGS = {
    _STR,
    _INT,
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _kind_de(kind: str) -> str:
    return {"list": "Liste", "str": "Text", "int": "Zahl", "float": "Zahl", "bool": "Wahrheitswert"}.get(
        kind, kind
    )


class _Builder:
    """Turns a composed node tree into plain data, checking each node once (aliases counted)."""

    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.loader = loader
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def fail(self, message: str, node: yaml.Node) -> InputError:
        return InputError(message, self.name, node.start_mark.line + 1)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                "zu viele Knoten (Aliasse/Anker werden zu groß aufgebläht); Datei wird nicht verarbeitet",
                node,
            )
        if len(path) > MAX_DEPTH:
            raise self.fail(f"mehr als {MAX_DEPTH} Ebenen verschachtelt; Datei wird nicht verarbeitet", node)
        if path not in self.lines:
            self.lines[path] = node.start_mark.line + 1
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                raise self.fail(f"YAML-Tag {tag!r} ist nicht erlaubt", node)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if tag != _MAP:
                raise self.fail(f"YAML-Tag {tag!r} ist nicht erlaubt", node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("Merge-Schlüssel (<<) werden nicht unterstützt", key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("Schlüssel müssen einfache Werte sein", key_node)
                key = self.key(key_node)
                key_path: Path_ = (*path, key)
                if key in result:
                    first = self.lines.get(key_path)
                    where = f" (zuerst in Zeile {first})" if first else ""
                    raise self.fail(
                        f"Schlüssel {key!r} kommt doppelt vor{where}; ein Wert ginge verloren", key_node
                    )
                self.lines[key_path] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, key_path)
            return result
        raise self.fail("unbekannter YAML-Knoten", node)  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """A scalar value: text normalised and checked, numbers and dates constructed with a message on error."""
        tag = node.tag
        if tag == _STR:
            return self.text(node, path)
        if tag not in _SCALAR_TAGS:
            raise self.fail(f"YAML-Tag {tag!r} ist nicht erlaubt", node)
        # Only what YAML guessed from plain text is taken back as text; ``!!int foo`` is meant as a number.
        implicit = self.loader.resolve(yaml.ScalarNode, node.value, (True, False)) == tag
        plain = not node.style and tag != _NULL and implicit
        if plain and path and path[-1] in TEXT_KEYS:
            return self.text(node, path)  # a note ``12:30`` is the text 12:30, not 750
        if plain and tag in (_INT, _FLOAT) and not _YAML12_NUMBER.fullmatch(node.value):
            return self.text(node)  # YAML 1.1 only: ``010`` (octal 8), ``1:20`` (80), ``1_000``
        if tag == _INT and len(node.value.lstrip("+-")) > MAX_DIGITS:
            raise self.fail(f"Zahl mit {len(node.value)} Ziffern ist zu lang", node)
        if tag == _INT and node.value.isascii() and node.value.isdigit():
            return int(node.value)  # plain decimal (the usual answer value): skip PyYAML's slow path
        try:
            value = self.loader.construct_object(node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            raise self.fail(_bad_scalar(tag, node.value), node) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(f"{node.value!r} ist keine endliche Zahl", node)
        if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise self.fail(f"Datum {node.value} liegt außerhalb {MIN_YEAR}–{MAX_YEAR}", node)
        return value

    def text(self, node: yaml.ScalarNode, path: Path_ | None = None) -> str:
        """Text without control characters (tab and line breaks are fine); keys and names in NFC.

        ``München`` typed on a Mac (u + combining diaeresis) is the same name and id as on Windows.
        Notes stay exactly as typed: NFC would also replace CJK compatibility ideographs.
        """
        value = str(node.value)
        if path is None or (path and path[-1] in NFC_KEYS):
            value = nfc(value)
        bad = control_character(value)
        if bad is not None:
            raise self.fail(
                f"Steuerzeichen {describe_character(bad)} im Text ist nicht erlaubt "
                "(z. B. ein Escape-Zeichen oder NUL aus einer kopierten Zeichenfolge)",
                node,
            )
        return value

    def plain(self, node: yaml.Node, key: str | int | None = None, depth: int = 0) -> Any:
        """What :meth:`build` makes, without the line map; refuses exactly what it refuses.

        ``key`` is the mapping key the node is the value of (text keys, names), ``depth`` its level.
        """
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail("zu viele Knoten", node)
        if depth > MAX_DEPTH:
            raise self.fail("verschachtelt", node)
        tag = node.tag
        if type(node) is yaml.ScalarNode:
            value = node.value
            if tag == _STR:
                if value.isascii() and value.isprintable():  # no control character, NFC already
                    return value
            elif (
                tag == _INT
                and key not in TEXT_KEYS
                and value.isdigit()
                and (value[0] != "0" or len(value) == 1)
                and len(value) <= MAX_DIGITS
            ):
                return int(value)
            return self.scalar(node, () if key is None else (key,))
        if tag == _MAP and type(node) is yaml.MappingNode:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _STR and type(key_node) is yaml.ScalarNode and key_node.value.isascii():
                    name: str | int = self.text(key_node)
                elif key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("Merge-Schlüssel", key_node)
                else:
                    name = self.key(key_node)
                if name in result:
                    raise self.fail("doppelt", key_node)
                result[name] = self.plain(value_node, name, depth + 1)
            return result
        if tag == _SEQ and type(node) is yaml.SequenceNode:
            return [self.plain(item, None, depth + 1) for item in node.value]
        raise self.fail("YAML-Tag", node)

    def key(self, node: yaml.ScalarNode) -> str | int:
        """A mapping key: text, or a whole number; ``yes``/``null``/``1.5`` stay the text typed."""
        if (
            node.tag == _INT
            and node.value.isascii()
            and node.value.isdigit()
            and len(node.value) <= MAX_DIGITS
        ):
            return int(node.value)
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(f"YAML-Tag {node.tag!r} ist nicht erlaubt", node)
        return self.text(node, None)


def _bad_scalar(tag: str, value: str) -> str:
    """Why a value with an explicit or implied type cannot be read, e.g. ``!!int foo`` or ``2026-02-30``."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    if tag.endswith(":timestamp"):
        return f"{shown!r} ist kein gültiges Datum (JJJJ-MM-TT; gibt es den Tag?)"
    kind = {_INT: "ganze Zahl", _FLOAT: "Zahl", "tag:yaml.org,2002:bool": "Wahrheitswert"}.get(tag, "Wert")
    return f"{shown!r} ist als {kind} nicht lesbar"
