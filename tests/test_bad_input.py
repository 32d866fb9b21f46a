"""Every documented bad input gets one clear message naming the file (and the line), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from tests.conftest import DATA

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]

GOOD_HEAD = "questionnaire: mini\nmunicipality:\n  name: Musterhausen\n"

BOMB = "\n".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        *[f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdef", "bcdefg", strict=True)],
    ]
)

CASES: list[tuple[str, bytes, int | None, str]] = [
    ("syntax", b"questionnaire: mini\nmunicipality: {name: X\nanswers: {}\n", 3, "YAML-Syntaxfehler"),
    ("duplicate", (GOOD_HEAD + "answers:\n  beschluss: 3\n  beschluss: 2\n").encode(), 6, "doppelt"),
    ("unknown-id", (GOOD_HEAD + "answers:\n  beschlus: 3\n").encode(), 5, "meinten Sie 'beschluss'"),
    ("value-outside", (GOOD_HEAD + "answers:\n  pilot: 3\n").encode(), 5, "Wert 3 ist keine Option"),
    ("wrong-type", (GOOD_HEAD + "answers:\n  pilot: [1]\n").encode(), 5, "Frage 'pilot': "),
    ("wrong-type-pop", (GOOD_HEAD + "  population: viele\n").encode(), 4, "ganze Zahl erwartet"),
    (
        "no-name",
        b"questionnaire: mini\nmunicipality:\n  kind: Gemeinde\n",
        2,
        "municipality.name: Pflichtangabe fehlt",
    ),
    ("ags-letters", (GOOD_HEAD + '  ags: "09a62000"\n').encode(), 4, "nur Ziffern"),
    ("ags-length", (GOOD_HEAD + '  ags: "0916"\n').encode(), 4, "2, 3, 5 oder 8"),
    ("ags-unquoted", (GOOD_HEAD + "  ags: 9162000\n").encode(), 4, "Anführungszeichen"),
    ("empty", b"", 1, "leer"),
    ("only-comment", b"# nur ein Kommentar\n", 1, "leer"),
    ("not-mapping", b"- a\n- b\n", 1, "Zuordnung"),
    ("latin1", "questionnaire: mini\nmunicipality:\n  name: München\n".encode("latin-1"), 3, "UTF-8"),
    ("alias-bomb", BOMB.encode(), None, "Aliasse"),
    (
        "python-tag",
        b"questionnaire: mini\nmunicipality: !!python/object/apply:os.system [echo]\n",
        2,
        "nicht erlaubt",
    ),
    ("unknown-key", b"questionaire: mini\nmunicipality:\n  name: X\n", 1, "meinten Sie 'questionnaire'"),
    ("unknown-questionnaire", b"questionnaire: minni\nmunicipality:\n  name: X\n", 1, "meinten Sie 'mini'"),
    ("tab", (GOOD_HEAD + "answers:\n\tpilot: 2\n").encode(), 5, "Tabulatorzeichen"),
    ("colon-in-text", (GOOD_HEAD + "assessor: Amt: Digitales\n").encode(), 4, "„:“ im Text"),
    ("indentation", (GOOD_HEAD + " kind: Stadt\n").encode(), 4, "Einrückung stimmt nicht"),
    (
        "open-quote",
        (GOOD_HEAD + 'assessor: "Amt\nanswers: {}\n').encode(),
        6,
        "Anführungszeichen geöffnet in Zeile 4",
    ),
    ("at-sign", (GOOD_HEAD + "assessor: @stadt\n").encode(), 4, "„@“ darf nicht am Anfang"),
    ("target-stage", (GOOD_HEAD + "target: {stage: 7, year: 2030}\n").encode(), 4, "Zielstufe 7"),
    ("date", (GOOD_HEAD + "assessed_on: 31.12.2025\n").encode(), 4, "JJJJ-MM-TT"),
]


@pytest.mark.parametrize(("name", "content", "line", "needle"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["validate", "score"])
def test_bad_sheet_gets_located_message(
    tmp_path: Path, command: str, name: str, content: bytes, line: int | None, needle: str
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    result = runner.invoke(app, [command, *QDIR, str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    where = f"{path}:{line}:" if line else f"{path}"
    assert where in result.output
    assert needle in result.output


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tag.yaml"
    path.write_text(f"questionnaire: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    runner.invoke(app, ["validate", *QDIR, str(path)])
    assert not marker.exists()


def test_too_large_sheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(GOOD_HEAD + "#" * (1024 * 1024) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", *QDIR, str(path)])
    assert result.exit_code == 1
    assert "zu groß" in result.output


def test_directory_and_missing_path(tmp_path: Path) -> None:
    empty = tmp_path / "leer"
    empty.mkdir()
    result = runner.invoke(app, ["score", *QDIR, str(empty), str(tmp_path / "fehlt.yaml")])
    assert result.exit_code == 1
    assert f"{empty}: ist ein Verzeichnis" in result.output
    assert f"{tmp_path / 'fehlt.yaml'}: Datei nicht gefunden" in result.output


def test_sheet_for_another_questionnaire(tmp_path: Path) -> None:
    path = tmp_path / "anderer.yaml"
    path.write_text("questionnaire: kurzcheck\nmunicipality:\n  name: X\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--questionnaire", str(DATA / "mini.yaml"), str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:" in result.output
    assert "gehört zu Fragebogen 'kurzcheck', nicht zu 'mini'" in result.output


def test_all_problems_of_a_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "viele.yaml"
    path.write_text(
        "questionnaire: mini\nmunicipality:\n  population: -1\nanswers:\n  beschlus: 3\n  pilot: 9\n  werkzeuge: viel\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", *QDIR, str(path)])
    assert result.exit_code == 1
    for expected in (
        ":2: municipality.name",
        ":3: municipality.population",
        ":5: unbekannte Frage",
        ":6: Frage 'pilot'",
        ":7: Frage 'werkzeuge'",
    ):
        assert expected in result.output


def test_bom_and_windows_line_endings_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(
        b"\xef\xbb\xbf" + (GOOD_HEAD + "answers:\n  beschluss: 3\n").replace("\n", "\r\n").encode()
    )
    result = runner.invoke(app, ["score", *QDIR, "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    assert '"name": "Musterhausen"' in result.output


def test_a_failing_sheet_never_stops_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "a-kaputt.yaml"
    bad.write_text("questionnaire: mini\n", encoding="utf-8")
    good = DATA / "mini-sheet.yaml"
    result = runner.invoke(app, ["score", *QDIR, "--format", "json", str(bad), str(good)])
    assert result.exit_code == 1
    import json

    records = json.loads(result.stdout)
    assert [r["file"] for r in records] == [str(bad), str(good)]
    assert "error" in records[0] and ":1: municipality: Pflichtangabe fehlt" in records[0]["error"]
    assert records[1]["stage"] == 2


def _questionnaire(stages: str, dimension: str = "strategie", extra: str = "") -> str:
    return (
        "id: kaputt\nversion: '1'\ntitle: Kaputt\n"
        "scale: [{value: 0, label: nein}, {value: 1, label: ja}, {value: 1, label: doppelt}]\n"
        f"{stages}"
        "dimensions: [{id: strategie, title: Strategie}]\n"
        f"questions:\n  - {{id: q1, stage: 1, dimensions: [{dimension}], text: Frage?}}\n"
        f"  - {{id: q1, stage: 9, dimensions: [strategie], text: Frage?, weight: 0}}\n{extra}"
    )


def test_bad_questionnaire_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.yaml"
    path.write_text(
        _questionnaire(
            "stages:\n  - {id: 1, title: A, threshold: 0.5}\n  - {id: 3, title: B, threshold: 1.5}\n",
            "strategy",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    out = result.output
    # field errors come first (the threshold, the weight); reference checks need valid fields
    assert f"{path}:7: stages.1.threshold: Wert muss ≤ 1 sein (gefunden: 1.5)" in out
    assert f"{path}:11: questions.1.weight: Wert muss > 0 sein" in out
    path.write_text(
        _questionnaire(
            "stages:\n  - {id: 1, title: A, threshold: 0.5}\n  - {id: 3, title: B, threshold: 0.5}\n",
            "strategy",
        ).replace(", weight: 0", ""),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["validate", str(path)]).output
    assert f"{path}:4: Optionswert 1 kommt doppelt vor" in out
    assert f"{path}:7: Stufen müssen 1, 2, … fortlaufend nummeriert sein; erwartet 2, gefunden 3" in out
    assert f"{path}:10: Frage 'q1': unbekannte Dimension 'strategy' – meinten Sie 'strategie'?" in out
    assert f"{path}:11: Frage-Id 'q1' kommt doppelt vor" in out
    assert f"{path}:11: Frage 'q1': Stufe 9 gibt es nicht" in out
