"""Safe YAML reading with line numbers.

Reads a file as UTF-8 (a BOM is fine), refuses files over the size limit, and turns YAML into plain
Python data while refusing what would lose or endanger data: duplicate keys (PyYAML would silently keep
the last one and so drop a workshop answer), tags such as ``!!python/object``, merge keys and alias
expansion beyond a limit. Every key's line is kept so that model errors can point at it.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any

import yaml

from stufenplan_cli.domain.text import visible
from stufenplan_cli.errors import InputError, os_reason_de
from stufenplan_cli.files.yaml_values import Path_, _Builder, _kind_de

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
# The plain reader's patterns use possessive quantifiers, which Python's re knows from 3.11 on. On 3.10
# every sheet is read by libyaml: the same data and messages, only slower.
PLAIN_READER = sys.version_info >= (3, 11)


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


def load(path: Path, *, plain: bool = False) -> Document:
    """Read and parse one YAML file; the top level must be a mapping.

    ``plain``: read with ``plain_yaml`` first, several times faster on sheets as they are usually written
    (for batches: compiling its patterns takes a few milliseconds once per process); what it does not
    read is parsed here as ever.
    """
    text = read_text(path)
    data = None
    if plain and PLAIN_READER:
        from stufenplan_cli.files.plain_yaml import plain_data

        data = plain_data(text)
    doc = (
        Document(data, display_name(path), text=text) if data is not None else parse(text, display_name(path))
    )
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "leer"
        raise InputError(
            f"oberste Ebene muss eine Zuordnung (Schlüssel: Wert) sein, gefunden: {_kind_de(kind)}",
            display_name(path),
            1,
        )
    return doc
