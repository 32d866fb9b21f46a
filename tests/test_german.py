"""Help screens and usage errors: German wording, paragraphs wrapped to the terminal, exit code 2 for wrong usage."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys

import pytest
import typer
from rich.text import Text
from typer.main import get_command
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.cli.german import GermanCommand, GermanGroup, in_german
from stufenplan_cli.cli.wording import reflow, translate_text
from tests.conftest import DATA, ROOT

runner = CliRunner()
GROUP = get_command(app)
CONTEXT = typer.Context(GROUP)
COMMANDS = sorted(GROUP.list_commands(CONTEXT))  # type: ignore[attr-defined]
COMMAND = {name: GROUP.get_command(CONTEXT, name) for name in COMMANDS}  # type: ignore[attr-defined]
SHEET = str(DATA / "mini-sheet.yaml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: What click and typer say in English; none of it may reach a user.
ENGLISH = (
    "Usage:",
    "Try '",
    "for help",
    "Error",
    "Arguments",
    "Options",
    "Commands",
    "[required]",
    "[default",
    "Show this message",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "No such",
    "Did you mean",
    "Invalid value",
    "is not one of",
    "Input should",
    "does not exist",
    "Got unexpected",
    "requires an argument",
    "Aborted",
    "<bool>",
    "<list",
    "<path>",
    "<int",
    "<str",
)


def run(args: list[str], width: int = 80) -> tuple[int, str]:
    result = runner.invoke(app, args, env={"COLUMNS": str(width), "TERMINAL_WIDTH": None})
    return result.exit_code, "\n".join(line.rstrip() for line in ANSI.sub("", result.output).splitlines())


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def test_every_command_is_registered_with_the_german_class() -> None:
    """``app.command("name", cls=GermanCommand)``: without it a new command's help would be English."""
    assert isinstance(GROUP, GermanGroup)
    assert [name for name, command in COMMAND.items() if not isinstance(command, GermanCommand)] == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score"], "Argument BOGEN... fehlt."),
        (["nope"], "Unbekannter Befehl 'nope'."),
        (["scor", SHEET], "Unbekannter Befehl 'scor'. Meinten Sie score?"),
        (["score", "--bla", SHEET], "Unbekannte Option --bla."),
        (["score", "--formt", SHEET], "Unbekannte Option --formt. Meinten Sie --format oder --force?"),
        (
            ["score", "--format", "nope", SHEET],
            "Ungültiger Wert für --format: 'nope'. Möglich: table, json, csv, xlsx.",
        ),
        (["score", "-f", "nope", SHEET], "Ungültiger Wert für --format: 'nope'."),
        (
            ["score", "--workers", "0", SHEET],
            "Ungültiger Wert für --workers: '0'. Der Wert muss mindestens 1 sein.",
        ),
        (
            ["score", "--workers", "viele", SHEET],
            "Ungültiger Wert für --workers: 'viele'. Erwartet wird eine ganze Zahl.",
        ),
        ([SHEET], f"Unbekannter Befehl '{SHEET}'."),
        (["merge", SHEET], "Option --output fehlt."),
        (["score", SHEET, "--format"], "Option --format braucht einen Wert."),
        (["schema", "answers", "zuviel"], "Überzähliges Argument: zuviel"),
        (["schema", "answers", "zu", "viel"], "Überzählige Argumente: zu viel"),
        (["schema", "antworten"], "Ungültiger Wert für ART: 'antworten'. Möglich: questionnaire, answers."),
        (
            ["report", SHEET, "--template-dir", "/gibt/es/nicht"],
            "Verzeichnis '/gibt/es/nicht' existiert nicht.",
        ),
        (["--bla"], "Unbekannte Option --bla."),
    ],
)
def test_wrong_usage_is_explained_in_german_and_exits_2(args: list[str], message: str) -> None:
    code, output = run(args, width=200)
    assert code == 2, output
    assert message in output
    command = "stufenplan" if args[0].startswith("-") or args[0] not in COMMANDS else f"stufenplan {args[0]}"
    assert f"Aufruf: {command} [OPTIONEN]" in output
    assert f"Hilfe: {command} -h" in output
    assert "Fehler" in output
    assert english_in(output) == []


def test_the_usage_line_names_arguments_once_and_plainly() -> None:
    _, output = run(["score"])
    assert "Aufruf: stufenplan score [OPTIONEN] BOGEN...\n" in output
    _, output = run(["template", "-h"])
    assert " Aufruf: stufenplan template [OPTIONEN] [ID_ODER_DATEI]\n" in output
    _, output = run(["nope"])
    assert "Aufruf: stufenplan [OPTIONEN] BEFEHL [ARGUMENTE]...\n" in output


