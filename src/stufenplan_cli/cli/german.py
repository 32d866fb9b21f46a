"""German help screens and usage errors: typer's command classes with German wording, reflowed help and metavars.

Why here and not as a gettext catalog: typer 0.29 vendors click (``typer._click``) with its strings hard-coded in
f-strings ("Usage: ", "Missing argument", "No such option", …); only a few of typer's own strings pass through
``gettext``, and those that matter (panel titles, "[default: …]") are module constants of ``typer.rich_utils``
computed once at its import, from the language in the user's environment. So: ``GermanGroup`` and ``GermanCommand`` (the
classes ``app.py`` hands to typer) write the usage line, the help option and the metavars themselves, turn every
usage error into a German one by its kind and data (not by its English text, where the data is there), and set the
German texts of ``typer.rich_utils`` just before it prints help or an error. ``typer.rich_utils`` pulls in rich's
Markdown and tables, so it is imported only then, never at start-up.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Iterator, Sequence
from difflib import get_close_matches
from typing import IO, Any

from typer import _click
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort

from stufenplan_cli.cli.common import help_hint, user_errors

USAGE = "Aufruf: "
OPTIONS_METAVAR = "[OPTIONEN]"
SUBCOMMAND_METAVAR = "BEFEHL [ARGUMENTE]..."
HELP_OPTION_HELP = "Diese Hilfe anzeigen und beenden."

#: The texts of ``typer.rich_utils`` (module constants there), in German.
RICH_TEXTS = {
    "DEPRECATED_STRING": "(veraltet) ",
    "DEFAULT_STRING": "[Standard: {}]",
    "ENVVAR_STRING": "[Umgebungsvariable: {}]",
    "REQUIRED_LONG_STRING": "[Pflicht]",
    "ARGUMENTS_PANEL_TITLE": "Argumente",
    "OPTIONS_PANEL_TITLE": "Optionen",
    "COMMANDS_PANEL_TITLE": "Befehle",
    "ERRORS_PANEL_TITLE": "Fehler",
    "ABORTED_TEXT": "Abgebrochen.",
    "RICH_HELP": "Hilfe: [blue]{command_path} {help_option}[/]",
}

#: Metavars for parameters that do not name one, by the kind of value typer sees.
TYPE_METAVARS = {"int": "ZAHL", "float": "ZAHL", "str": "TEXT", "datetime": "DATUM"}
PATH_METAVARS = {"file": "DATEI", "dir": "VERZ", "path": "PFAD"}

#: Messages that click and typer raise as plain English text, with the German for each.
MESSAGES: list[tuple[str, str]] = [  # patterns compiled on first use: none at start-up
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>\S+)\)", "Überzähliges Argument: {args}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", "Überzählige Argumente: {args}"),
    (r"Option '(?P<opt>[^']*)' requires an argument\.", "Option {opt} braucht einen Wert."),
    (
        r"Option '(?P<opt>[^']*)' requires (?P<n>\d+) arguments\.",
        "Option {opt} braucht {n} Werte.",
    ),
    (r"Option '(?P<opt>[^']*)' does not take a value\.", "Option {opt} nimmt keinen Wert."),
    (r"Argument '(?P<arg>[^']*)' takes (?P<n>\d+) values\.", "Argument {arg} braucht {n} Werte."),
    (r"Missing command\.", "Befehl fehlt."),
    (r"No such command '(?P<name>.*)'\.", "Unbekannter Befehl '{name}'."),
    (
        r"(?P<kind>file|dir|path) (?P<name>'.*') does not exist\.",
        "{kind} {name} existiert nicht.",
    ),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') is a file\.", "{kind} {name} ist eine Datei."),
    (
        r"(?P<kind>file|dir|path) (?P<name>'.*') is a directory\.",
        "{kind} {name} ist ein Verzeichnis.",
    ),
    (
        r"(?P<kind>file|dir|path) (?P<name>'.*') is not readable\.",
        "{kind} {name} ist nicht lesbar.",
    ),
    (
        r"(?P<kind>file|dir|path) (?P<name>'.*') is not writable\.",
        "{kind} {name} ist nicht beschreibbar.",
    ),
    (r"Value (?P<value>.*) is not a valid (?P<type>\w+)\.", "{value} ist kein gültiger Wert."),
]
KINDS = {"file": "Datei", "dir": "Verzeichnis", "path": "Pfad"}

#: Pydantic's error types (typer checks values with pydantic) and what they mean for a command line value.
VALUE_PROBLEMS = {
    "int_parsing": "Erwartet wird eine ganze Zahl.",
    "int_from_float": "Erwartet wird eine ganze Zahl.",
    "float_parsing": "Erwartet wird eine Zahl.",
    "bool_parsing": "Erwartet wird ja oder nein (true/false).",
    "greater_than_equal": "Der Wert muss mindestens {ge} sein.",
    "greater_than": "Der Wert muss größer als {gt} sein.",
    "less_than_equal": "Der Wert darf höchstens {le} sein.",
    "less_than": "Der Wert muss kleiner als {lt} sein.",
    "datetime_from_date_parsing": "Erwartet wird ein Datum (JJJJ-MM-TT).",
    "date_parsing": "Erwartet wird ein Datum (JJJJ-MM-TT).",
    "path_type": "Erwartet wird ein Pfad.",
}


def reflow(text: str | None) -> str | None:
    """A docstring's paragraphs as one line each, so the help wraps them to the terminal, not to the source.

    Paragraphs are separated by blank lines. Inside one, an indented line keeps its own line (for the
    examples: one command per line, shown without the indent); a paragraph starting with click's ``\\b``
    is kept as written.
    """
    if text is None:
        return None
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            paragraphs.append(paragraph.lstrip("\b\n"))
            continue
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not line[:1].isspace():
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


class GermanArgument(TyperArgument):
    """An argument as the usage line and the help show it: its metavar, no type next to it."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        return None  # the name column shows the metavar already


