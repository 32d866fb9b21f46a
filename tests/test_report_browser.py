"""The HTML report in a real browser: headless Chromium prints it to PDF on A4, nothing cut off.

Skipped when Chromium is not installed; .ci/run installs it from the distribution's packages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stufenplan_cli.domain.scoring import score
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import load_sheet
from stufenplan_cli.render import render
from tests.conftest import DATA

CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and Path(p).exists()
    ),
    None,
)
A4 = (595.3, 841.9)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium nicht installiert")


def print_to_pdf(html_file: Path, pdf_file: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_file}",
            "--no-pdf-header-footer",
            html_file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing differ between engines."""
    return re.sub(r"[^0-9a-zäöüß]", "", text.lower())


@pytest.mark.parametrize("sheet", ["roadmap-sheet.yaml", "roadmap-merged.yaml"])
def test_chromium_prints_the_report_on_a4_without_cutting_anything(tmp_path: Path, sheet: str) -> None:
    from pypdf import PdfReader

    loaded = load_sheet(DATA / sheet, Catalog(extra_dirs=[DATA]))
    result = score(loaded.questionnaire, loaded.sheet)
    html = render(result, loaded.questionnaire, "html")
    assert isinstance(html, str)
    html_file = tmp_path / "bericht.html"
    html_file.write_text(html, encoding="utf-8")
    pdf_file = tmp_path / "bericht.pdf"

    run = print_to_pdf(html_file, pdf_file, tmp_path / "profile")
    assert run.returncode == 0, run.stderr[-2000:]
    # the report has no scripts: any console message (Chromium logs them as INFO:CONSOLE) is a fault
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert pdf_file.exists() and pdf_file.stat().st_size > 10_000

    reader = PdfReader(pdf_file)
    assert len(reader.pages) >= 4
    outside: list[tuple[int, float, float, str]] = []
    texts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, f"Seite {number} ist nicht A4"

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            n: int = number,
            w: float = width,
            h: float = height,
        ) -> None:
            if not text.strip():
                return
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            if not (-1 <= x <= w and -1 <= y <= h):
                outside.append((n, x, y, text))

        texts.append(page.extract_text(visitor_text=visit) or "")
    assert outside == [], f"Text außerhalb der Seite: {outside[:5]}"

    printed = squash(" ".join(texts))
    # everything the report must say is on paper: every question with its answer, the roadmap, the end
    assert squash(result.municipality.name) in printed
    for question in loaded.questionnaire.questions:
        assert squash(question.text) in printed, question.id
    assert re.search(r"anhang[a-c]methode", printed)  # the method is the last part of the appendix
    assert squash("richtet er sich nach dem Abstand zur erreichten Stufe") in printed  # the last sentence