@pytest.mark.parametrize("command", [[], *[[name] for name in COMMANDS]])
def test_help_is_german_and_fits_80_columns(command: list[str]) -> None:
    code, output = run([*command, "-h"])
    assert code == 0
    assert english_in(output) == []
    assert "Aufruf: stufenplan" in output
    assert "Optionen" in output and re.search(r"Diese Hilfe anzeigen und\W+beenden\.", output)
    assert max(len(line) for line in output.splitlines()) <= 80
    assert not re.search(r"\w…", output)  # nothing cut off in a narrow column
    if command:
        assert "Beispiel" in output
        assert "\n Beispiel:\n" in output or "\n Beispiele:\n" in output
    else:
        assert "Befehle" in output


def test_no_arguments_shows_the_german_overview() -> None:
    code, output = run([])
    assert code == 2  # as click does: no command is wrong usage, but the help is what helps
    assert "Befehle" in output and "score" in output and english_in(output) == []


def _docstring(name: str) -> str:
    callback = COMMAND[name].callback  # type: ignore[attr-defined]
    return inspect.getdoc(inspect.unwrap(callback)) or ""


def _plain(markup: str) -> str:
    return Text.from_markup(markup).plain


@pytest.mark.parametrize("command", COMMANDS)
def test_help_paragraphs_are_not_broken_where_the_source_breaks_them(command: str) -> None:
    """On a wide terminal every paragraph of the docstring is one line: the source's line breaks are gone."""
    _, output = run([command, "-h"], width=2000)
    lines = [line.strip() for line in output.splitlines()]
    paragraphs = [p for p in _docstring(command).split("\n\n") if not p.startswith("Beispiel")]
    assert paragraphs
    for paragraph in paragraphs:
        one_line = _plain(" ".join(line.strip() for line in paragraph.splitlines()))
        assert one_line in lines, f"{command}: paragraph broken up: {one_line[:60]}…"


@pytest.mark.parametrize("command", COMMANDS)
def test_examples_stay_one_command_per_line_at_80_columns(command: str) -> None:
    _, output = run([command, "-h"], width=80)
    lines = [line.strip() for line in output.splitlines()]
    examples = [_plain(line.strip()) for line in _docstring(command).splitlines() if line.startswith("    ")]
    assert examples and all(e.startswith("stufenplan ") for e in examples)
    for example in examples:
        assert example in lines, f"{command}: example not on a line of its own: {example}"


@pytest.mark.parametrize("command", ["score", "report", "template", "compare", "merge", "schema"])
def test_flags_take_no_value_in_the_help(command: str) -> None:
    _, output = run([command, "-h"], width=120)
    assert re.search(r"--force +Vorhandene", output), output


def test_options_show_what_value_they_take() -> None:
    _, output = run(["score", "-h"], width=120)
    assert re.search(r"--questionnaire +-Q +ID_ODER_DATEI ", output)
    assert re.search(r"--output +-o +DATEI ", output)
    assert re.search(r"--workers +ANZAHL \[ab 1\] ", output)
    assert re.search(r"--questionnaires-dir +VERZ ", output)
    assert re.search(r"--format +-f +FORMAT +Ausgabeformat .*Möglich: table, json, csv, xlsx\.", output)
    assert "[Standard: table]" in output
    assert re.search(r"\* +BOGEN\.\.\. +Antwortbögen, Verzeichnisse oder Muster\. \[Pflicht\]", output)


def test_reflow_joins_lines_of_a_paragraph_and_keeps_indented_lines() -> None:
    doc = """Erste Zeile
    geht weiter.

    Zweiter Absatz,
    zwei Zeilen.

    Beispiele:
        stufenplan a
        stufenplan b
    """
    assert reflow(doc) == (
        "Erste Zeile geht weiter.\n\nZweiter Absatz, zwei Zeilen.\n\nBeispiele:\nstufenplan a\nstufenplan b"
    )
    assert reflow("\b\nbleibt\nso") == "bleibt\nso"
    assert reflow(None) is None


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("Got unexpected extra argument (a)", "Überzähliges Argument: a"),
        ("Got unexpected extra argument(s) (a b)", "Überzählige Argumente: a b"),
        ("Option '--x' requires 2 arguments.", "Option --x braucht 2 Werte."),
        ("Option '--x' does not take a value.", "Option --x nimmt keinen Wert."),
        ("Argument 'y' takes 2 values.", "Argument y braucht 2 Werte."),
        ("Missing command.", "Befehl fehlt."),
        ("file 'a.yaml' is a directory.", "Datei 'a.yaml' ist ein Verzeichnis."),
        ("dir 'x' is a file.", "Verzeichnis 'x' ist eine Datei."),
        ("path 'x' is not readable.", "Pfad 'x' ist nicht lesbar."),
        ("'docx' ist kein Berichtsformat", "'docx' ist kein Berichtsformat"),  # ours: as it is
    ],
)
def test_plain_english_messages_have_their_german(english: str, german: str) -> None:
    assert translate_text(english) == german


