"""The report as a council submission: front sheet, costs, dates, the editable Word draft, robust statements."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.roadmap import add_months
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import load_sheet
from stufenplan_cli.render import render
from stufenplan_cli.render.context import build_context
from stufenplan_cli.render.german import quarter
from stufenplan_cli.render.submission import finances, horizons
from tests.conftest import make_sheet
from tests.test_render import DATA, scored

EXAMPLE = Path(__file__).parent.parent / "examples" / "musterstadt.yaml"


def example() -> tuple[object, Questionnaire]:
    loaded = load_sheet(EXAMPLE, Catalog())
    return score(loaded.questionnaire, loaded.sheet, file="musterstadt.yaml"), loaded.questionnaire


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2027-01-01", "I/2027"),
        ("2027-03-31", "I/2027"),
        ("2027-04-01", "II/2027"),
        ("2026-12-31", "IV/2026"),
    ],
)
def test_a_due_date_is_shown_as_its_quarter(iso: str, shown: str) -> None:
    assert quarter(iso) == shown
    assert quarter(None) == "[Datum]"


def test_horizons_end_at_the_assessment_date_plus_their_months() -> None:
    import datetime as dt

    _, q = scored(DATA / "roadmap-sheet.yaml")
    data = q.model_dump()
    data["horizons"] = [
        {"id": "kurz", "title": "Kurzfristig", "months": 6},
        {"id": "lang", "title": "Langfristig", "months": 36},
    ]
    q2 = Questionnaire.model_validate(
        data | {"questions": [dict(x, horizon=None) for x in data["questions"]]}
    )
    views = horizons(q2, "2026-08-31")
    assert [(h.id, h.due) for h in views] == [("kurz", "2027-02-28"), ("lang", "2029-08-31")]
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_financial_implications_sum_the_ranges_of_the_effort_classes() -> None:
    gering = {"title": "Geringer Aufwand", "staff_days": [1, 10], "cost_eur": [0, 5000]}
    stelle = {
        "title": "Dauerhafte Stelle",
        "staff_days": [10, 30],
        "cost_eur": [0, 10000],
        "fte": [0.5, 1.0],
        "cost_eur_per_year": [40000, 95000],
    }
    measures = [
        {"rank": 1, "action": "A", "effort": gering},
        {"rank": 2, "action": "B", "effort": stelle},
        {"rank": 3, "action": "C", "effort": None},
    ]
    f = finances(measures)
    assert f.totals == {
        "staff_days": (11.0, 40.0),
        "cost_eur": (0.0, 15000.0),
        "fte": (0.5, 1.0),
        "cost_eur_per_year": (40000.0, 95000.0),
    }
    assert f.unestimated == 1 and [line.effort for line in f.lines] == [
        "Geringer Aufwand",
        "Dauerhafte Stelle",
        None,
    ]


def macro_text(macro: str, **replace: object) -> str:
    """One macro of texts.j2 rendered with the example's context, some of its variables replaced."""
    from stufenplan_cli.render.environment import report_environment

    variables = build_context(*example()).variables()  # type: ignore[arg-type]
    variables.update(replace)
    template = report_environment("md").from_string(
        '{% import "partials/texts.j2" as txt with context %}{{ txt.' + macro + "() }}"
    )
    return template.render(**variables).strip()


def cost_sentence(lines: list[dict[str, object]]) -> str:
    """The cost sentence of page 1 for measures with these effort classes (None: not estimated)."""
    f = finances([{"rank": i, "action": f"M{i}", "effort": e} for i, e in enumerate(lines, 1)])
    submission = build_context(*example()).submission  # type: ignore[arg-type]
    return macro_text("cost_summary", submission=dataclasses.replace(submission, finances=f))


@pytest.mark.parametrize(
    ("unknown", "missing", "sentence"),
    [
        (
            1,
            0,
            "Eine Frage ist noch offen („weiß nicht“ oder ohne Antwort) und zählt bis zur Klärung null Punkte.",
        ),
        (
            1,
            2,
            "Drei Fragen sind noch offen („weiß nicht“ oder ohne Antwort) und zählen bis zur Klärung null Punkte.",
        ),
    ],
)
def test_open_questions_are_counted_in_correct_german(unknown: int, missing: int, sentence: str) -> None:
    counts = build_context(*example()).counts  # type: ignore[arg-type]
    text = macro_text("grounds_result", counts=dataclasses.replace(counts, unknown=unknown, missing=missing))
    assert sentence in text


