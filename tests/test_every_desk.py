"""The tool as a real process on other desks: a Windows code page, ``LANG=C``, pipes that close early.

These run ``python -m stufenplan_cli`` in a subprocess, because the encoding of standard output is
fixed when Python starts; typer's CliRunner cannot show it.
"""

from __future__ import annotations

import json
import os
import re
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
    assert re.search(r"  Stufe 1 [#.|]{20}  \d+ % / \d+ %", text), text  # the bar in ASCII
    assert "Bürgerschaft" in text or "Förderung" in text  # cp1252 has the umlauts
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


# --- Scripts: standard input, --quiet, JSON from validate, -V, reports beside their sheets -------------------

from typer.testing import CliRunner  # noqa: E402

from stufenplan_cli import __version__  # noqa: E402
from stufenplan_cli.cli.app import app  # noqa: E402

runner = CliRunner()


def test_dash_reads_a_sheet_from_standard_input() -> None:
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    scored = runner.invoke(app, ["score", "-", "--format", "json"], input=text)
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)[0]["municipality"]["name"] == "Stadt Musterstadt"
    broken = runner.invoke(app, ["validate", "-"], input="answers: [\n")
    assert broken.exit_code == 1
    assert "Standardeingabe:" in broken.stderr  # named, not "-" or a temporary file


def test_quiet_leaves_only_results_and_errors(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    loud = runner.invoke(app, ["template", "kurzcheck", "-m", "Gemeinde Süd", "-o", str(target)])
    assert "Geschrieben:" in loud.stderr
    quiet = runner.invoke(app, ["template", "kurzcheck", "-o", str(tmp_path / "y.yaml"), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    checked = runner.invoke(app, ["validate", "--quiet", str(target)])
    assert checked.exit_code == 0 and checked.output == ""
    (tmp_path / "bad.yaml").write_text("questionnaire: kurzcheck\n", encoding="utf-8")
    failed = runner.invoke(app, ["validate", "-q", str(tmp_path / "bad.yaml")])
    assert failed.exit_code == 1 and "bad.yaml" in failed.stderr  # errors are never quiet
    # --questionnaire keeps its long name; its short one is now -Q
    assert runner.invoke(app, ["score", "-Q", "stufenplan", EXAMPLE, "-q"]).exit_code == 0


def test_validate_as_json_for_scripts(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "questionnaire: kurzcheck\nmunicipality: {name: X}\nanswers: {k1-x: 1}\n"
    )
    result = runner.invoke(app, ["validate", "--format", "json", EXAMPLE, str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1
    good, bad = json.loads(result.stdout)
    summary = good.pop("summary")
    assert good == {"file": EXAMPLE, "kind": "answers", "valid": True, "warnings": [], "problems": []}
    assert re.fullmatch(
        r"Antwortbogen Stadt Musterstadt für stufenplan – \d+ von \d+ Fragen beantwortet \(\d+ mit Wert\)",
        summary,
    )
    assert bad["valid"] is False and bad["kind"] == "answers"
    assert bad["problems"][0]["line"] == 3 and "k1-x" in bad["problems"][0]["message"]


def test_short_version_option() -> None:
    result = runner.invoke(app, ["-V"])
    assert result.exit_code == 0 and result.stdout == f"stufenplan {__version__}\n"


def test_shell_completion_is_offered() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "Tab-Ergänzung" in result.stdout


def test_reports_go_beside_each_sheet_unless_output_says_otherwise(tmp_path: Path) -> None:
    for town in ("a", "b"):
        (tmp_path / town).mkdir()
        (tmp_path / town / "stadt.yaml").write_text(
            Path(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8"
        )
    result = runner.invoke(app, ["report", str(tmp_path), "--format", "md,json"])
    assert result.exit_code == 0, result.output
    for town in ("a", "b"):  # the same name in two folders: no -2, each beside its own sheet
        assert sorted(p.name for p in (tmp_path / town).iterdir()) == ["stadt.json", "stadt.md", "stadt.yaml"]
    out = tmp_path / "berichte"
    result = runner.invoke(app, ["report", str(tmp_path), "--format", "md", "--output", f"{out}/"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["stadt-2.md", "stadt.md"]


def test_summary_lines_count_in_german(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text(
        "id: eins\nversion: '1'\ntitle: Eins\nstages:\n- {id: 1, title: A, threshold: 0.5}\n"
        "dimensions:\n- {id: d, title: D}\nscale:\n- {value: 0, label: nein}\n- {value: 1, label: ja}\n"
        "questions:\n- {id: q, stage: 1, text: Frage?, dimensions: [d]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(one)])
    assert "1 Stufe, 1 Dimension, 1 Frage" in result.stdout, result.output
