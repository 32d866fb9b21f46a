"""Merging workshop groups: median rules computed by hand, disagreement flagged, wrong merges refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import load
from stufenplan_cli.files.validation import questionnaire_from, sheet_from
from stufenplan_cli.services.merge import lower_median, merged_value, spread, to_yaml, unique_names
from tests.consultant_helpers import DATA, sheet, write

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3, 1, 2], 2), ([2, 1], 1), ([0, 3, 3, 1], 1), ([5], 5), ([3, 3, 0], 3), ([0, 0, 3, 3], 0)],
)
def test_lower_median(values: list[int], expected: int) -> None:
    assert lower_median(values) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["n/a", "n/a", 1], "n/a"),  # two of three say it does not apply
        (["n/a", 2], 2),  # a tie is no majority: the group that assessed it decides
        (["n/a", "n/a", 1, 3], 1),  # half is no majority; lower median of 1 and 3
        (["unknown", 3], 3),  # "weiß nicht" is ignored while anyone gave a value
        (["unknown", "unknown"], "unknown"),
        (["n/a", "unknown"], "unknown"),
        (["unknown", "unknown", "unknown", 0], 0),
        ([], None),
    ],
)
def test_merged_value_rules(answers: list[int | str], expected: int | str | None) -> None:
    assert merged_value(answers) == expected  # type: ignore[arg-type]


@given(st.lists(st.integers(0, 5), min_size=1, max_size=9), st.randoms())
def test_median_is_a_given_value_never_above_the_middle_and_order_free(
    values: list[int], rnd: object
) -> None:
    result = merged_value(values)  # type: ignore[arg-type]
    assert result in values
    ordered = sorted(values)
    assert result == ordered[(len(values) - 1) // 2]
    assert sum(v <= result for v in values) * 2 >= len(values)  # at least half the groups see this much
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert merged_value(shuffled) == result  # type: ignore[arg-type]


def test_spread_counts_option_levels_not_values() -> None:
    q = Questionnaire.model_validate(
        {
            "id": "x",
            "version": "1",
            "title": "X",
            "scale": [{"value": 0, "label": "a"}, {"value": 5, "label": "b"}, {"value": 10, "label": "c"}],
            "stages": [{"id": 1, "title": "S", "threshold": 0.5}],
            "dimensions": [{"id": "d", "title": "D"}],
            "questions": [{"id": "q", "stage": 1, "dimensions": ["d"], "text": "?"}],
        }
    )
    question = q.questions[0]
    assert spread(q, question, [0, 5]) == 1
    assert spread(q, question, [0, 10, 5]) == 2
    assert spread(q, question, []) == 0


def test_unique_names_tells_equal_groups_apart_by_file() -> None:
    names = unique_names(["Gruppe A", "Gruppe A", "Gruppe B"], ["x/a1.yaml", "x/a2.yaml", "x/b.yaml"])
    assert names == ["Gruppe A (a1)", "Gruppe A (a2)", "Gruppe B"]


@pytest.fixture
def groups(tmp_path: Path) -> list[Path]:
    """Three groups of Musterhausen; their answers are merged by hand in the test below."""
    a = sheet(
        "Musterhausen",
        {
            "beschluss": 3,
            "verantwortung": {"value": 2, "note": "Stabsstelle seit 2024"},
            "qualifizierung": "weiß nicht",
            "pilot": 0,
            "werkzeuge": "nicht zutreffend",
        },
        municipality={"ags": "09162000"},
        group="Verwaltung",
        assessed_on=dt.date(2026, 3, 1),
    )
    b = sheet(
        "Musterhausen",
        {
            "beschluss": 1,
            "verantwortung": {"value": 1, "note": "nur auf dem Papier"},
            "qualifizierung": 2,
            "pilot": 2,
            "werkzeuge": 1,
            "kooperation": "n/a",
        },
        assessor="Ratsfraktionen",
        assessed_on=dt.date(2026, 3, 2),
    )
    c = sheet(
        "musterhausen ", {"beschluss": 2, "pilot": 1, "werkzeuge": "n/a"}, municipality={"state": "Bayern"}
    )
    return [
        write(tmp_path / "a.yaml", a),
        write(tmp_path / "b.yaml", b),
        write(tmp_path / "gruppe-c.yaml", c),
    ]


def test_merge_by_hand(tmp_path: Path, groups: list[Path]) -> None:
    out = tmp_path / "merged.yaml"
    result = runner.invoke(app, ["merge", *map(str, groups), "--output", str(out), *QDIR])
    assert result.exit_code == 0, result.output
    assert "Diskussionsbedarf bei 2 Fragen: beschluss, pilot" in result.stderr
    mini = questionnaire_from(load(DATA / "mini.yaml"))
    merged = sheet_from(load(out), mini)  # the written file is a valid sheet
    values = {qid: a.value for qid, a in merged.answers.items()}
    assert values == {
        "beschluss": 2,  # 3, 1, 2 -> 2
        "verantwortung": 1,  # 2, 1 -> lower middle 1
        "qualifizierung": 2,  # unknown ignored next to 2
        "pilot": 1,  # 0, 2, 1 -> 1
        "werkzeuge": "n/a",  # two of three say n/a
        "kooperation": "n/a",  # the only group that answered says n/a
    }
    assert (
        merged.answers["verantwortung"].note
        == "Verwaltung: Stabsstelle seit 2024\nRatsfraktionen: nur auf dem Papier"
    )
    assert merged.municipality.ags == "09162000" and merged.municipality.state == "Bayern"
    assert merged.assessed_on == dt.date(2026, 3, 2)
    assert merged.merged is not None
    assert [(Path(s.file).name, s.group) for s in merged.merged.sources] == [
        ("a.yaml", "Verwaltung"),
        ("b.yaml", "Ratsfraktionen"),
        ("gruppe-c.yaml", "gruppe-c"),
    ]
    discussion = {d.question: d for d in merged.merged.discussion}
    assert set(discussion) == {"beschluss", "pilot"}  # verantwortung 2 vs 1 is only one level
    assert discussion["beschluss"].values == {"Verwaltung": 3, "Ratsfraktionen": 1, "gruppe-c": 2}
    assert discussion["beschluss"].spread == 2
    assert discussion["pilot"].values == {"Verwaltung": 0, "Ratsfraktionen": 2, "gruppe-c": 1}
    # Scoring keeps the merge record, so reports can show the "Diskussionsbedarf" section.
    assert score(mini, merged).merged == merged.merged
    text = out.read_text(encoding="utf-8")
    assert "# Gibt es einen Grundsatzbeschluss des Rates?" in text
    assert "Verwaltung, Ratsfraktionen, gruppe-c" in text


def test_discussion_spells_out_weiss_nicht_and_reads_back(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", sheet("Musterhausen", {"beschluss": 3}, group="Verwaltung"))
    b = write(tmp_path / "b.yaml", sheet("Musterhausen", {"beschluss": 0}, group="Rat"))
    c = write(tmp_path / "c.yaml", sheet("Musterhausen", {"beschluss": "weiß nicht"}, group="Bauhof"))
    out = tmp_path / "m.yaml"
    result = runner.invoke(app, ["merge", str(a), str(b), str(c), "-o", str(out), *QDIR])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Bauhof: weiß nicht" in text and "unknown" not in text  # as the answers are written
    merged = sheet_from(load(out), questionnaire_from(load(DATA / "mini.yaml")))
    assert merged.merged is not None
    assert merged.merged.discussion[0].values == {"Verwaltung": 3, "Rat": 0, "Bauhof": "unknown"}
    # Editors validating with `stufenplan schema answers` accept it too.
    jsonschema = pytest.importorskip("jsonschema")
    from stufenplan_cli.files.schema import schema_dict

    data = yaml.safe_load(text)
    assert list(jsonschema.Draft7Validator(schema_dict("answers")).iter_errors(data)) == []


def test_merge_refuses_other_municipality(tmp_path: Path, groups: list[Path]) -> None:
    other = write(
        tmp_path / "d.yaml", sheet("Nachbardorf", {"beschluss": 1}, municipality={"ags": "09162111"})
    )
    out = tmp_path / "m.yaml"
    result = runner.invoke(app, ["merge", str(groups[0]), str(other), "-o", str(out), *QDIR])
    assert result.exit_code == 1
    flat = " ".join(result.stderr.split())
    assert "verschiedenen Kommunen" in flat and "Nachbardorf" in flat and "09162000" in flat
    assert not out.exists()


def test_same_name_but_other_ags_is_another_municipality(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", sheet("Neustadt", {"beschluss": 1}, municipality={"ags": "07111000"}))
    b = write(tmp_path / "b.yaml", sheet("Neustadt", {"beschluss": 2}, municipality={"ags": "09111000"}))
    result = runner.invoke(app, ["merge", str(a), str(b), "-o", str(tmp_path / "m.yaml"), *QDIR])
    assert result.exit_code == 1 and "verschiedenen Kommunen" in " ".join(result.stderr.split())


def test_merge_refuses_other_questionnaire(tmp_path: Path, groups: list[Path]) -> None:
    qdir = tmp_path / "q"
    qdir.mkdir()
    (qdir / "mini.yaml").write_text((DATA / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: mini-b", 1)
    (qdir / "mini-b.yaml").write_text(text, encoding="utf-8")
    other = write(tmp_path / "x.yaml", {**sheet("Musterhausen", {"beschluss": 1}), "questionnaire": "mini-b"})
    result = runner.invoke(
        app,
        [
            "merge",
            str(groups[0]),
            str(other),
            "-o",
            str(tmp_path / "m.yaml"),
            "--questionnaires-dir",
            str(qdir),
        ],
    )
    assert result.exit_code == 1
    assert "verschiedenen Fragebögen" in " ".join(result.stderr.split())


def test_merge_refuses_an_invalid_sheet_with_its_line(tmp_path: Path, groups: list[Path]) -> None:
    bad = write(tmp_path / "bad.yaml", sheet("Musterhausen", {"pilot": 7}))
    result = runner.invoke(app, ["merge", str(groups[0]), str(bad), "-o", str(tmp_path / "m.yaml"), *QDIR])
    assert result.exit_code == 1
    assert "bad.yaml:" in "".join(result.stderr.split()) and "Wert 7" in result.stderr


def test_merge_needs_two_sheets_and_a_new_output(tmp_path: Path, groups: list[Path]) -> None:
    result = runner.invoke(app, ["merge", str(groups[0]), "-o", str(tmp_path / "m.yaml"), *QDIR])
    assert result.exit_code == 2
    before = groups[0].read_text(encoding="utf-8")
    result = runner.invoke(app, ["merge", *map(str, groups), "-o", str(groups[0]), "--force", *QDIR])
    assert result.exit_code == 2
    assert groups[0].read_text(encoding="utf-8") == before


def test_existing_output_needs_force(tmp_path: Path, groups: list[Path]) -> None:
    out = tmp_path / "m.yaml"
    out.write_text("von Hand nachbearbeitet\n", encoding="utf-8")
    result = runner.invoke(app, ["merge", *map(str, groups), "-o", str(out), *QDIR])
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "von Hand nachbearbeitet\n"
    result = runner.invoke(app, ["merge", *map(str, groups), "-o", str(out), "--force", *QDIR])
    assert result.exit_code == 0


def test_yaml_round_trips_special_values_and_quotes_ags(groups: list[Path]) -> None:
    cat = Catalog(extra_dirs=[DATA])
    from stufenplan_cli.services.merge import merge_files

    merged = merge_files(groups, cat)
    text = to_yaml(merged, cat.by_id("mini"), today=dt.date(2026, 3, 5))
    assert text.startswith("# Zusammengeführt mit stufenplan merge am 2026-03-05")
    assert 'ags: "09162000"' in text
    assert "werkzeuge: nicht zutreffend" in text
    from stufenplan_cli.files.reading import parse

    again = sheet_from(parse(text, "merged.yaml"), cat.by_id("mini"))
    assert again == merged
