"""Safe YAML reading with line numbers.

Reads a file as UTF-8 (a BOM is fine), refuses files over the size limit, and turns YAML into plain
Python data while refusing what would lose or endanger data: duplicate keys (PyYAML would silently keep
the last one and so drop a workshop answer), tags such as ``!!python/object``, merge keys and alias
expansion beyond a limit. Every key's line is kept so that model errors can point at it.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from stufenplan_cli.domain.text import control_character, describe_character, nfc, visible
from stufenplan_cli.errors import InputError, os_reason_de

try:  # libyaml's C composer when present: several times faster on large batches
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

_RESOLVED_MAX = 8192
# libyaml's problems in words for people who edit a sheet by hand, with what usually causes them.
_PROBLEMS = {
    "mapping values are not allowed in this context": (
        "Doppelpunkt an unerwarteter Stelle – steht ein „:“ im Text? Dann den Text in Anführungszeichen setzen"
    ),
    "mapping values are not allowed here": (
        "Doppelpunkt an unerwarteter Stelle – steht ein „:“ im Text? Dann den Text in Anführungszeichen setzen"
    ),
    "did not find expected key": "Einrückung stimmt nicht: Schlüssel einer Ebene müssen genau untereinander stehen",
    "did not find expected '-' indicator": "Einrückung stimmt nicht: Listeneinträge mit „-“ müssen untereinander stehen",
    "could not find expected ':'": "nach dem Schlüssel fehlt der Doppelpunkt („schlüssel: wert“)",
    "did not find expected ',' or ']'": "Liste nicht geschlossen: „]“ oder „,“ fehlt",
    "did not find expected ',' or '}'": "Angabe nicht geschlossen: „}“ oder „,“ fehlt",
    "found unexpected end of stream": "Datei endet mitten in einem Wert – fehlt ein schließendes Anführungszeichen?",
    "found unknown escape character": (
        "unbekannte Escape-Folge mit „\\“ in Text mit doppelten Anführungszeichen – einfache verwenden"
    ),
    "found undefined alias": "Verweis mit „*“ auf einen Anker, den es nicht gibt",
    "did not find expected node content": "hier fehlt ein Wert",
    "did not find expected alphabetic or numeric character": "nach „&“ oder „*“ fehlt ein Name",
    "found unknown directive name": "unbekannte Anweisung mit „%“ – Text mit „%“ am Anfang in Anführungszeichen setzen",
    "but found another document": "mehrere Dokumente (mit „---“ getrennt) in einer Datei; erwartet wird eines",
}

_OPENED = {
    "while parsing a flow sequence": "Liste mit [ geöffnet in Zeile {line}",
    "while parsing a flow mapping": "Angabe mit {{ geöffnet in Zeile {line}",
    "while scanning a quoted scalar": "Anführungszeichen geöffnet in Zeile {line}",
    "while parsing a block mapping": "die Ebene beginnt in Zeile {line}",
    "while parsing a block collection": "die Liste beginnt in Zeile {line}",
    "while scanning a simple key": "Schlüssel in Zeile {line}",
    "expected a single document in the stream": "das erste beginnt in Zeile {line}",
}


class _Loader(_Base):
    """The safe loader with its implicit-tag resolution remembered per scalar text.

    PyYAML matches every plain scalar against its regular expressions in Python, once per node; in a
    batch the same keys and values (question ids, ``2``, ``weiß nicht``) recur in every sheet. Without
    path resolvers (the safe loader has none) the tag depends only on the text, so caching is exact.
    """

    _resolved: dict[str, str] = {}  # noqa: RUF012 - shared on purpose: one cache per process

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._resolved.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(self._resolved) >= _RESOLVED_MAX:
                    self._resolved.clear()
                self._resolved[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


MAX_BYTES = 1024 * 1024
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


class Document:
    """A parsed YAML file: its data, where it came from, and the line of every key path.

    The line map is built only when asked for (an error to locate): for a valid sheet in a batch it is
    never needed, and building it costs as much as a tenth of scoring the sheet. It comes from the text,
    parsed once more, so it is exactly the map a parse with lines would have made.
    """

    def __init__(
        self, data: Any, file: str, lines: dict[Path_, int] | None = None, text: str | None = None
    ) -> None:
        self.data = data
        self.file = file
        self._lines = lines
        self._text = text

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = _line_map(self._text, self.file) if self._text is not None else {}
            self._text = None
        return self._lines

    def line_of(self, path: Path_) -> int | None:
        """The line of the deepest known prefix of ``path`` (1-based), None if unknown."""
        lines = self.lines
        for end in range(len(path), -1, -1):
            found = lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


#: The path that stands for standard input (``stufenplan score -``), and how messages name it.
STDIN = "-"
STDIN_NAME = "Standardeingabe"


def display_name(path: Path | str) -> str:
    """The name messages use for an input: the path, or ``Standardeingabe`` for ``-``."""
    return STDIN_NAME if str(path) == STDIN else str(path)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a user's file (``-``: standard input) as UTF-8 text, with errors that say what is wrong in German.

    Only regular files are read: a FIFO would block every command, a device such as ``/dev/zero``
    never ends. Reading stops one byte after the limit whatever the file system reports as its size.
    One open, one fstat, one read: a batch reads thousands of files, and asking first whether each
    exists and is a directory costs as many system calls again.
    """
    return decode(read_limited(path, max_bytes), display_name(path), max_bytes)


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; InputError for anything else."""
    name = str(path)
    if name == STDIN:
        import sys

        return sys.stdin.buffer.read(max_bytes + 1)  # decode() refuses more than max_bytes
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError("ist ein Verzeichnis, keine Datei", name)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(NOT_REGULAR, name)
            if info.st_size > max_bytes:
                raise InputError(_too_large(info.st_size, max_bytes), name)
            raw = handle.read(max_bytes + 1)  # a file growing while read is still refused below
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("Datei nicht gefunden", name) from None
    except IsADirectoryError:
        raise InputError("ist ein Verzeichnis, keine Datei", name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("Datei nicht gefunden", name) from None
        if path.is_dir():  # Windows refuses to open a directory with "permission denied"
            raise InputError("ist ein Verzeichnis, keine Datei", name) from None
        raise InputError(f"kann nicht gelesen werden: {os_reason_de(exc)}", name) from None
    if len(raw) > max_bytes:
        raise InputError(_too_large(None, max_bytes), name)
    return raw


NOT_REGULAR = "ist keine gewöhnliche Datei (Gerät, Pipe oder Socket); bitte eine YAML-Datei angeben"


def _too_large(size: int | None, max_bytes: int) -> str:
    shown = f"mit {size / 1024 / 1024:.1f} MiB " if size is not None else ""
    return f"Datei ist {shown}zu groß (höchstens {max_bytes // 1024} KiB)"


def decode(raw: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode bytes as UTF-8 (BOM allowed); a wrong encoding is reported with its line."""
    if len(raw) > max_bytes:
        raise InputError(_too_large(None, max_bytes), name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "Datei ist nicht in UTF-8 kodiert (z. B. Windows-1252 oder Latin-1). "
            "Bitte im Editor als UTF-8 speichern.",
            name,
            line,
        ) from exc


