"""German help screens and usage errors, through typer's supported extension point: the command classes.

``app.py`` hands typer ``GermanGroup`` and ``GermanCommand`` (typer's ``cls=``). They override only click's
public methods: the usage line (``format_usage``, ``collect_usage_pieces``), the help option, the help screen
(``format_help``, drawn by ``cli/help_screen.py``), and parsing and invoking, where click's usage errors become
German ones (by their kind and data, ``cli/wording.py``) and our own errors meet the one boundary
(``cli/common.user_errors``). No parameter classes are swapped, no private method is overridden, nothing is
imported from ``typer._*``; typer's error classes are recognised by name, as typer itself does.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import Iterator
from difflib import get_close_matches
from typing import IO, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from stufenplan_cli.cli.common import err, help_hint, user_errors
from stufenplan_cli.cli.wording import (
    HELP_OPTION_HELP,
    OPTIONS_METAVAR,
    SUBCOMMAND_METAVAR,
    USAGE,
    VALUE_PROBLEMS,
    choice_names,
    install_rich_texts,
    quoted_list,
    reflow,
    translate_text,
)

#: click's context and help formatter; typer does not export them under public names.
Context = Any
Formatter = Any


class GermanUsageError(typer.BadParameter):
    """A usage error whose message is already German (exit code 2); typer shows it as its own."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        """The plain (non-rich) display, in German too."""
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            hint = help_hint(self.ctx)
            if hint and self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(hint)
        lines.append(f"Fehler: {self.format_message()}")
        typer.echo("\n".join(lines), file=file, err=file is None)


def kinds(exc: BaseException) -> set[str]:
    """The names of an error's classes: click's are not exported by typer, so we know them by name."""
    return {cls.__name__ for cls in type(exc).__mro__}


def usage_name(param: TyperArgument) -> str:
    """An argument in the usage line: its metavar, ``...`` when it takes many, ``[…]`` when optional."""
    name = param.metavar or (param.name or "ARGUMENT").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


def param_name(param: Any, hint: Any) -> str:
    """How an error names a parameter: the hint given, else the long option or the argument's metavar."""
    if hint is not None:
        return hint if isinstance(hint, str) else " / ".join(hint)
    if isinstance(param, TyperOption):
        return next((o for o in param.opts if o.startswith("--")), param.opts[0] if param.opts else "")
    if isinstance(param, TyperArgument):
        return str(param.metavar or param.name)
    return "?"


def value_problem(exc: Any) -> str:
    """Why a value was refused: the allowed choices, a limit, the expected type (or the message as given)."""
    value: Any = None
    problem = None
    errors = getattr(exc.__cause__, "errors", None)
    if callable(errors):
        first = (errors() or [{}])[0]
        value = first.get("input")
        template = VALUE_PROBLEMS.get(first.get("type", ""))
        if template is not None:
            problem = template.format(**(first.get("ctx") or {}))
    names = choice_names(exc.ctx.command if exc.ctx else None, exc.param)
    if names:
        allowed = f"Möglich: {', '.join(names)}."
        return f"{value!r}. {allowed}" if value is not None else allowed
    if problem is not None:
        shown = value if isinstance(value, int | float) else repr(value)
        return f"{shown}. {problem}"
    return translate_text(exc.message)


def german_text(exc: Any) -> str:
    """The German for one of click's usage errors, by its kind and data where it has them, else by its text."""
    kind = kinds(exc)
    if "MissingParameter" in kind:
        name = param_name(exc.param, exc.param_hint)
        what = (
            "Argument" if isinstance(exc.param, TyperArgument) or exc.param_type == "argument" else "Option"
        )
        text = f"{what} {name} fehlt."
        names = choice_names(exc.ctx.command if exc.ctx else None, exc.param)
        return f"{text} Möglich: {', '.join(names)}." if names else text
    if "NoSuchOption" in kind:
        text = f"Unbekannte Option {exc.option_name}."
        return f"{text} Meinten Sie {quoted_list(exc.possibilities)}?" if exc.possibilities else text
    if "BadParameter" in kind:
        return f"Ungültiger Wert für {param_name(exc.param, exc.param_hint)}: {value_problem(exc)}"
    return translate_text(exc.message)


