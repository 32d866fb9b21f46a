"""The tool as a real process on other desks: a Windows code page, ``LANG=C``, pipes that close early.

These run ``python -m stufenplan_cli`` in a subprocess, because the encoding of standard output is
fixed when Python starts; typer's CliRunner cannot show it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "musterstadt.yaml")


def run(args: list[str], cwd: Path, encoding: str = "cp1252") -> subprocess.CompletedProcess[bytes]:
    """The command as on Windows with its output redirected to a file: cp1252, no UTF-8 locale."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE")
    }
    env.update(PYTHONIOENCODING=encoding, LANG="C", LC_ALL="C", PYTHONUTF8="0")
    return subprocess.run(
        [sys.executable, "-m", "stufenplan_cli", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


# Commands whose standard output is terminal text: decoration falls back, umlauts stay in the code page.
TERMINAL = [
    ["questionnaires"],
    ["show", "kurzcheck"],
    ["validate", EXAMPLE],
    ["score", EXAMPLE],
    ["score", EXAMPLE, "COPY.yaml"],  # the table of several sheets
    ["compare", EXAMPLE, EXAMPLE],
    ["--help"],
    ["score", "--help"],
]

# Commands whose standard output is a file's content: UTF-8 whatever the code page.
FILES = [
    ["template", "kurzcheck", "-m", "Gemeinde Süd"],
    ["score", EXAMPLE, "--format", "json"],
    ["score", EXAMPLE, "--format", "csv"],
    ["report", EXAMPLE],
    ["report", EXAMPLE, "--format", "json"],
    ["schema", "answers"],
    ["show", "kurzcheck", "--format", "json"],
    ["questionnaires", "--format", "json"],
]


@pytest.mark.parametrize("args", TERMINAL, ids=lambda a: " ".join(Path(x).name for x in a))
def test_terminal_output_never_crashes_on_a_code_page(args: list[str], tmp_path: Path) -> None:
    encoding = "cp1252"
    (tmp_path / "COPY.yaml").write_bytes(Path(EXAMPLE).read_bytes())
    done = run(args, tmp_path, encoding)
    stderr = done.stderr.decode(encoding, "replace")
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, stderr
    assert done.returncode in (0, 2), stderr  # compare of one sheet with itself is a usage error
    text = done.stdout.decode(encoding)  # every byte is valid in the code page
    if done.returncode == 0 and "--help" not in args:
        assert "ä" in text or "ö" in text or "ü" in text or "Ü" in text or "ß" in text


def test_decoration_falls_back_to_ascii_and_umlauts_stay(tmp_path: Path) -> None:
    done = run(["score", EXAMPLE], tmp_path)
    text = done.stdout.decode("cp1252")
    assert "Stufe 1 ############|......." in text  # the bar in ASCII
    assert "Schlüsselfrage offen" in text  # cp1252 has the umlauts
    assert "\u2588" not in text and "?" not in text.replace("?\n", "")  # no █, nothing replaced by "?"
    done = run(["validate", EXAMPLE], tmp_path, "ascii")
    assert done.stdout.decode("ascii").startswith("v ")  # ✓ → v
    assert "fuer stufenplan" in done.stdout.decode("ascii")  # ü → ue where even umlauts are missing


@pytest.mark.parametrize("args", FILES, ids=lambda a: " ".join(Path(x).name for x in a))
def test_file_like_output_is_utf8_on_any_code_page(args: list[str], tmp_path: Path) -> None:
    done = run(args, tmp_path)
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    text = done.stdout.decode("utf-8")  # strict: the bytes are UTF-8, not cp1252
    assert any(c in text for c in "äöüß"), text[:200]


def test_a_closed_pipe_ends_quietly_with_exit_code_0(tmp_path: Path) -> None:
    """``stufenplan show stufenplan | head -1``: the reader goes away before the writer is done."""
    for args in (["show", "stufenplan"], ["score", EXAMPLE, "--format", "csv"], ["--help"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "stufenplan_cli", *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like head after its first line: nothing more is read
        stderr = process.stderr.read().decode("utf-8", "replace")
        assert process.wait(timeout=120) == 0, (args, stderr)
        assert stderr == "", (args, stderr)
