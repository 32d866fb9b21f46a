"""What every command shares: consoles, the error-to-exit-code rule, and common options."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shlex
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Protocol, cast

import typer

from stufenplan_cli.cli.streams import (
    NO_WRAP_WIDTH,
    TrimmedLines,
    discard_stdout,
    unbounded_width,
    write_stdout,
)
from stufenplan_cli.errors import (
    InputError,
    InputsFailed,
    MissingExtra,
    Problem,
    StufenplanError,
    UsageError,
    os_reason_de,
)

if TYPE_CHECKING:
    from rich.console import Console

    from stufenplan_cli.files.catalog import Catalog

QuestionnairesDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--questionnaires-dir",
        metavar="VERZ",
        help="Weiteres Verzeichnis mit eigenen Fragebögen (mehrfach möglich; auch $STUFENPLAN_QUESTIONNAIRES).",
        file_okay=False,
    ),
]

QuestionnaireForAll = Annotated[
    str | None,
    typer.Option("--questionnaire", "-Q", metavar="ID_ODER_DATEI", help="Fragebogen für alle Bögen."),
]


class _Run:
    """What one run of a command was asked for beyond its own parameters."""

    quiet = False


RUN = _Run()


def _set_quiet(value: bool) -> bool:
    RUN.quiet = value
    return value


Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        callback=_set_quiet,
        help="Nur Ergebnisse und Fehler: keine Hinweise, kein „Geschrieben: …“, kein Fortschrittsbalken.",
    ),
]


def note(message: str, **options: Any) -> None:
    """A message about the run (``Geschrieben: …``, a hint) on stderr, unless --quiet."""
    if not RUN.quiet:
        err().print(message, **options)


Sheets = Annotated[
    list[str], typer.Argument(metavar="BOGEN...", help="Antwortbögen, Verzeichnisse oder Muster.")
]

OutputFile = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="DATEI", help="In Datei schreiben statt auf stdout."),
]

Force = Annotated[bool, typer.Option("--force", help="Vorhandene Datei überschreiben.")]

Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, metavar="ANZAHL", help="Anzahl paralleler Prozesse (Standard: alle Kerne)."
    ),
]


def safe_console(**options: Any) -> Console:
    """A rich console that shows control characters in any text it prints as ``\\x1b``, never raw.

    Names come from sheets and file names from anyone: printed raw, an escape sequence would retitle
    the terminal or clear it. Every string, including table cells, passes ``render_str``. Emoji codes
    stay text: rich would show ``Stadt :thumbs_up:`` from a sheet as ``Stadt 👍``.
    """
    from rich.console import Console

    from stufenplan_cli.domain.text import visible

    class SafeConsole(Console):
        def render_str(self, text: str, *args: Any, **kwargs: Any) -> Any:
            return super().render_str(visible(text), *args, **kwargs)

    return SafeConsole(**{"emoji": False, **options})


def out() -> Console:
    """Console for results (stdout); in a file or pipe no wrapping, no padding, no colour."""
    return _console(False, sys.stdout, os.environ.get("COLUMNS"), os.environ.get("TTY_COMPATIBLE"))


def err() -> Console:
    """Console for messages and errors (stderr)."""
    return _console(True, sys.stderr, os.environ.get("COLUMNS"), os.environ.get("TTY_COMPATIBLE"))


@functools.lru_cache(maxsize=8)
def _console(stderr: bool, stream: Any, columns: str | None, tty: str | None) -> Console:
    """One console per stream and terminal setting (a test swaps both; a real run has one of each)."""
    if stream.isatty():
        console = safe_console(stderr=stderr, highlight=False, soft_wrap=False)
    else:
        console = safe_console(file=cast("IO[str]", TrimmedLines(stderr)), highlight=False, soft_wrap=False)
        if unbounded_width() and not console.is_terminal:  # TTY_COMPATIBLE=1 asks for a terminal's layout
            console.width = NO_WRAP_WIDTH
    if stderr:
        # In a terminal, wrap long messages between words; in a log or pipe keep one problem per line.
        console.soft_wrap = not console.is_terminal
    return console


def show_error(error: StufenplanError) -> None:
    """Print every problem of an error, one per line, on stderr."""
    from rich.markup import escape

    from stufenplan_cli.domain.text import visible

    problems = error.problems
    for problem in problems:
        # A file name may hold a line break that would forge a line of its own: shown as \x0a.
        where = visible(problem.file, keep_lines=False) if problem.file else None
        shown = visible(str(Problem(problem.message, where, problem.line)))
        err().print(f"[bold red]Fehler:[/] {escape(shown)}")


class CommandContext(Protocol):
    """What the boundary needs of a command's context: the words to name where its help is."""

    @property
    def command_path(self) -> str: ...

    @property
    def help_option_names(self) -> list[str]: ...


