"""Round-trip editing of answer sheets: comments and notes survive, the core reads back what was written."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.errors import StufenplanError, ValidationFailed
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.editing import SheetFile, detect_indent, read_state
from stufenplan_cli.files.sheets import load_sheet
from stufenplan_cli.render.blank_sheet import blank_sheet, interview_sheet
from tests.conftest import DATA

HAND_EDITED = """\
# Workshop Bauamt, 12. März – bitte nicht löschen
questionnaire: mini
municipality:
  name: Musterhausen   # Stadtteil Nord zählt mit
  ags: "09162000"
answers:
  # Beschluss vom 3. Mai, siehe Protokoll
  beschluss:
    value: 2
    note: Ratsbeschluss 2023   # Protokoll S. 4
  verantwortung: 1  # Stabsstelle geplant
  # pilot fehlt noch – mit dem Ordnungsamt klären
  werkzeuge: {value: weiß nicht, note: "Lizenzen prüfen"}
# Ende
"""


def catalog() -> Catalog:
    return Catalog(extra_dirs=[DATA])


def comments(text: str) -> list[str]:
    """Every comment in a text, stripped, in order."""
    return [m.group(0).strip() for m in re.finditer(r"#.*$", text, flags=re.MULTILINE)]


def comment_lines(text: str) -> list[str]:
    """The lines that are nothing but a comment (a note may contain ``#`` itself)."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def reread(path: Path, q: Questionnaire) -> dict[str, Answer]:
    return load_sheet(path, catalog(), q).sheet.answers


def test_hand_edited_sheet_keeps_comments_notes_and_layout(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "sheet.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)
    sheet.set_answer("pilot", Answer(value=1, note="Pilot im Ordnungsamt"))
    sheet.set_answer("beschluss", Answer(value=3, note="Ratsbeschluss 2023"))
    sheet.set_answer("verantwortung", Answer(value=2))
    text = path.read_text(encoding="utf-8")
    assert comments(text) == comments(HAND_EDITED)
    assert "    value: 3\n    note: Ratsbeschluss 2023   # Protokoll S. 4" in text
    assert "  verantwortung: 2  # Stabsstelle geplant" in text
    answers = reread(path, mini)
    assert answers["pilot"] == Answer(value=1, note="Pilot im Ordnungsamt")
    assert answers["werkzeuge"] == Answer(value="unknown", note="Lizenzen prüfen")
    assert answers["beschluss"] == Answer(value=3, note="Ratsbeschluss 2023")
    # a new answer goes where the questionnaire has it: after verantwortung, before werkzeuge
    keys = re.findall(r"^  ([a-z]+):", text, flags=re.MULTILINE)
    assert keys == ["name", "ags", "beschluss", "verantwortung", "pilot", "werkzeuge"]


def test_template_sheet_is_filled_in_place_and_keeps_every_comment(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = tmp_path / "template.yaml"
    original = blank_sheet(mini)
    path.write_text(original, encoding="utf-8")
    state = read_state(path, catalog(), mini)
    assert state.name == "" and state.answers == {}
    sheet = SheetFile.open(path, mini)
    sheet.set_municipality({"name": "Gemeinde Musterhausen", "ags": "09162000", "population": 12000})
    for qid, answer in [
        ("beschluss", Answer(value=3)),
        ("qualifizierung", Answer(value="n/a", note="Ja, nein: 12:30")),
        ("kooperation", Answer(value="unknown")),
    ]:
        sheet.set_answer(qid, answer)
    sheet.set_assessed_on(dt.date(2026, 3, 1))
    text = path.read_text(encoding="utf-8")
    assert comments(text) == comments(original)
    assert "  beschluss: 3\n" in text and "  kooperation: weiß nicht\n" in text
    assert "  verantwortung:\n" in text  # unanswered questions stay blank
    # each new municipality field stands below its commented example in the template, inside the block
    block = text[text.index("municipality:") : text.index("answers:")]
    order = [
        "  # ags:",
        '  ags: "09162000"',
        "  # kind:",
        "  # population:",
        "  population: 12000",
        "# assessed_on",
    ]
    assert [block.index(part) for part in order] == sorted(block.index(part) for part in order)
    loaded = load_sheet(path, catalog(), mini).sheet
    assert loaded.municipality.name == "Gemeinde Musterhausen" and loaded.municipality.population == 12000
    assert loaded.assessed_on == dt.date(2026, 3, 1)
    assert loaded.answers["qualifizierung"] == Answer(value="n/a", note="Ja, nein: 12:30")
    assert set(loaded.answers) == {"beschluss", "qualifizierung", "kooperation"}


def test_create_writes_a_commented_valid_sheet(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "sub" / "neu.yaml"
    SheetFile.create(path, mini, interview_sheet(mini, "Stadt Übach"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Antwortbogen: Mini-Fragebogen")  # no schema reference to a file never written
    assert "# Gibt es einen Grundsatzbeschluss des Rates?" in text
    loaded = load_sheet(path, catalog(), mini).sheet
    assert loaded.municipality.name == "Stadt Übach" and loaded.answers == {}


def test_clearing_an_answer_leaves_the_question_blank(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    SheetFile.open(path, mini).set_answer("verantwortung", None)
    assert "verantwortung" not in reread(path, mini)


def test_removing_a_note_from_a_block_answer(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    SheetFile.open(path, mini).set_answer("beschluss", Answer(value=1))
    assert reread(path, mini)["beschluss"] == Answer(value=1)


def test_a_write_that_would_be_invalid_leaves_the_file_untouched(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)
    with pytest.raises(StufenplanError, match="bleibt unverändert"):
        sheet.set_answer("pilot", Answer(value=3))  # pilot's options are 0–2
    assert path.read_text(encoding="utf-8") == HAND_EDITED
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_four_space_indentation_is_kept(tmp_path: Path, mini: Questionnaire) -> None:
    text = "questionnaire: mini\nmunicipality:\n    name: X\nanswers:\n    beschluss: 1\n"
    assert detect_indent(text) == 4
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    SheetFile.open(path, mini).set_answer("pilot", Answer(value=2))
    assert path.read_text(encoding="utf-8") == text + "    pilot: 2\n"


def test_a_sheet_with_a_bom_and_empty_answers(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("\ufeffquestionnaire: mini\nmunicipality: {name: Öd}\nanswers:\n".encode())
    SheetFile.open(path, mini).set_answer("beschluss", Answer(value=2, note="ok"))
    assert reread(path, mini) == {"beschluss": Answer(value=2, note="ok")}


def test_read_state_refuses_a_sheet_for_another_questionnaire(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("questionnaire: stufenplan\nmunicipality: {name: X}\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="gehört zu Fragebogen 'stufenplan', nicht zu 'mini'"):
        read_state(path, catalog(), mini)


def test_read_state_reports_an_invalid_sheet_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("questionnaire: mini\nmunicipality:\n  name: X\nanswers:\n  pilot: 5\n  bechluss: 1\n")
    with pytest.raises(ValidationFailed) as caught:
        read_state(path, catalog())
    found = {(p.line, p.message.split(":")[0]) for p in caught.value.problems}
    assert (5, "Frage 'pilot'") in found
    assert any(
        line == 6 and "beschluss" in message
        for line, message in [(p.line, p.message) for p in caught.value.problems]
    )


def test_read_state_takes_the_questionnaire_from_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text((DATA / "mini-sheet.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    state = read_state(path, catalog())
    assert state.questionnaire.id == "mini" and state.name == "Musterhausen"
    assert state.answers["verantwortung"] == Answer(value=2, note="Stabsstelle seit 2024")


NOTE_TEXT = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\x85"
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@given(note=NOTE_TEXT)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_note_reads_back_as_typed(tmp_path: Path, mini: Questionnaire, note: str) -> None:
    """Notes such as ``yes``, ``12:30``, ``2023``, ``null`` or ``#1`` must not turn into other values."""
    path = tmp_path / "n.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)
    sheet.set_answer("pilot", Answer(value=2, note=note))
    sheet.set_answer("beschluss", Answer(value=1, note=note))
    sheet.set_municipality({"kind": note})
    loaded = load_sheet(path, catalog(), mini).sheet
    assert loaded.answers["pilot"].note == note
    assert loaded.answers["beschluss"].note == note
    assert loaded.municipality.kind == note


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root may write anywhere")
def test_a_read_only_sheet_is_refused_with_a_message(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        sheet = SheetFile.open(path, mini)
        with pytest.raises(StufenplanError, match="kann nicht gespeichert werden"):
            sheet.check_writable()
        with pytest.raises(StufenplanError, match="kann nicht gespeichert werden"):
            sheet.set_answer("pilot", Answer(value=1))
    finally:
        tmp_path.chmod(0o755)
    assert path.read_text(encoding="utf-8") == HAND_EDITED


def test_a_failing_write_becomes_a_message(
    tmp_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(
        StufenplanError, match="kann nicht gespeichert werden: kein Platz mehr auf dem Datenträger"
    ):
        sheet.set_answer("pilot", Answer(value=1))
    assert path.read_text(encoding="utf-8") == HAND_EDITED
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]  # no temporary file left


ANSWER = st.one_of(
    st.none(),
    st.builds(
        Answer,
        value=st.sampled_from([0, 1, 2, "unknown", "n/a"]),
        note=st.one_of(st.none(), NOTE_TEXT),
    ),
)


@given(
    changes=st.lists(
        st.tuples(st.sampled_from(["beschluss", "verantwortung", "pilot", "kooperation"]), ANSWER),
        max_size=12,
    )
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_sequence_of_changes_reads_back_as_the_last_answers(
    tmp_path: Path, mini: Questionnaire, changes: list[tuple[str, Answer | None]]
) -> None:
    """Whatever is set, cleared and set again, the core reads exactly the last answer of each question."""
    for start in (HAND_EDITED, blank_sheet(mini, municipality="X")):
        path = tmp_path / "seq.yaml"
        path.write_text(start, encoding="utf-8")
        expected = dict(load_sheet(path, catalog(), mini).sheet.answers) if start == HAND_EDITED else {}
        sheet = SheetFile.open(path, mini)
        for qid, answer in changes:
            sheet.set_answer(qid, answer)
            if answer is None:
                expected.pop(qid, None)
            else:
                expected[qid] = answer
        assert reread(path, mini) == expected
        assert comment_lines(path.read_text(encoding="utf-8")) == comment_lines(start)


def test_changes_made_by_hand_during_the_interview_are_kept(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)
    sheet.set_answer("pilot", Answer(value=1))
    edited = path.read_text(encoding="utf-8").replace("verantwortung: 1", "verantwortung: 3  # korrigiert")
    path.write_text(edited, encoding="utf-8")
    sheet.set_answer("kooperation", Answer(value=2))
    text = path.read_text(encoding="utf-8")
    assert "verantwortung: 3  # korrigiert" in text
    assert reread(path, mini)["kooperation"] == Answer(value=2)
    assert reread(path, mini)["pilot"] == Answer(value=1)


def test_a_sheet_broken_by_hand_during_the_interview_is_not_overwritten(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    sheet = SheetFile.open(path, mini)
    broken = HAND_EDITED.replace("verantwortung: 1", "verantwortung: 9")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StufenplanError, match="während des Interviews geändert"):
        sheet.set_answer("pilot", Answer(value=1))
    assert path.read_text(encoding="utf-8") == broken


def test_windows_line_ends_and_a_document_start_are_kept(tmp_path: Path, mini: Questionnaire) -> None:
    path = tmp_path / "win.yaml"
    text = "---\r\nquestionnaire: mini\r\nmunicipality:\r\n  name: X\r\nanswers:\r\n  beschluss: 2 # a\r\n"
    path.write_bytes(text.encode())
    sheet = SheetFile.open(path, mini)
    sheet.set_answer("pilot", Answer(value=1))
    sheet.set_answer("kooperation", Answer(value=0))  # a second write after the first CRLF one
    written = path.read_bytes().decode()
    assert written == text + "  pilot: 1\r\n  kooperation: 0\r\n"


@pytest.mark.parametrize(
    "given",
    [
        [("ags", "09162000"), ("kind", "Gemeinde"), ("population", 12000)],
        [("population", 12000), ("ags", "09162000"), ("kind", "Gemeinde")],  # back with z, then filled
    ],
)
def test_metadata_from_the_interview_stands_below_its_example_in_the_template(
    tmp_path: Path, mini: Questionnaire, given: list[tuple[str, object]]
) -> None:
    path = tmp_path / "neu.yaml"
    sheet = SheetFile.create(path, mini, interview_sheet(mini, "Testdorf"))
    before = comment_lines(path.read_text(encoding="utf-8"))
    for key, value in given:
        sheet.set_municipality({key: value})
    text = path.read_text(encoding="utf-8")
    block = text[text.index("municipality:") : text.index("# assessed_on")].splitlines()
    assert [line.split("#")[0].strip() or line.strip().split()[1] for line in block] == [
        "municipality:",
        'name: "Testdorf"',
        "ags:",
        'ags: "09162000"',
        "kind:",
        'kind: "Gemeinde"',
        "state:",
        "population:",
        "population: 12000",
    ]
    assert comment_lines(text) == before  # every comment kept, in its order
    m = load_sheet(path, catalog(), mini).sheet.municipality
    assert (m.ags, m.kind, m.population) == ("09162000", "Gemeinde", 12000)