class GermanOption(TyperOption):
    """An option as the help shows it: nothing for a flag, else a metavar saying what value it takes."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        return default_metavar(self, ctx)

    def _get_number_range_help_str(self) -> str | None:
        return number_range(self.min, self.max)


def number_range(low: float | None, high: float | None) -> str | None:
    """``ab 1``, ``bis 9`` or ``1 bis 9`` for the help of a number option with limits."""
    if low is None and high is None:
        return None
    if high is None:
        return f"ab {low}"
    if low is None:
        return f"bis {high}"
    return f"{low} bis {high}"


def _choice_names(param: TyperArgument | TyperOption, ctx: _click.Context | None) -> list[str]:
    from typer._param_types import normalize_choice_value

    desc = param.type_descriptor
    return [normalize_choice_value(c, desc.case_sensitive, ctx) for c in desc.choices or ()]


def default_metavar(param: TyperArgument | TyperOption, ctx: _click.Context | None) -> str:
    """What value a parameter without its own metavar takes: its name for choices, DATEI/VERZ/PFAD, ZAHL, TEXT."""
    desc = param.type_descriptor
    if desc.is_choice and param.name:
        return param.name.upper()
    if desc.is_path:
        return PATH_METAVARS.get(desc.path_type, "PFAD")
    annotation: Any = desc.annotation
    if desc.is_list:
        from typing import get_args

        annotation = (get_args(annotation) or (str,))[0]
    name = getattr(annotation, "__name__", "")
    if name in {"Path", "PurePath"}:
        return PATH_METAVARS.get(desc.path_type, "PFAD")
    return TYPE_METAVARS.get(name, "WERT")


def tidy(param: _click.Parameter) -> None:
    """Give typer's parameter our display (the classes only add methods, so switching them is safe).

    An argument without a metavar shows its name in capitals. Cheap: it runs for every parameter at start-up.
    """
    if type(param) is TyperOption:
        param.__class__ = GermanOption
    elif type(param) is TyperArgument:
        param.__class__ = GermanArgument
        if param.metavar is None:
            param.metavar = param.name.upper() if param.name else "ARGUMENT"
            if param.nargs != 1:
                param.metavar += "..."


def explain_choices(param: _click.Parameter) -> None:
    """Name a parameter's choices in its help ("Möglich: md, html, json") unless it does already.

    So the metavar column stays narrow. Run when the help is shown: finding the choices costs time.
    """
    if not isinstance(param, TyperOption | TyperArgument) or not param.type_descriptor.is_choice:
        return
    names = _choice_names(param, None)
    help_text = param.help or ""
    if not all(name in help_text for name in names):
        param.help = f"{help_text} Möglich: {', '.join(names)}.".strip()


def install_rich_texts() -> None:
    """Set typer.rich_utils' texts to German; called just before it prints help or an error."""
    from typer import rich_utils

    for name, text in RICH_TEXTS.items():
        setattr(rich_utils, name, text)
    if type(rich_utils.highlighter) is rich_utils.OptionHighlighter:

        class Highlighter(rich_utils.OptionHighlighter):
            """typer's highlighter, colouring our usage prefix as it does its own."""

            highlights = [*rich_utils.OptionHighlighter.highlights, r"(?P<usage>Aufruf: )"]  # noqa: RUF012

        rich_utils.highlighter = Highlighter()


class GermanUsageError(UsageError):
    """A usage error whose message is already German (exit code 2)."""

    def show(self, file: IO[Any] | None = None) -> None:
        """The plain (non-rich) display, in German too."""
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            hint = help_hint(self.ctx)
            if hint and self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(hint)
        lines.append(f"Fehler: {self.format_message()}")
        _click.echo("\n".join(lines), file=file, err=file is None)


class GermanError(ClickException):
    """Any other error typer shows (a file it could not open), in German (exit code 1)."""

    def show(self, file: IO[Any] | None = None) -> None:
        _click.echo(f"Fehler: {self.format_message()}", file=file, err=file is None)