@contextlib.contextmanager
def in_german(ctx: Context | None = None) -> Iterator[None]:
    """Raise click's usage errors as German ones, with typer's error display set to German.

    ``ctx`` is the command's context for errors raised without one (the parser's), so that they too show
    the usage line and where to find help.
    """
    try:
        yield
    except Exception as exc:
        kind = kinds(exc)
        if "ClickException" not in kind and "Abort" not in kind:
            raise
        install_rich_texts()
        if "NoArgsIsHelpError" in kind or "Abort" in kind:
            raise
        if isinstance(exc, GermanUsageError):
            if exc.ctx is None and ctx is not None:
                exc.ctx, exc.cmd = ctx, ctx.command
            raise
        if "UsageError" not in kind:  # a file typer could not open: not wrong usage
            err().print(f"Fehler: {translate_text(exc.format_message())}", markup=False)  # type: ignore[attr-defined]
            raise typer.Exit(getattr(exc, "exit_code", 1)) from None
        german = GermanUsageError(german_text(exc), ctx=getattr(exc, "ctx", None) or ctx)
        german.exit_code = getattr(exc, "exit_code", 2)
        raise german from None


COMPLETION_HELP = {
    "install_completion": "Tab-Ergänzung für die aktuelle Shell einrichten (bash, zsh, fish, PowerShell).",
    "show_completion": "Tab-Ergänzung für die aktuelle Shell anzeigen, zum Kopieren oder Anpassen.",
}


class GermanWording:
    """What ``GermanCommand`` and ``GermanGroup`` share: usage line, help option, help screen, German errors."""

    # the attributes and methods of click's Command this mix-in builds on
    help: str | None
    params: list[Any]
    options_metavar: str | None

    def _germanise(self) -> None:
        self.help = reflow(self.help)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def get_params(self, ctx: Context) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:  # typer's shell-completion options come with English help
            if param.name in COMPLETION_HELP:
                param.help = COMPLETION_HELP[param.name]
        return params

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(usage_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_usage(self, ctx: Context, formatter: Formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE)

    def format_help(self, ctx: Context, formatter: Formatter) -> None:
        from stufenplan_cli.cli.help_screen import print_help

        install_rich_texts()
        print_help(self, ctx)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context = None, **extra: Any
    ) -> Any:
        with in_german():
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        with in_german(ctx):
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]

    def invoke(self, ctx: Context) -> Any:
        with in_german(), user_errors(ctx):
            return super().invoke(ctx)  # type: ignore[misc]


class GermanCommand(GermanWording, TyperCommand):
    """A command with German help and usage errors, its help paragraphs reflowed to the terminal width."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._germanise()


class GermanGroup(GermanWording, TyperGroup):
    """The app's group of commands: German help and usage errors, "Meinten Sie …?" for a mistyped command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._germanise()
        if self.subcommand_metavar == "COMMAND [ARGS]...":
            self.subcommand_metavar = SUBCOMMAND_METAVAR

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), self.subcommand_metavar]

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else ""
        if (
            name
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
            and not ctx.resilient_parsing
        ):
            text = f"Unbekannter Befehl '{name}'."
            close = get_close_matches(name, self.list_commands(ctx))
            if close:
                text += f" Meinten Sie {quoted_list(close)}?"
            raise GermanUsageError(text, ctx=ctx)
        return super().resolve_command(ctx, args)

    def summary(self, ctx: Context, name: str) -> str | None:
        """The help text the command list shows for ``name``; None for no such or a hidden command."""
        command = self.get_command(ctx, name)
        if command is None or command.hidden:
            return None
        return command.short_help or command.help or ""


class CommandsOnDemand(GermanGroup):
    """A group whose commands are built when first used, from a table name -> (module, function) in ``cli``.

    Importing every command module and letting typer read every command's options costs more start-up
    time than the rest of ``--help``; a run needs one command, the command list only the docstrings.
    """

    table: dict[str, tuple[str, str]] = {}  # noqa: RUF012 - set by the subclass, read only

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.table, *(name for name in super().list_commands(ctx) if name not in self.table)]

    def get_command(self, ctx: Context, name: str) -> Any:
        if name not in self.commands and name in self.table:
            self.add_command(self._build(name), name)
        return super().get_command(ctx, name)

    def summary(self, ctx: Context, name: str) -> str | None:
        if name in self.commands or name not in self.table:
            return super().summary(ctx, name)
        return reflow(inspect.getdoc(self._callback(name))) or ""

    def _callback(self, name: str) -> Any:
        module, function = self.table[name]
        return getattr(importlib.import_module(f"stufenplan_cli.cli.{module}"), function)

    def _build(self, name: str) -> Any:
        one = typer.Typer(rich_markup_mode="rich", pretty_exceptions_show_locals=False, add_completion=False)
        one.command(name, cls=GermanCommand)(self._callback(name))
        return typer.main.get_command(one)
