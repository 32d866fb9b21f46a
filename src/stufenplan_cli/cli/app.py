"""The typer app: global options and the list of commands. Each command lives in its own module."""

from __future__ import annotations

import gc
from typing import Annotated

import typer

from stufenplan_cli import __version__
from stufenplan_cli.cli.common import RUN
from stufenplan_cli.cli.german import CommandsOnDemand
from stufenplan_cli.cli.streams import install, quiet_on_closed_pipe


class Commands(CommandsOnDemand):
    """The app's commands, in the order of the help screen: module and function in ``stufenplan_cli.cli``.

    Each is built (its module imported, its options read by typer) only when it runs or shows its own
    help; the list of commands on the main help screen needs only their docstrings.
    """

    table = {  # noqa: RUF012 - a fixed table, read only
        "questionnaires": ("catalog_cmds", "questionnaires"),
        "show": ("catalog_cmds", "show"),
        "schema": ("catalog_cmds", "schema"),
        "validate": ("validate_cmd", "validate"),
        "template": ("template_cmd", "template"),
        "score": ("score_cmd", "score"),
        "assess": ("assess_cmd", "assess"),
        "report": ("report_cmd", "report"),
        "merge": ("merge_cmd", "merge"),
        "compare": ("compare_cmd", "compare"),
    }


app = typer.Typer(
    name="stufenplan",
    cls=Commands,
    help=(
        "Selbsteinschätzung einer Kommune nach dem Stufenplan Smarte Städte und Regionen: "
        "Fragebogen, Bewertung, Einordnung in die vier Stufen und Roadmap für den Rat."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion for bash, zsh, fish and PowerShell
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stufenplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Version anzeigen und beenden."
        ),
    ] = False,
) -> None:
    """Selbsteinschätzung nach dem Stufenplan Smarte Städte und Regionen."""
    RUN.quiet = False  # before the command's own options are read; a test runs many commands in a row


def main() -> None:
    """Entry point of the ``stufenplan`` command: any encoding of stdout/stderr, quiet on a closed pipe."""
    from stufenplan_cli.cli import interrupts

    install()
    interrupts.install()
    try:
        with quiet_on_closed_pipe():
            app()
    finally:
        interrupts.quiet()
        # The run is over: spare the interpreter's last garbage collections over every object of typer,
        # rich and pydantic (about 40 ms of a one-sheet `score`). Files are closed and written by now.
        gc.freeze()
