"""The German words of the command line: help texts of typer, metavars, choices, and click's usage errors.

typer 0.29 vendors click with its messages hard-coded in English f-strings (no ``gettext`` there); only
typer's own panel titles and "[default: …]" pass through ``gettext``, as module constants of
``typer.rich_utils`` computed once at its import. So: those constants are set to German (``RICH_TEXTS``,
public settings of typer), and click's usage errors are translated by their kind and data, not by their
English text where the data is there. A typer update that changes any of it fails the golden screens
(``tests/test_screens.py``). Nothing here imports typer's private modules (``typer._*``).
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer.rich_utils import OptionHighlighter

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

#: Messages that click and typer raise as plain English text, with the German for each.
MESSAGES: list[tuple[str, str]] = [  # patterns compiled on first use: none at start-up
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>\S+)\)", "Überzähliges Argument: {args}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", "Überzählige Argumente: {args}"),
    (r"Option '(?P<opt>[^']*)' requires an argument\.", "Option {opt} braucht einen Wert."),
    (r"Option '(?P<opt>[^']*)' requires (?P<n>\d+) arguments\.", "Option {opt} braucht {n} Werte."),
    (r"Option '(?P<opt>[^']*)' does not take a value\.", "Option {opt} nimmt keinen Wert."),
    (r"Argument '(?P<arg>[^']*)' takes (?P<n>\d+) values\.", "Argument {arg} braucht {n} Werte."),
    (r"Missing command\.", "Befehl fehlt."),
    (r"No such command '(?P<name>.*)'\.", "Unbekannter Befehl '{name}'."),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') does not exist\.", "{kind} {name} existiert nicht."),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') is a file\.", "{kind} {name} ist eine Datei."),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') is a directory\.", "{kind} {name} ist ein Verzeichnis."),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') is not readable\.", "{kind} {name} ist nicht lesbar."),
    (r"(?P<kind>file|dir|path) (?P<name>'.*') is not writable\.", "{kind} {name} ist nicht beschreibbar."),
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


def number_range(low: float | None, high: float | None) -> str | None:
    """``ab 1``, ``bis 9`` or ``1 bis 9`` for the help of a number option with limits."""
    if low is None and high is None:
        return None
    if high is None:
        return f"ab {low}"
    if low is None:
        return f"bis {high}"
    return f"{low} bis {high}"


def option_metavar(param: Any) -> str | None:
    """What value an option takes, as its help shows it: nothing for a flag, else its metavar.

    Every option of ours names its metavar (a test checks it); the capitalised name is the fallback.
    """
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    return str(param.metavar or (param.name or "WERT").upper())


def _enum_in(hint: Any) -> type[Enum] | None:
    """The Enum inside ``Annotated[X | None, …]`` or ``list[X]``, if there is one."""
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    for inner in typing.get_args(hint):
        found = _enum_in(inner)
        if found is not None:
            return found
    return None


@functools.cache
def _choices_of(callback: Any) -> dict[str, list[str]]:
    try:
        hints = typing.get_type_hints(inspect.unwrap(callback), include_extras=True)
    except (NameError, TypeError):
        return {}
    enums = {name: _enum_in(hint) for name, hint in hints.items()}
    return {name: [str(member.value) for member in enum] for name, enum in enums.items() if enum is not None}


def choice_names(command: Any, param: Any) -> list[str]:
    """The values a parameter allows, read from the Enum in our command function's signature ([] if none)."""
    callback = getattr(command, "callback", None)
    if callback is None or param is None:
        return []
    return _choices_of(callback).get(param.name or "", [])


def quoted_list(names: Sequence[str]) -> str:
    """``a``, ``a oder b``, ``a, b oder c``."""
    names = list(names)
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} oder {names[-1]}"


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


@functools.cache
def usage_highlighter() -> OptionHighlighter:
    """typer's highlighter for help and errors, colouring our usage prefix as it does its own."""
    from typer import rich_utils

    class Highlighter(rich_utils.OptionHighlighter):
        highlights = [*rich_utils.OptionHighlighter.highlights, r"(?P<usage>Aufruf: )"]  # noqa: RUF012

    return Highlighter()


def install_rich_texts() -> None:
    """Set typer.rich_utils' texts to German; called just before it prints help or an error."""
    from typer import rich_utils

    for name, text in RICH_TEXTS.items():
        setattr(rich_utils, name, text)
    rich_utils.highlighter = usage_highlighter()
