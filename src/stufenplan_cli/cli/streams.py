"""Standard output and error on any machine: any encoding, a file or a pipe instead of a terminal.

Windows writes redirected output in its ANSI code page (cp1252), ``LANG=C`` gives ASCII: characters such
as ✓, █ or ═ cannot be encoded there. Terminal decoration then falls back to ASCII look-alikes instead of
ending in a ``UnicodeEncodeError``; text meant as a file (CSV, YAML, Markdown, JSON) is written as UTF-8
bytes whatever the code page, so that it reads the same everywhere.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

ERRORS = "stufenplan-ascii"

# What the terminal output draws, in characters every code page has.
ASCII = {
    "✓": "v",
    "✗": "x",
    "█": "#",
    "▓": "#",
    "▒": ":",
    "░": ".",
    "┃": "|",
    "│": "|",
    "━": "=",
    "─": "-",
    "═": "=",
    "║": "|",
    "•": "*",
    "·": "-",
    "→": "->",
    "←": "<-",
    "…": "...",
    "–": "-",
    "—": "-",
    "„": '"',
    "“": '"',
    "”": '"',
    "‚": "'",
    "‘": "'",
    "’": "'",
    "»": '"',
    "«": '"',
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "\u00a0": " ",
    "\u202f": " ",
    "⌘": "Cmd",
}


def ascii_fallback(char: str) -> str:
    """An ASCII stand-in for one character: a look-alike, the letter without its accent, or ``?``."""
    if char in ASCII:
        return ASCII[char]
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ascii_fallback(c) for c in text), error.end


codecs.register_error(ERRORS, _fallback)


def install() -> None:
    """Let stdout and stderr fall back to ASCII for characters their encoding lacks, instead of failing.

    Characters the encoding has (the umlauts in cp1252) stay as they are. Lone surrogates from
    undecodable file names are replaced too.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=ERRORS)
    from rich.console import Console

    # rich's own answer to a closed pipe is exit code 1; the hook is there to be replaced
    Console.on_broken_pipe = _closed_pipe  # type: ignore[method-assign,assignment]


def _closed_pipe(_console: Console) -> None:
    discard_stdout()
    raise SystemExit(0)


def is_utf8(stream: IO[Any]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


@contextmanager
def utf8_stdout() -> Iterator[IO[str]]:
    """Standard output for text meant as a file: UTF-8 whatever the code page, line endings as written."""
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (a test's StringIO): text is all it takes
        yield stdout
        stdout.flush()
        return
    stdout.flush()
    # surrogateescape: bytes a C locale could not decode (a name typed as UTF-8) go out as they came in
    wrapper = io.TextIOWrapper(
        buffer, encoding="utf-8", errors="surrogateescape", newline="", write_through=True
    )
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()  # the bytes stream stays open for whoever writes next


def write_stdout(text: str) -> None:
    """Write a whole text meant as a file to standard output, as UTF-8."""
    with utf8_stdout() as handle:
        handle.write(text)


def write_stdout_bytes(data: bytes) -> None:
    """Write bytes (a report) to standard output as they are."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
    sys.stdout.flush()


class TrimmedLines:
    """Standard output or error for output that is not a terminal: lines without trailing spaces.

    Rich pads table cells and padded blocks to their width; in a file or a pipe that padding is noise.
    The stream is looked up on every write, so a test that swaps ``sys.stdout`` is followed.
    """

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._pending = ""

    @property
    def stream(self) -> IO[str]:
        stream = sys.stderr if self._stderr else sys.stdout
        # while a progress bar runs, rich puts a proxy there that writes back to the console: go past it
        proxied: IO[str] = getattr(stream, "rich_proxied_file", stream)
        return proxied

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def write(self, text: str) -> int:
        if self.isatty():
            self.stream.write(self._pending + text)
            self._pending = ""
            return len(text)
        text = self._pending + text
        head, newline, self._pending = text.rpartition("\n")
        if newline:
            self.stream.write("\n".join(line.rstrip(" ") for line in head.split("\n")) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.stream.write(self._pending.rstrip(" ") if not self.isatty() else self._pending)
            self._pending = ""
        self.stream.flush()


def unbounded_width() -> bool:
    """Whether output that is not a terminal may take lines of any length (no ``COLUMNS`` given)."""
    return not os.environ.get("COLUMNS")


# Wide enough that nothing a command prints is wrapped; trailing padding is trimmed by TrimmedLines.
NO_WRAP_WIDTH = 10_000


def discard_stdout() -> None:
    """After the reader of a pipe has gone (``| head -1``): send what is still buffered nowhere.

    Without this, Python's last flush at exit hits the closed pipe again and complains.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


@contextmanager
def quiet_on_closed_pipe() -> Iterator[None]:
    """A closed pipe ends the program quietly with exit code 0, as ``cat`` or ``grep`` do."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # in here, so that a pipe closed before the last flush is caught too
    except BrokenPipeError:
        discard_stdout()
        raise SystemExit(0) from None