GERING = {"title": "Gering", "staff_days": [1, 10], "cost_eur": [0, 5000]}
MITTEL = {
    "title": "Mittel",
    "staff_days": [10, 40],
    "cost_eur": [5000, 30000],
    "cost_eur_per_year": [0, 10000],
}
STELLE = {"title": "Stelle", "staff_days": [0, 0], "fte": [1, 1], "cost_eur_per_year": [40000, 95000]}


@pytest.mark.parametrize(
    ("efforts", "sentence"),
    [
        (
            [MITTEL, GERING, GERING],
            "Nach grober Schätzung erfordern sie zusammen 12–60 Personaltage sowie einmalig 5.000–40.000 € "
            "Sachkosten und laufend bis zu 10.000 € im Jahr (Abschnitt „Finanzielle Auswirkungen“).",
        ),
        (
            [GERING],
            "Nach grober Schätzung erfordert sie 1–10 Personaltage sowie einmalig bis zu 5.000 € Sachkosten "
            "(Abschnitt „Finanzielle Auswirkungen“).",
        ),
        (
            [STELLE, None, None],
            "Nach grober Schätzung erfordert die geschätzte Maßnahme 1 Stelle (VZÄ) sowie laufend "
            "40.000–95.000 € im Jahr; für zwei weitere Maßnahmen liegt keine Schätzung vor "
            "(Abschnitt „Finanzielle Auswirkungen“).",
        ),
        ([None, None], ""),
    ],
    ids=["three", "one", "one of three estimated", "none estimated"],
)
def test_page_one_names_what_the_proposal_costs(efforts: list[dict[str, object]], sentence: str) -> None:
    """A council member finds the costs with the proposal, in the sums of the table under Finanzielle Auswirkungen."""
    assert cost_sentence(efforts) == sentence


def test_the_example_names_its_costs_before_the_table_and_with_the_same_sums() -> None:
    result, q = example()
    md = str(render(result, q, "md"))
    head = md[: md.index("## Finanzielle Auswirkungen")]
    table = md[md.index("## Finanzielle Auswirkungen") : md.index("## Anlagen")]
    assert (
        "Nach grober Schätzung erfordern sie zusammen 12–60 Personaltage sowie einmalig 5.000–40.000 € "
        in head
    )
    assert "Sachkosten und laufend bis zu 10.000 € im Jahr" in head
    total = next(line for line in table.splitlines() if "Summe" in line)
    assert "12–60" in total and "5.000–40.000 €" in total and "0–10.000 €" in total
    assert "Weil das nur eine grobe Schätzung ist, soll die Verwaltung zuerst ein Konzept" in head


def test_front_sheet_of_the_example_is_a_beschlussvorlage_on_the_first_pages() -> None:
    result, q = example()
    md = str(render(result, q, "md"))
    head = md[: md.index("\n---\n")]
    for part in (
        "**Betreff:**",
        "## Beschlussvorschlag",
        "## Sachverhalt und Begründung",
        "## Finanzielle Auswirkungen",
        "## Anlagen",
    ):
        assert part in head
    assert "Der Stadtrat der Stadt Musterstadt beschließt:" in head
    assert "(Anlage 1) zur Kenntnis." in head  # taking note is its own item
    assert "ein Umsetzungskonzept mit Zeitplan, Personalbedarf und Kosten" in head and "bis II/2027" in head
    assert "keine amtliche Bewertung" in head  # the self-assessment caveat stays with the grounds
    assert "Haushaltsstelle" in head and "Sie " not in head and "Roadmap" not in head