def parse(text: str, name: str) -> Document:
    """Parse YAML text into plain data with a line map; raise InputError on anything unsafe."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = _problem_de(exc.problem or exc.context or "", text, mark)
        opened = exc.context_mark
        if exc.problem and opened is not None and mark is not None and opened.line < mark.line:
            # libyaml notices an unclosed [ or { or quote only where it runs into the next key,
            # often lines later; name where it was opened, which is where the mistake is.
            where = _OPENED.get(exc.context or "", "begonnen in Zeile {line}")
            problem += f" ({where.format(line=opened.line + 1)})"
        raise InputError(f"YAML-Syntaxfehler: {problem}", name, line) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise InputError(
            f"Zeichen U+{exc.character if isinstance(exc.character, int) else 0:04X} ist in YAML nicht erlaubt",
            name,
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML-Fehler: {visible(exc)}", name) from exc
    except RecursionError:
        raise InputError("Datei ist zu tief verschachtelt und wird nicht verarbeitet", name) from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError("Datei ist leer", name, 1)
    try:
        data = _Builder(name, loader).plain(node)
    except InputError:  # the same checks again with lines, so the message is exactly the located one
        builder = _Builder(name, loader)
        builder.build(node, ())
        raise  # pragma: no cover - the located build raises the same problem first
    except RecursionError:
        raise InputError("Datei ist zu tief verschachtelt und wird nicht verarbeitet", name) from None
    return Document(data, name, text=text)


def _line_map(text: str, name: str) -> dict[Path_, int]:
    """The line of every key path of a text that parsed before."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    builder = _Builder(name, loader)
    if node is not None:
        builder.build(node, ())
    return builder.lines


def _problem_de(problem: str, text: str, mark: Any) -> str:
    """libyaml's problem in German; the English text stays for anything we have not seen."""
    if problem == "found character that cannot start any token" and mark is not None:
        char = text[mark.index : mark.index + 1] if mark.index < len(text) else ""
        if char == "\t":
            return "Tabulatorzeichen sind nicht erlaubt; bitte mit Leerzeichen einrücken"
        return f"„{char}“ darf nicht am Anfang eines Werts stehen; den Text in Anführungszeichen setzen"
    if problem in _PROBLEMS:
        return _PROBLEMS[problem]
    return f"ungültiges YAML (libyaml meldet: {visible(problem)})" if problem else "ungültiges YAML"


def load(path: Path) -> Document:
    """Read and parse one YAML file; the top level must be a mapping."""
    doc = parse(read_text(path), display_name(path))
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "leer"
        raise InputError(
            f"oberste Ebene muss eine Zuordnung (Schlüssel: Wert) sein, gefunden: {_kind_de(kind)}",
            display_name(path),
            1,
        )
    return doc


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
