"""One family of errors that carry the file and line a user has to look at.

The core raises these; only the CLI turns them into a message and an exit code.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.file and self.line:
            where = f"{self.file}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class StufenplanError(Exception):
    """Base of every error the core raises for a user's input or request."""

    exit_code = 1

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    @property
    def problems(self) -> list[Problem]:
        return [Problem(self.message, self.file, self.line)]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InputError(StufenplanError):
    """A file cannot be read or parsed: missing, too large, not UTF-8, not YAML."""


class ValidationFailed(StufenplanError):
    """A file was read but its content breaks the format; carries every problem found."""

    def __init__(self, problems: Iterable[Problem], file: str | Path | None = None) -> None:
        found = list(problems)
        first = found[0] if found else Problem("ungültiger Inhalt", str(file) if file else None)
        super().__init__(first.message, file if file is not None else first.file, first.line)
        self._problems = found

    @property
    def problems(self) -> list[Problem]:
        return self._problems


class NotFound(StufenplanError):
    """A questionnaire id or a path that does not exist."""


class UsageError(StufenplanError):
    """The request itself is wrong (contradicting options, unsupported format): the one kind of usage error.

    The CLI shows it as it shows click's own usage errors, with the usage line and where the help is.
    """

    exit_code = 2


#: What commands count: the article, one, many, and none of them (German needs all four).
COUNTED = {
    "sheets": ("Der", "Bogen", "Bögen", "kein Bogen"),
    "files": ("Die", "Datei", "Dateien", "keine Datei"),
    "questionnaires": ("Der", "Fragebogen", "Fragebögen", "kein Fragebogen"),
    "questions": ("Die", "Frage", "Fragen", "keine Frage"),
    "answers": ("Die", "Antwort", "Antworten", "keine Antwort"),
    "stages": ("Die", "Stufe", "Stufen", "keine Stufe"),
    "dimensions": ("Die", "Dimension", "Dimensionen", "keine Dimension"),
}


def how_many(count: int, counted: str) -> str:
    """``keine Datei``, ``1 Datei``, ``3 Dateien``: a count with the noun in the right number."""
    _, one, many, none = COUNTED[counted]
    if count == 0:
        return none
    return f"{count} {one if count == 1 else many}"


def of_total(count: int, total: int, counted: str) -> str:
    """``3 von 54 Fragen``, ``1 von 1 Frage``: the noun follows the total."""
    _, one, many, _ = COUNTED[counted]
    return f"{count} von {total} {one if total == 1 else many}"


def failed_summary(failed: int, total: int, counted: str = "sheets", state: str = "fehlerhaft") -> str:
    """``3 von 200 Bögen fehlerhaft``; a single input is no count: ``Der Bogen ist fehlerhaft``."""
    article, one, many, _ = COUNTED[counted]
    if total == 1:
        return f"{article} {one} ist {state}"
    return f"{failed} von {total} {many} {state}"


class InputsFailed(StufenplanError):
    """Some of a command's inputs failed (each shown already, or carried here); the rest were done. Exit 1.

    Carries the count so that the summary line is worded in one place (``failed_summary``).
    """

    def __init__(
        self,
        failed: int,
        total: int,
        counted: str = "sheets",
        *,
        state: str = "fehlerhaft",
        then: str | None = None,
        errors: Iterable[StufenplanError] = (),
    ) -> None:
        self.failed, self.total, self.errors = failed, total, list(errors)
        summary = failed_summary(failed, total, counted, state)
        super().__init__(f"{summary}; {then}." if then else f"{summary}.")

    @property
    def problems(self) -> list[Problem]:
        """The problems of the inputs carried along (not the summary: that is not a problem of its own)."""
        return [problem for error in self.errors for problem in error.problems]


class OutputExists(StufenplanError):
    """Refused to overwrite a file the user did not ask us to overwrite."""


class MissingExtra(StufenplanError):
    """An optional dependency (PDF, Excel) is not installed; ``hints`` say how to get it, a line each."""

    def __init__(self, message: str, file: str | Path | None = None, hints: Iterable[str] = ()) -> None:
        super().__init__(message, file)
        self.hints = list(hints)


class OutputFailed(StufenplanError):
    """The operating system refused to write an output (no space, no permission, name too long …)."""


_ERRNO_DE = {
    errno.ENOENT: "Datei oder Ordner nicht gefunden",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.ENAMETOOLONG: "Dateiname zu lang",
    errno.ENOTDIR: "ein Teil des Pfads ist eine Datei, kein Ordner",
    errno.EISDIR: "ist ein Verzeichnis",
    errno.EROFS: "Datenträger ist schreibgeschützt",
    errno.EFBIG: "Datei wird zu groß (Grenze des Dateisystems oder des Systems)",
    errno.ELOOP: "zu viele symbolische Verknüpfungen hintereinander",
    errno.EEXIST: "existiert bereits",
    errno.EINVAL: "ungültiger Dateiname",
    errno.EBUSY: "wird gerade benutzt",
    errno.ETXTBSY: "wird gerade benutzt",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.EMFILE: "zu viele offene Dateien",
    errno.EXDEV: "liegt auf einem anderen Datenträger",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_DE[errno.EDQUOT] = "Speicherkontingent erschöpft"


def os_reason_de(exc: OSError) -> str:
    """An operating-system error in German words (the common ones), else the system's own text."""
    if exc.errno in _ERRNO_DE:
        return _ERRNO_DE[exc.errno]
    return exc.strerror or type(exc).__name__