def _quoted_list(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} oder {names[-1]}"


def _param_name(param: _click.Parameter | None, hint: Sequence[str] | str | None) -> str:
    if hint is not None:
        return hint if isinstance(hint, str) else " / ".join(hint)
    if isinstance(param, TyperOption):
        return next((o for o in param.opts if o.startswith("--")), param.opts[0] if param.opts else "")
    if isinstance(param, TyperArgument):
        return param.display_name_raw
    return "?"


def translate_text(message: str) -> str:
    """The German for one of click's plain English messages; our own (German) messages come back as they are."""
    for pattern, german in MESSAGES:
        found = re.fullmatch(pattern, message.strip())
        if found:
            parts = found.groupdict()
            if "kind" in parts:
                parts["kind"] = KINDS[parts["kind"]]
            return german.format(**parts)
    return message


def _value_problem(exc: BadParameter) -> str:
    """Why a value was refused: the allowed choices, a limit, the expected type (or the message as given)."""
    param = exc.param
    value: Any = None
    problem = None
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        first = (errors() or [{}])[0]
        value = first.get("input")
        template = VALUE_PROBLEMS.get(first.get("type", ""))
        if template is not None:
            problem = template.format(**(first.get("ctx") or {}))
    if isinstance(param, TyperArgument | TyperOption) and param.type_descriptor.is_choice:
        names = _choice_names(param, exc.ctx)
        return (
            f"{value!r}. Möglich: {', '.join(names)}."
            if value is not None
            else f"Möglich: {', '.join(names)}."
        )
    if problem is not None:
        shown = value if isinstance(value, int | float) else repr(value)
        return f"{shown}. {problem}"
    return translate_text(exc.message)


def translate(exc: ClickException, ctx: _click.Context | None = None) -> ClickException:
    """The German error for one of typer's: by its kind and data where it has them, else by its text.

    ``ctx`` is the command's context for errors raised without one (the parser's), so that they too show
    the usage line and where to find help.
    """
    if isinstance(exc, GermanUsageError | GermanError | NoArgsIsHelpError):
        if isinstance(exc, UsageError) and exc.ctx is None and ctx is not None:
            exc.ctx, exc.cmd = ctx, ctx.command
        return exc
    if isinstance(exc, MissingParameter):
        name = _param_name(exc.param, exc.param_hint)
        kind = (
            "Argument" if isinstance(exc.param, TyperArgument) or exc.param_type == "argument" else "Option"
        )
        text = f"{kind} {name} fehlt."
        if isinstance(exc.param, TyperArgument | TyperOption) and exc.param.type_descriptor.is_choice:
            text += f" Möglich: {', '.join(_choice_names(exc.param, exc.ctx))}."
    elif isinstance(exc, NoSuchOption):
        text = f"Unbekannte Option {exc.option_name}."
        if exc.possibilities:
            text += f" Meinten Sie {_quoted_list(exc.possibilities)}?"
    elif isinstance(exc, BadParameter):
        text = f"Ungültiger Wert für {_param_name(exc.param, exc.param_hint)}: {_value_problem(exc)}"
    elif isinstance(exc, UsageError):
        text = translate_text(exc.message)
    else:
        return GermanError(translate_text(exc.format_message()))
    german = GermanUsageError(text, ctx=exc.ctx or ctx)
    german.exit_code = exc.exit_code
    return german


@contextlib.contextmanager
def in_german(ctx: _click.Context | None = None) -> Iterator[None]:
    """Raise typer's usage errors as German ones, with typer's error display set to German."""
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except ClickException as exc:
        install_rich_texts()
        raise translate(exc, ctx) from None
    except Abort:
        install_rich_texts()
        raise


class GermanWording(_click.Command):
    """What ``GermanCommand`` and ``GermanGroup`` share: usage line, help option, reflowed help, German errors."""

    def _germanise(self) -> None:
        self.help = reflow(self.help)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR
        for param in self.params:
            tidy(param)

    def get_help_option(self, ctx: _click.Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None and option.help != HELP_OPTION_HELP:
            tidy(option)
            option.help = HELP_OPTION_HELP
        return option

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        install_rich_texts()
        for param in self.params:
            explain_choices(param)
        super().format_help(ctx, formatter)

    def make_context(
        self, info_name: str | None, args: list[str], parent: _click.Context | None = None, **extra: Any
    ) -> _click.Context:
        with in_german():
            return super().make_context(info_name, args, parent, **extra)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        with in_german(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        with in_german(), user_errors(ctx):
            return super().invoke(ctx)


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

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0] if args else ""
        if (
            name
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
            and not ctx.resilient_parsing
        ):
            text = f"Unbekannter Befehl '{name}'."
            close = get_close_matches(name, list(self.commands))
            if close:
                text += f" Meinten Sie {_quoted_list(close)}?"
            raise GermanUsageError(text, ctx=ctx)
        return super().resolve_command(ctx, args)
