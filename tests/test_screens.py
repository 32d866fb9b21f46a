"""Golden screens: every help screen and the common usage errors, compared exactly with the German we ship.

A typer or click update that changes a word, a panel or a line break of a German screen fails here loudly,
with a diff. After a deliberate change: ``UPDATE_GOLDEN=1 python -m pytest tests/test_screens.py``, then read
``git diff tests/golden/screens/``.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from tests.conftest import ROOT

SCREENS = Path(__file__).parent / "golden" / "screens"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
GROUP = get_command(app)
COMMANDS = GROUP.list_commands(typer.Context(GROUP))  # type: ignore[attr-defined]  # a new command needs its screen

#: name of the golden file -> command line. The sheet is never read: each of these fails before.
CASES: dict[str, list[str]] = {
    "help": ["-h"],
    "no-arguments": [],
    **{f"help-{name}": [name, "--help"] for name in COMMANDS},
    "error-unknown-option": ["score", "--bla", "bogen.yaml"],
    "error-unknown-option-close": ["score", "--formt", "table", "bogen.yaml"],
    "error-missing-argument": ["score"],
    "error-missing-option": ["merge", "bogen.yaml"],
    "error-option-needs-value": ["score", "bogen.yaml", "--format"],
    "error-bad-choice": ["score", "--format", "nope", "bogen.yaml"],
    "error-bad-choice-argument": ["schema", "antworten"],
    "error-bad-int": ["score", "--workers", "viele", "bogen.yaml"],
    "error-int-too-small": ["score", "--workers", "0", "bogen.yaml"],
    "error-extra-argument": ["schema", "answers", "zuviel"],
    "error-unknown-command": ["nope"],
    "error-unknown-command-close": ["scor", "bogen.yaml"],
    "error-our-usage": ["score", "--format", "xlsx", "bogen.yaml"],
    "error-our-bad-format": ["report", "bogen.yaml", "--format", "odt"],
    "error-missing-directory": ["report", "bogen.yaml", "--template-dir", "/gibt/es/nicht"],
}


def screen(args: list[str]) -> str:
    """What a user sees at 80 columns (stdout and stderr as they interleave), then the exit code."""
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80", "TERMINAL_WIDTH": None, "NO_COLOR": "1"})
    return f"{ANSI.sub('', result.output)}[exit {result.exit_code}]\n"


def plain_screen(args: list[str]) -> str:
    """The same without rich (``TYPER_USE_RICH=0``): click's plain display, in a fresh interpreter."""
    env = {**os.environ, "TYPER_USE_RICH": "0", "COLUMNS": "80", "PYTHONPATH": str(ROOT / "src")}
    code = "import sys; from stufenplan_cli.cli.app import app; sys.argv[0] = 'stufenplan'; app()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    return f"{done.stdout}{done.stderr}[exit {done.returncode}]\n"


def compare(name: str, actual: str) -> None:
    path = SCREENS / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path), "now"
            )
        )
        pytest.fail(f"the German screen {name!r} changed (typer/click update?):\n{diff}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_screen_is_unchanged(name: str) -> None:
    compare(name, screen(CASES[name]))


@pytest.mark.parametrize("name", ["error-unknown-option", "error-bad-choice", "error-missing-argument"])
def test_plain_screen_is_unchanged(name: str) -> None:
    compare(f"plain-{name}", plain_screen(CASES[name]))


def test_the_typer_settings_we_set_still_exist() -> None:
    """Setting a text typer renamed would silently do nothing: name the renamed one instead."""
    from typer import rich_utils

    from stufenplan_cli.cli.wording import RICH_TEXTS

    assert [name for name in RICH_TEXTS if not hasattr(rich_utils, name)] == []
    assert isinstance(rich_utils.highlighter, rich_utils.OptionHighlighter)