def help_hint(ctx: CommandContext) -> str | None:
    """``Hilfe: stufenplan score -h``, as typer shows it under its own usage errors."""
    if not ctx.help_option_names:
        return None
    return f"Hilfe: {ctx.command_path} {ctx.help_option_names[0]}"


@contextlib.contextmanager
def user_errors(ctx: CommandContext) -> Iterator[None]:
    """The one boundary where our errors become a message and an exit code; never a traceback.

    Each problem on a line of its own; for wrong usage (exit 2) where the help is; when some inputs failed
    (exit 1) the summary after their problems.
    """
    try:
        yield
    except StufenplanError as exc:
        show_error(exc)
        hint = help_hint(ctx) if isinstance(exc, UsageError) else None
        if hint:
            err().print(hint, style="dim", markup=False)
        for line in exc.hints if isinstance(exc, MissingExtra) else ():
            err().print(f"  {line}", markup=False)
        if isinstance(exc, InputsFailed):
            err().print(exc.message, markup=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM/SIGHUP (cli/interrupts.py): 128 + signal
        err().print("Abgebrochen.")
        raise typer.Exit(getattr(exc, "exit_code", 130)) from None
    except BrokenPipeError:
        discard_stdout()
        raise typer.Exit(0) from None
    except OSError as exc:  # a path the system refuses (name too long, no permission …) is no bug
        show_error(InputError(f"Betriebssystem meldet: {os_reason_de(exc)}", exc.filename))
        raise typer.Exit(1) from None
    except RecursionError:
        show_error(InputError("Eingabe ist zu tief verschachtelt und wird nicht verarbeitet"))
        raise typer.Exit(1) from None


def warn_shadowed(winner: Path | None, path: Path, qid: str) -> None:
    """A questionnaire whose id another one (a bundled one) already has is never found by its id: say so."""
    from rich.markup import escape

    if winner is not None:
        err().print(f"[yellow]Warnung:[/] {escape(str(path))}: {escape(shadowed_text(winner, qid))}")


def shadowed_text(winner: Path, qid: str) -> str:
    """Why a questionnaire is never found by its id: another one has it already."""
    return (
        f"die Id {qid} hat schon {winner}; "
        "unter dieser Id wird jener verwendet, nicht dieser – bitte eine eigene Id wählen"
    )


def catalog(extra_dirs: list[Path] | None) -> Catalog:
    from stufenplan_cli.files.catalog import Catalog

    return Catalog(extra_dirs=list(extra_dirs or []))


def refuse_overwrite(output: Path | None, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Fail before any work, not after scoring thousands of sheets, when --output is a file already there.

    Also with --force: never over one of the ``inputs``, a device, a pipe or a directory
    (:func:`stufenplan_cli.files.writing.check_output`).
    """
    from stufenplan_cli.files.writing import check_output

    if output is not None and str(output) != "-":
        check_output(output, force, inputs)


def write_output(text: str, output: Path | None, force: bool = False) -> None:
    """Write to a file atomically (refusing to overwrite unless forced), or to stdout."""
    if output is None or str(output) == "-":
        write_stdout(text)
        return
    from stufenplan_cli.files.writing import write_text_atomic

    write_text_atomic(output, text, overwrite=force)
    note(f"Geschrieben: {output}", markup=False)


def questionnaire_args(questionnaire: str | None, dirs: list[Path] | None, option: str | None) -> list[str]:
    """What a later command needs to find the questionnaire again: the file when one was named, and dirs.

    An id is found again from the sheet itself; a questionnaire file outside the catalog is not.
    """
    args: list[str] = []
    if questionnaire and Path(questionnaire).exists():
        args += [option, questionnaire] if option else [questionnaire]
    for directory in dirs or []:
        args += ["--questionnaires-dir", str(directory)]
    return args


def shell_command(words: list[str]) -> str:
    """A command line a user can copy as it is into cmd.exe, PowerShell or a POSIX shell."""
    return " ".join(shell_quote(w) for w in words)


def shell_quote(word: str) -> str:
    """A word as every shell reads it: bare when plain, else in double quotes, which all shells know.

    Single quotes are POSIX only (cmd.exe passes them on). A word a POSIX shell would still expand
    inside double quotes (``$``, backquote, ``!``) keeps single quotes there; on Windows a path's
    backslashes are plain characters.
    """
    plain = r"[\w@%+=:,./\\-]+" if os.name == "nt" else r"[\w@%+=:,./-]+"
    if word and re.fullmatch(plain, word):
        return word
    if os.name != "nt" and any(c in word for c in '"$`\\!'):
        return shlex.quote(word)
    return '"' + word.replace('"', '\\"') + '"'