def test_no_answers_leaves_the_appendix_and_its_annex_out() -> None:
    result, q = example()
    full = str(render(result, q, "md"))
    short = str(render(result, q, "md", include_answers=False))
    assert "Alle Antworten der Selbsteinschätzung" in full and "Anhang B: Alle Antworten" in full
    assert "Alle Antworten" not in short and "Anhang B: Methode" in short
    assert len(short) < len(full)


def test_kurzcheck_report_says_it_is_a_first_look() -> None:
    q = Catalog().by_id("kurzcheck")
    result = score(q, make_sheet(q, {}, name="Gemeinde Kurz"))
    md = str(render(result, q, "md"))
    assert "erster Blick" in md and "Stufenplan Smarte Städte und Regionen – Selbsteinschätzung" in md


def test_a_dimension_needs_two_answers_to_be_called_strong() -> None:
    _, q = scored(DATA / "roadmap-sheet.yaml")
    # "strukturen" rests on s1-beschluss alone (the other two do not apply): high score, one answer
    answers = {"s1-beschluss": 3, "s2-werkzeuge": "nicht zutreffend", "s4-betrieb": "nicht zutreffend"}
    one = build_context(score(q, make_sheet(q, answers)), q)
    strukturen = next(d for d in one.dimensions if d.id == "strukturen")
    assert strukturen.answers == 1 and (strukturen.score or 0) >= 2 / 3
    assert "strukturen" not in [d.id for d in one.strong_dimensions]
    answers["s2-werkzeuge"] = 3  # a second answer backs it: now it may be called strong
    two = build_context(score(q, make_sheet(q, answers)), q)
    assert "strukturen" in [d.id for d in two.strong_dimensions]


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_docx_reads_back_as_the_submission_and_is_deterministic() -> None:
    docx = pytest.importorskip("docx")
    result, q = example()
    data = render(result, q, "docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    assert render(result, q, "docx") == data
    text = _docx_text(data)
    for part in (
        "Beschlussvorschlag",
        "Der Stadtrat der Stadt Musterstadt beschließt:",
        "Sachverhalt und Begründung",
        "Finanzielle Auswirkungen",
        "Vorgeschlagene Maßnahmen",
        "Anlagen",
        "Betreff: Digitale Standortbestimmung",
    ):
        assert part in text
    assert "1.\tDer Stadtrat nimmt den Bericht" in text and "a)\t" in text
    assert "\\" not in text and "**" not in text  # no Markdown left over
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.language == "de-DE"
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert "[Ausschuss]" in highlighted  # placeholders stand out for the administration


def test_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice nicht installiert")
    result, q = example()
    source = tmp_path / "vorlage.docx"
    source.write_bytes(bytes(render(result, q, "docx")))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "vorlage.txt").read_text(encoding="utf-8-sig")
    assert "Der Stadtrat der Stadt Musterstadt beschließt:" in text and "Finanzielle Auswirkungen" in text


