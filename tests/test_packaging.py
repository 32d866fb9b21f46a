"""The wheel carries the bundled questionnaires and report templates, so a non-editable install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("stufenplan_cli-*.whl")
    return built


def test_wheel_ships_questionnaires_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("questionnaires", "report_templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"stufenplan_cli/{folder}/{path.relative_to(ROOT / folder).as_posix()}" in names
    assert "stufenplan_cli/questionnaires/stufenplan.yaml" in names
    assert "stufenplan_cli/questionnaires/kurzcheck.yaml" in names
