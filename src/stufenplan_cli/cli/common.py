"""What every command shares: consoles, the error-to-exit-code rule, and common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from stufenplan_cli.errors import StufenplanError
    from stufenplan_cli.files.catalog import Catalog

F = TypeVar("F", bound=Callable[..., Any])

QuestionnairesDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--questionnaires-dir",
        help="Weiteres Verzeichnis mit eigenen Fragebögen (mehrfach möglich; auch $STUFENPLAN_QUESTIONNAIRES).",
        file_okay=False,
    ),
]

QuestionnaireForAll = Annotated[
    str | None,
    typer.Option("--questionnaire", "-q", metavar="ID_ODER_DATEI", help="Fragebogen für alle Bögen."),
]

Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, metavar="ANZAHL", help="Anzahl paralleler Prozesse (Standard: alle Kerne)."
    ),
]


def safe_console(**options: Any) -> Console:
    """A rich console that shows control characters in any text it prints as ``\x1b``, never raw.

    Names come from sheets and file names from anyone: printed raw, an escape sequence would retitle
    the terminal or clear it. Every string, including table cells, passes ``render_str``.
    """
    from rich.console import Console

    from stufenplan_cli.domain.text import visible

    class SafeConsole(Console):
        def render_str(self, text: str, *args: Any, **kwargs: Any) -> Any:
            return super().render_str(visible(text), *args, **kwargs)

    return SafeConsole(**options)


@functools.cache
def out() -> Console:
    """Console for results (stdout)."""
    return safe_console(highlight=False, soft_wrap=False)


@functools.cache
def err() -> Console:
    """Console for messages and errors (stderr)."""
    console = safe_console(stderr=True, highlight=False)
    # In a terminal, wrap long messages between words; in a log or pipe keep one problem per line.
    console.soft_wrap = not console.is_terminal
    return console


def show_error(error: StufenplanError) -> None:
    """Print every problem of an error, one per line, on stderr."""
    from rich.markup import escape

    from stufenplan_cli.domain.text import visible

    problems = error.problems
    for problem in problems:
        err().print(f"[bold red]Fehler:[/] {escape(visible(str(problem)))}")


def handles_errors(command: F) -> F:
    """Turn our errors into one clear message and exit code 1 (2 for usage); never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from stufenplan_cli.errors import StufenplanError

        try:
            return command(*args, **kwargs)
        except StufenplanError as exc:
            show_error(exc)
            if exc.exit_code == 2:  # wrong usage: where the help is, as for typer's own usage errors
                from stufenplan_cli.cli.german import help_hint

                hint = help_hint()
                if hint:
                    err().print(hint, style="dim", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            err().print("Abgebrochen.")
            raise typer.Exit(getattr(exc, "exit_code", 130)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a path the system refuses (name too long, no permission …) is no bug
            from stufenplan_cli.errors import InputError, os_reason_de

            where = exc.filename if exc.filename is not None else None
            show_error(InputError(f"Betriebssystem meldet: {os_reason_de(exc)}", where))
            raise typer.Exit(1) from None
        except RecursionError:
            from stufenplan_cli.errors import InputError

            show_error(InputError("Eingabe ist zu tief verschachtelt und wird nicht verarbeitet"))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def catalog(extra_dirs: list[Path] | None) -> Catalog:
    from stufenplan_cli.files.catalog import Catalog

    return Catalog(extra_dirs=list(extra_dirs or []))


def write_output(text: str, output: Path | None, force: bool = False) -> None:
    """Write to a file atomically (refusing to overwrite unless forced), or to stdout."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from stufenplan_cli.files.writing import write_text_atomic

    write_text_atomic(output, text, overwrite=force)
    err().print(f"Geschrieben: {output}")


def choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    """Check a --format style option; wrong usage exits with 2."""
    if value not in allowed:
        raise typer.BadParameter(
            f"{value!r} ist nicht erlaubt; möglich: {', '.join(allowed)}", param_hint=option
        )
    return value


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
    """A command line a user can copy into a POSIX shell as it is."""
    import shlex

    return " ".join(shlex.quote(w) for w in words)