def test_cli_writes_the_docx_and_leaves_answers_out_on_request(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    from typer.testing import CliRunner

    from stufenplan_cli.cli.app import app

    runner = CliRunner()
    done = runner.invoke(app, ["report", str(EXAMPLE), "-f", "docx,md", "--no-answers", "-o", f"{tmp_path}/"])
    assert done.exit_code == 0, done.output
    assert "Beschlussvorschlag" in _docx_text((tmp_path / "musterstadt.docx").read_bytes())
    assert "Anhang B: Alle Antworten" not in (tmp_path / "musterstadt.md").read_text(encoding="utf-8")


def test_with_open_questions_the_placement_is_a_range_with_the_deciding_questions() -> None:
    _, q = scored(DATA / "roadmap-sheet.yaml")
    answers: dict[str, object] = {x.id: 3 for x in q.questions if x.stage == 1}
    answers.update({"s2-pilot": "weiß nicht", "s2-werkzeuge": 2, "s2-rechte": "weiß nicht"})
    result = score(q, make_sheet(q, answers, name="Stadt Offenbach"))
    assert (result.stage, result.stage_possible) == (1, 4)
    md = str(render(result, q, "md"))
    assert "Gesichert ist Stufe 1; mit den offenen Antworten ist Stufe 4" in md
    assert (
        "Entscheidend sind die offenen Fragen „Läuft mindestens eine digitale Lösung im Echtbetrieb?“" in md
    )
    assert "(mit den offenen Antworten möglich: Stufe 4)" in md
    head = md[: md.index("\n---\n")]
    assert "Gesichert ist Stufe 1" in head  # the grounds of the submission say it too


@pytest.mark.parametrize(
    ("note", "done"),
    [
        ("Erledigt im Mai 2026", True),
        ("Ausschreibung abgeschlossen", True),
        ("Ist bereits umgesetzt", True),
        ("Noch nicht erledigt", False),
        ("Maßnahmenliste liegt vor, Zeitrahmen nur grob", False),
        (None, False),
    ],
)
def test_a_note_that_says_done_is_recognised(note: str | None, done: bool) -> None:
    from stufenplan_cli.render.submission import done_by_note

    assert done_by_note(note) is done


def test_the_resolution_never_commissions_what_a_note_says_is_done() -> None:
    result, q = example()
    first = build_context(result, q).submission.measures[0]
    text = EXAMPLE.read_text(encoding="utf-8")
    question = first.question
    import re

    line = re.search(rf"^  {re.escape(question)}: .*$", text, re.MULTILINE)
    assert line is not None
    value = first.why.value
    patched = text.replace(
        line.group(0), f'  {question}: {{value: {value}, note: "Erledigt im Oktober 2026"}}'
    )
    from stufenplan_cli.files.reading import parse
    from stufenplan_cli.files.validation import sheet_from

    sheet = sheet_from(parse(patched, "musterstadt.yaml"), q)
    again = build_context(score(q, sheet), q)
    assert question not in [m.question for m in again.submission.measures]
    md = str(render(score(q, sheet), q, "md"))
    assert "Laut Anmerkung erledigt" in md


def test_example_pdf_main_document_fits_ten_pages_and_all_sixteen() -> None:
    """The council reads the main document on paper: ≤ 10 A4 pages, the whole PDF with appendices ≤ 16."""
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    result, q = example()
    reader = PdfReader(io.BytesIO(bytes(render(result, q, "pdf"))))
    pages = [page.extract_text() or "" for page in reader.pages]
    assert len(pages) <= 16
    first_appendix = next(i for i, text in enumerate(pages) if "Anhang A:" in text)
    assert first_appendix <= 10  # pages before the appendices: 1–2 submission, then the report
    assert "Beschlussvorschlag" in pages[0] and "Finanzielle Auswirkungen" in pages[0] + pages[1]
    for text in pages[:-1]:
        assert len(text.split()) > 60  # no near-empty page


def test_an_open_answer_is_clarified_before_the_council_commissions_its_measure() -> None:
    import json

    q = Catalog().by_id("kurzcheck")
    answers: dict[str, object] = {
        x.id: max(o.value for o in q.options_for(x)) for x in q.questions if x.stage == 1
    }
    key2 = next(x for x in q.questions if x.stage == 2 and x.key)
    answers[key2.id] = "weiß nicht"
    result = score(q, make_sheet(q, answers, name="Gemeinde Kleinau"))
    record = json.loads(str(render(result, q, "json")))
    listed = {
        m["question"]: m["text"] for item in record["submission"]["resolution"] for m in item["measures"]
    }
    assert key2.id in listed and "sofern nach Klärung des Stands noch nicht vorhanden" in listed[key2.id]


def test_json_gives_each_horizon_and_each_measure_its_due_date() -> None:
    import json

    result, q = example()
    record = json.loads(str(render(result, q, "json")))
    assert [(h["id"], h["months"], h["due"]) for h in record["horizons"]] == [
        ("kurzfristig", 6, "2027-05-23"),
        ("mittelfristig", 18, "2028-05-23"),
        ("langfristig", 36, "2029-11-23"),
    ]
    dated = [m for m in record["roadmap"] if m["horizon"]]
    assert dated and all(m["horizon"]["due"] == m["due"] for m in dated)
    assert all(
        m["due"] == next(h["due"] for h in record["horizons"] if h["id"] == m["horizon"]["id"]) for m in dated
    )