def test_an_abort_is_announced_in_german() -> None:
    from typer import rich_utils
    from typer.exceptions import Abort

    with pytest.raises(Abort), in_german():
        raise Abort()
    assert rich_utils.ABORTED_TEXT == "Abgebrochen."


def test_without_rich_the_errors_are_german_too() -> None:
    env = {**os.environ, "TYPER_USE_RICH": "0", "PYTHONPATH": str(ROOT / "src")}
    code = "import sys; from stufenplan_cli.cli.app import app; sys.argv[0] = 'stufenplan'; app()"
    done = subprocess.run(
        [sys.executable, "-c", code, "score", "--bla", SHEET],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Aufruf: stufenplan score [OPTIONEN] BOGEN...",
        "Hilfe: stufenplan score -h",
        "Fehler: Unbekannte Option --bla.",
    ]


def test_our_own_usage_errors_point_to_the_help_too() -> None:
    code, output = run(["score", "--format", "xlsx", SHEET])
    assert code == 2
    assert output.splitlines() == [
        "Fehler: --format xlsx schreibt eine Datei: bitte --output DATEI.xlsx angeben",
        "Hilfe: stufenplan score -h",
    ]
    code, output = run(["report", SHEET, "--format", "odt"], width=200)
    assert code == 2
    assert output.splitlines() == [
        "Fehler: Ungültiger Wert für --format: 'odt' ist kein Berichtsformat; möglich: md, html, pdf, json, docx",
        "Hilfe: stufenplan report -h",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals need POSIX")
@pytest.mark.parametrize("args", [["score", "-h"], ["score", "--workers", "0", SHEET]])
def test_in_a_real_80_column_terminal(args: list[str]) -> None:
    """Rich measures a real terminal itself (no COLUMNS): the screen must still be German and fit."""
    import pexpect

    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TERMINAL_WIDTH")}
    environment.update({"NO_COLOR": "1", "TERM": "xterm-256color", "PYTHONPATH": str(ROOT / "src")})
    child = pexpect.spawn(
        sys.executable,
        [
            "-c",
            "import sys; from stufenplan_cli.cli.app import app; sys.argv[0] = 'stufenplan'; app()",
            *args,
        ],
        env=environment,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=20,
    )
    screen = child.read()
    child.close()
    lines = [
        line.rstrip() for line in re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", screen).replace("\r", "").split("\n")
    ]
    plain = "\n".join(lines)
    assert child.exitstatus == (0 if "-h" in args else 2)
    assert english_in(plain) == []
    assert "Aufruf: stufenplan score [OPTIONEN] BOGEN..." in plain
    assert max(len(line) for line in lines) <= 80
    if "-h" in args:
        assert "stufenplan score workshops/ --format xlsx -o ergebnisse.xlsx" in [
            line.strip() for line in lines
        ]
    else:
        assert "Der Wert muss mindestens 1 sein." in plain


def test_every_option_that_takes_a_value_names_it() -> None:
    """The help shows an option's metavar (DATEI, VERZ, FORMAT …); without one it would show its bare name."""
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in COMMAND.items()
        for param in command.params
        if param.param_type_name == "option" and not param.is_flag and param.metavar is None
    ]
    assert missing == []


def test_the_choices_come_from_the_enum_in_the_signature() -> None:
    from stufenplan_cli.cli.wording import choice_names

    score = COMMAND["score"]  # type: ignore[attr-defined]
    by_name = {p.name: p for p in score.params}
    assert choice_names(score, by_name["format"]) == ["table", "json", "csv", "xlsx"]
    assert choice_names(score, by_name["workers"]) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_list_shows_what_the_built_command_says(name: str) -> None:
    fresh = get_command(app)  # nothing built yet: the summary comes from the docstring
    summary = fresh.summary(typer.Context(fresh), name)  # type: ignore[attr-defined]
    built = COMMAND[name]
    assert summary == (built.short_help or built.help or "")  # type: ignore[union-attr]
    assert summary


def test_commands_are_built_when_used_not_for_the_list() -> None:
    group = get_command(app)
    context = typer.Context(group)
    assert all(group.summary(context, name) for name in COMMANDS)  # type: ignore[attr-defined]
    assert group.commands == {}  # type: ignore[attr-defined]
    assert group.get_command(context, "score") is group.get_command(context, "score")  # type: ignore[attr-defined]
    assert list(group.commands) == ["score"]  # type: ignore[attr-defined]
    assert group.summary(context, "nope") is None  # type: ignore[attr-defined]
