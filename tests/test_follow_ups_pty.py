"""Follow-up questions in a real pseudo-terminal (80×24): skipped when their condition fails, asked once it holds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import load_sheet
from tests.conftest import DATA
from tests.test_assess_pty import Session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals need POSIX")
V2 = str(DATA / "v2")


def test_a_gate_at_0_skips_the_follow_up_and_raising_it_asks_it(tmp_path: Path) -> None:
    run = Session(tmp_path, "mini", "--questionnaires-dir", V2, "-m", "Gemeinde Folgedorf")
    assert "6–7 Fragen in 3 Stufen (Folgefragen nur bei Bedarf)" in run.answer("Weiter mit Enter", "")
    for field in ("Amtlicher Gemeindeschlüssel", "Art der Kommune", "Einwohnerzahl", "Stufe 1 von 3"):
        run.answer(field, "")
    run.answer("Frage 1 von 7", "3")
    run.answer("Frage 2 von 7", "3")
    run.answer("Frage 3 von 7", "2")
    run.answer("Stufe 2 von 3", "")
    run.answer("Frage 4 von 7", "3")
    run.answer("Frage 5 von 7", "2")
    intro = run.answer("Stufe 3 von 3", "")
    assert "bis zu 2 Fragen, davon 1 Folgefrage nur bei Bedarf" in " ".join(intro.split())
    run.answer("Frage 6 von 7", "0")  # no cooperation: the follow-up on shared data falls away
    review = run.answer("Überprüfung vor dem Abschluss", "6")
    assert "Beantwortet: 6 von 6 Fragen" in review
    assert "Mit der Antwort auf Frage 6 entfällt 1 Folgefrage." in " ".join(review.split())
    run.answer("Frage 6 von 6", "3")  # changed: now the follow-up applies and is asked right away
    follow_up = run.answer("Frage 7 von 7", "2")
    assert "Nutzen die Kooperationspartner gemeinsame Daten?" in follow_up
    assert "Mit der Antwort auf Frage 6 gilt 1 Folgefrage wieder." in " ".join(follow_up.split())
    review = run.answer("Überprüfung vor dem Abschluss", "6")
    assert "Beantwortet: 7 von 7 Fragen" in review
    run.answer("Frage 6 von 7", "1")  # below min again: the answer to the follow-up leaves the sheet
    review = run.answer("Überprüfung vor dem Abschluss", "")
    assert "1 Antwort dazu aus dem Bogen genommen" in " ".join(review.split())
    status, output = run.end()
    assert status == 0 and "Ergebnis der Selbsteinschätzung" in output
    sheet = load_sheet(tmp_path / "mini-gemeinde-folgedorf.yaml", Catalog(extra_dirs=[DATA / "v2"])).sheet
    assert sheet.answers["kooperation"].value == 1 and "gemeinsame-daten" not in sheet.answers
