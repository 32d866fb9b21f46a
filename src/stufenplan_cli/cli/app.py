"""The typer app: global options and the list of commands. Each command lives in its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from stufenplan_cli import __version__
from stufenplan_cli.cli import (
    assess_cmd,
    catalog_cmds,
    compare_cmd,
    merge_cmd,
    report_cmd,
    score_cmd,
    template_cmd,
    validate_cmd,
)
from stufenplan_cli.cli.common import RUN
from stufenplan_cli.cli.german import GermanCommand, GermanGroup
from stufenplan_cli.cli.streams import install, quiet_on_closed_pipe

app = typer.Typer(
    name="stufenplan",
    cls=GermanGroup,
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


# cls=GermanCommand: German help and usage errors; docstring paragraphs reflow to the terminal, indented
# lines (the examples) keep a line each.
app.command("questionnaires", cls=GermanCommand)(catalog_cmds.questionnaires)
app.command("show", cls=GermanCommand)(catalog_cmds.show)
app.command("schema", cls=GermanCommand)(catalog_cmds.schema)
app.command("validate", cls=GermanCommand)(validate_cmd.validate)
app.command("template", cls=GermanCommand)(template_cmd.template)
app.command("score", cls=GermanCommand)(score_cmd.score)
app.command("assess", cls=GermanCommand)(assess_cmd.assess)
app.command("report", cls=GermanCommand)(report_cmd.report)
app.command("merge", cls=GermanCommand)(merge_cmd.merge)
app.command("compare", cls=GermanCommand)(compare_cmd.compare)


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
