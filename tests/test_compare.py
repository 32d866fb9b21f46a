"""Comparisons: two years of one municipality, a region of six and one of four, anonymized."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.errors import InputError
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.services.batch import Settings, score_many
from stufenplan_cli.services.compare import Profile, codes, compare, profile
from tests.consultant_helpers import DATA, sheet, write

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]
FULL = {"beschluss": 3, "verantwortung": 3, "qualifizierung": 3, "pilot": 2, "werkzeuge": 3, "kooperation": 3}

# Six municipalities; placements, gaps and dimension scores worked out by hand (mini.yaml):
REGION: dict[str, dict[str, Any]] = {
    "Adorf": FULL,  # everything full: stage 3
    "Bedorf": dict.fromkeys(FULL, 0),  # nothing: stage 0
    # stage 1 = (2·1 + 2/3 + 1/3)/4 = 0.75; stage 2 = (0.5 + 2/3)/2 = 0.58 < 0.6: stage 1
    "Cedorf": {"beschluss": 3, "verantwortung": 2, "qualifizierung": 1, "pilot": 1, "werkzeuge": 2},
    # as Cedorf with pilot 2: stage 2 = (1 + 2/3)/2 = 0.83; kooperation missing: stage 2
    "Dedorf": {"beschluss": 3, "verantwortung": 2, "qualifizierung": 1, "pilot": 2, "werkzeuge": 2},
    # key question beschluss 1/3 < 0.5 keeps stage 1 open; stages 2 and 3 are met: two stages, stage 2
    "Eedorf": {**FULL, "beschluss": 1},
    # stage 1 = (2 + 1 + 0)/4 = 0.75, stage 2 = 1, kooperation missing: stage 2
    "Efdorf": {"beschluss": 3, "verantwortung": 3, "qualifizierung": 0, "pilot": 2, "werkzeuge": 3},
}


def region_files(tmp_path: Path, names: list[str]) -> list[Path]:
    paths = []
    for i, name in enumerate(names):
        data = sheet(
            name,
            REGION[name],
            municipality={"ags": f"0927{i:04d}", "kind": "Gemeinde" if i % 2 else "Markt"},
            assessed_on=dt.date(2026, 1 + i, 10),
        )
        paths.append(write(tmp_path / "region" / f"{i:02d}-{name.lower()}.yaml", data))
    return paths


def profiles_of(paths: list[Path]) -> list[Profile]:
    outcomes = list(score_many(paths, Settings((DATA,)), transform=profile))
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    return [o.value for o in outcomes if o.value is not None]


@pytest.fixture
def mini() -> Any:
    return Catalog(extra_dirs=[DATA]).by_id("mini")


@pytest.fixture
def two_years(tmp_path: Path) -> list[Path]:
    m = {"ags": "09162000", "kind": "Gemeinde"}
    early = sheet(
        "Musterhausen",
        {"beschluss": 1, "verantwortung": 2, "qualifizierung": 0, "pilot": 2, "werkzeuge": 0},
        municipality=m,
        assessed_on=dt.date(2024, 3, 1),
    )
    late = sheet(
        "Musterhausen",
        {
            "beschluss": 3,
            "verantwortung": 2,
            "qualifizierung": 2,
            "pilot": 1,
            "werkzeuge": 2,
            "kooperation": 1,
        },
        municipality=m,
        assessed_on=dt.date(2026, 3, 1),
    )
    # Given newest first: the time line must sort by assessed_on.
    return [write(tmp_path / "2026.yaml", late), write(tmp_path / "2024.yaml", early)]


def test_two_years_of_one_municipality(two_years: list[Path], mini: Any) -> None:
    c = compare(profiles_of(two_years), mini)
    assert c.kind == "timeline" and c.timeline is not None
    tl = c.timeline
    assert [a.assessed_on for a in tl.assessments] == ["2024-03-01", "2026-03-01"]
    # 2024: beschluss 1/3 fails the key question, stage 2 = (1 + 0)/2 = 0.5 -> no stage met;
    # 2026: stage 1 = (2 + 2/3 + 2/3)/4 = 0.83
    assert (tl.stage_from, tl.stage_to) == (0, 1)
    stage1 = tl.stages[0]
    assert stage1.first == pytest.approx((2 / 3 + 2 / 3 + 0) / 4)
    assert stage1.last == pytest.approx((2 + 2 / 3 + 2 / 3) / 4)
    assert stage1.change == pytest.approx(0.5)
    # stage 2: (1 + 0)/2 -> (0.5 + 2/3)/2
    assert tl.stages[1].change == pytest.approx((0.5 + 2 / 3) / 2 - (1 + 0) / 2)
    assert [q.id for q in tl.improved] == ["beschluss", "qualifizierung", "werkzeuge", "kooperation"]
    assert [q.id for q in tl.fallen_back] == ["pilot"]
    pilot = tl.fallen_back[0]
    assert (pilot.before, pilot.after) == ("2 – Echtbetrieb", "1 – Pilot")
    assert tl.improved[-1].before == "nicht beantwortet"


def test_two_years_as_a_document(two_years: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", *map(str, two_years), *QDIR])
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# Fortschritt seit der letzten Einschätzung: Musterhausen")
    assert "erstmals eine Stufe erreicht: **Stufe 1 „Wissenstransfer und Kompetenzaufbau“**" in md
    assert "| 33 % | 83 % ✓ | +50 Pp. |" in md
    assert "| Läuft eine digitale Lösung im Echtbetrieb? | 2 | 2 – Echtbetrieb | 1 – Pilot |" in md
    out = tmp_path / "verlauf.html"
    result = runner.invoke(app, ["compare", *map(str, two_years), "-f", "html", "-o", str(out), *QDIR])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<svg" in html and "Fortschritt seit der letzten Einschätzung" in html


def test_region_of_six(tmp_path: Path, mini: Any) -> None:
    paths = region_files(tmp_path, list(REGION))
    c = compare(profiles_of(paths), mini)
    assert c.kind == "region" and c.region is not None
    r = c.region
    assert [a.label for a in r.assessments] == sorted(REGION)
    assert {a.label: a.stage for a in r.assessments} == {
        "Adorf": 3, "Bedorf": 0, "Cedorf": 1, "Dedorf": 2, "Eedorf": 2, "Efdorf": 2,
    }  # fmt: skip
    assert [(s.id, s.count) for s in r.distribution] == [(0, 1), (1, 1), (2, 3), (3, 1)]
    # qualifizierung: gap in Bedorf, Cedorf, Dedorf (1/3), Efdorf; kooperation: Bedorf and the three without it.
    assert [(g.id, g.count, g.applicable) for g in r.common_gaps] == [
        ("qualifizierung", 4, 6),
        ("kooperation", 4, 6),
    ]
    strategie = next(p for p in r.pairings if p.id == "strategie")
    # strategie = (2·beschluss + verantwortung + werkzeuge + kooperation)/5
    assert [(m.label, round(m.score, 3)) for m in strategie.strong] == [
        ("Adorf", 1.0), ("Efdorf", 0.8), ("Eedorf", 0.733), ("Cedorf", 0.667), ("Dedorf", 0.667),
    ]  # fmt: skip
    assert [m.label for m in strategie.weak] == ["Bedorf"]
    umsetzung = next(p for p in r.pairings if p.id == "umsetzung")
    assert [m.label for m in umsetzung.strong] == ["Adorf", "Eedorf", "Dedorf", "Efdorf"]
    assert r.overall is not None and r.overall.count == 6
    assert r.group_views_shown
    kinds = {g.name: g.count for g in r.groups if g.by == "kind"}
    assert kinds == {"Gemeinde": 3, "Markt": 3}


def test_region_keeps_the_latest_sheet_of_each_municipality(tmp_path: Path, mini: Any) -> None:
    paths = region_files(tmp_path, ["Adorf", "Bedorf"])
    older = sheet(
        "Adorf", REGION["Bedorf"], municipality={"ags": "09270000"}, assessed_on=dt.date(2020, 1, 1)
    )
    paths.append(write(tmp_path / "alt.yaml", older))
    c = compare(profiles_of(paths), mini)
    assert c.region is not None and c.region.superseded == 1
    assert {a.label: a.stage for a in c.region.assessments} == {"Adorf": 3, "Bedorf": 0}


def test_region_document(tmp_path: Path) -> None:
    paths = region_files(tmp_path, list(REGION))
    out = tmp_path / "region.html"
    args = ["compare", str(tmp_path / "region"), "-f", "html", "-o", str(out), "--title", "Ilzer Land", *QDIR]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Regionaler Vergleich: Ilzer Land" in html
    assert 'id="heatmap"' in html and "Adorf" in html
    assert "Gemeinsame Lücken" in html and "Werden Beschäftigte qualifiziert?" in html
    assert "Mayen-Koblenz" in html  # the Difu tip on working together
    md = runner.invoke(app, ["compare", *map(str, paths), *QDIR]).stdout
    assert "| noch keine Stufe erreicht | 1 | 17 % |" in md
    assert "| Werden Beschäftigte qualifiziert? | 1 | Umsetzung | 4 von 6 (67 %) |" in md


def _all_text(tmp_path: Path, sources: list[str], name: str) -> dict[str, str]:
    texts = {}
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"{name}.{fmt}"
        result = runner.invoke(app, ["compare", *sources, "--anonymize", "-f", fmt, "-o", str(out), *QDIR])
        assert result.exit_code == 0, result.output
        texts[fmt] = out.read_text(encoding="utf-8")
    return texts


def test_anonymized_region_of_six_shows_group_views_with_codes_only(tmp_path: Path) -> None:
    paths = region_files(tmp_path, list(REGION))
    texts = _all_text(tmp_path, [str(p) for p in paths], "anon6")
    for fmt, text in texts.items():
        for name in REGION:
            assert name not in text, (fmt, name)
        assert "09270000" not in text and "region/" not in text
        assert "K01" in text and "K06" in text
    assert "## Verteilung über die Stufen" in texts["md"]
    assert "mindestens 5 Kommunen" in texts["md"]  # the rule is stated
    data = json.loads(texts["json"])
    assert data["anonymized"] is True and data["region"]["group_views_shown"] is True
    assert sorted(a["label"] for a in data["region"]["assessments"]) == [f"K0{i}" for i in range(1, 7)]
    assert all(a["file"] is None and a["ags"] is None for a in data["region"]["assessments"])


def test_anonymized_region_of_four_hides_group_views(tmp_path: Path) -> None:
    paths = region_files(tmp_path, ["Adorf", "Bedorf", "Cedorf", "Dedorf"])
    texts = _all_text(tmp_path, [str(p) for p in paths], "anon4")
    md = texts["md"]
    assert "## Verteilung über die Stufen" not in md and "## Gemeinsame Lücken" not in md
    assert "**Mittelwert**" not in md and "| Dimension | Mittelwert |" not in md
    assert "erst ab 5 Kommunen" in md
    data = json.loads(texts["json"])
    region = data["region"]
    assert region["group_views_shown"] is False
    assert region["distribution"] == [] and region["common_gaps"] == [] and region["overall"] is None
    assert all(p["mean"] is None for p in region["pairings"])
    # Without --anonymize the same four get the full picture.
    plain = runner.invoke(app, ["compare", *map(str, paths), *QDIR]).stdout
    assert "## Verteilung über die Stufen" in plain and "Adorf" in plain


def _kinds_region(tmp_path: Path, kinds: list[str]) -> list[Profile]:
    answers = list(REGION.values())
    paths = [
        write(
            tmp_path / "kinds" / f"{i:02d}.yaml",
            sheet(
                f"Ort {i}",
                answers[i % len(answers)],
                municipality={"ags": f"0928{i:04d}", **({"kind": kind} if kind else {})},
            ),
        )
        for i, kind in enumerate(kinds)
    ]
    return profiles_of(paths)


def test_anonymized_view_by_kind_is_withheld_when_the_rest_could_be_worked_out(
    tmp_path: Path, mini: Any
) -> None:
    # Six Gemeinden and one Landkreis: the Landkreis group (1) is hidden, but "all seven" minus "the six
    # Gemeinden" would still give away the Landkreis's figures, so the whole view by kind goes.
    profiles = _kinds_region(tmp_path, ["Gemeinde"] * 6 + ["Landkreis"])
    region = compare(profiles, mini, anonymize=True).region
    assert region is not None and region.overall is not None and region.overall.count == 7
    assert region.groups == [] and region.views_withheld == ["kind"] and region.groups_hidden == 1
    # Not anonymized, the Gemeinden are shown (the Landkreis, alone, makes no group).
    plain = compare(profiles, mini).region
    assert plain is not None and [g.name for g in plain.groups] == ["Gemeinde"] and not plain.views_withheld


def test_anonymized_view_by_kind_is_shown_when_every_group_is_big_enough(tmp_path: Path, mini: Any) -> None:
    profiles = _kinds_region(tmp_path, ["Gemeinde"] * 5 + ["Stadt"] * 5)
    region = compare(profiles, mini, anonymize=True).region
    assert region is not None and [(g.name, g.count) for g in region.groups] == [
        ("Gemeinde", 5),
        ("Stadt", 5),
    ]
    assert region.views_withheld == [] and region.groups_hidden == 0


def test_withheld_view_is_explained_in_the_document(tmp_path: Path) -> None:
    _kinds_region(tmp_path, ["Gemeinde"] * 6 + ["Landkreis"])
    out = tmp_path / "anon.md"
    result = runner.invoke(app, ["compare", str(tmp_path / "kinds"), "--anonymize", "-o", str(out), *QDIR])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Die Auswertung nach Art entfällt ganz" in text and "| Landkreis |" not in text
    assert "Eine Gruppe mit weniger als 5 Kommunen wird nicht gezeigt." in text  # the Landkreis, not both


def test_withheld_view_is_explained_even_when_no_group_is_small(tmp_path: Path, mini: Any) -> None:
    # Five Gemeinden, five Städte and one municipality without a kind: no group is small, but the one
    # without would be "all eleven" minus the two groups.
    from stufenplan_cli.render.comparison import render_comparison

    profiles = _kinds_region(tmp_path, ["Gemeinde"] * 5 + ["Stadt"] * 5 + [""])
    c = compare(profiles, mini, anonymize=True)
    assert c.region is not None and c.region.views_withheld == ["kind"] and c.region.groups_hidden == 0
    for fmt in ("md", "html"):
        assert "Die Auswertung nach Art entfällt ganz" in str(render_comparison(c, fmt))


def test_codes_are_deterministic_and_not_in_name_order() -> None:
    towns = [Municipality(name=n) for n in ["Adorf", "Bedorf", "Cedorf", "Dedorf", "Eedorf", "Efdorf"]]
    first = codes(towns)
    assert codes(reversed(towns)) == first
    assert sorted(first.values()) == ["K01", "K02", "K03", "K04", "K05", "K06"]
    in_name_order = [first[f"name:{t.name.casefold()}"] for t in towns]
    assert in_name_order != sorted(in_name_order)


def test_compare_refuses_other_questionnaire(tmp_path: Path, mini: Any) -> None:
    qdir = tmp_path / "q"
    qdir.mkdir()
    (qdir / "mini.yaml").write_text((DATA / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: mini-b", 1)
    (qdir / "mini-b.yaml").write_text(text, encoding="utf-8")
    a = write(tmp_path / "a.yaml", sheet("Adorf", FULL))
    b = write(tmp_path / "b.yaml", {**sheet("Bedorf", FULL), "questionnaire": "mini-b"})
    result = runner.invoke(app, ["compare", str(a), str(b), "--questionnaires-dir", str(qdir)])
    assert result.exit_code == 1
    assert "verschiedenen Fragebögen" in " ".join(result.stderr.split())
    with pytest.raises(InputError):
        outcomes = score_many([a, b], Settings((qdir,)), transform=profile)
        compare([o.value for o in outcomes if o.value is not None], mini)


def test_bad_sheet_is_listed_and_the_rest_compared(tmp_path: Path) -> None:
    paths = region_files(tmp_path, ["Adorf", "Bedorf", "Cedorf"])
    bad = tmp_path / "region" / "99-kaputt.yaml"
    bad.write_text(
        "questionnaire: mini\nmunicipality: {name: X}\nanswers:\n  beschluss: 1\n  beschluss: 2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compare", str(tmp_path / "region"), *QDIR])
    assert result.exit_code == 1
    assert "Adorf" in result.stdout
    assert "99-kaputt.yaml:5" in "".join(result.stderr.split()) and "doppelt" in result.stderr
    assert len(paths) == 3


def test_one_sheet_is_not_a_comparison(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", sheet("Adorf", FULL))
    result = runner.invoke(app, ["compare", str(a), *QDIR])
    assert result.exit_code == 2 and "mindestens zwei" in result.stderr


def test_existing_output_needs_force(two_years: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "v.md"
    out.write_text("alt", encoding="utf-8")
    result = runner.invoke(app, ["compare", *map(str, two_years), "-o", str(out), *QDIR])
    assert result.exit_code == 1 and out.read_text(encoding="utf-8") == "alt"
    result = runner.invoke(app, ["compare", *map(str, two_years), "-o", str(out), "--force", *QDIR])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Fortschritt")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_region(tmp_path: Path, mini: Any, fmt: str) -> None:
    from stufenplan_cli.render.comparison import render_comparison
    from tests.test_render import check_golden

    c = compare(profiles_of(region_files(tmp_path, list(REGION))), mini)
    text = render_comparison(c, fmt, title="Ilzer Land", today=dt.date(2026, 11, 23))  # type: ignore[arg-type]
    if fmt == "html":  # the shared report.css is inlined; its own tests watch it, this one the content
        text = re.sub(r"<style>.*?</style>", "<style>…</style>", text, flags=re.S)
    check_golden(f"compare-region.{fmt}", text.replace(str(tmp_path), "TMP"))


def test_golden_timeline(two_years: list[Path], mini: Any) -> None:
    from stufenplan_cli.render.comparison import render_comparison
    from tests.test_render import check_golden

    c = compare(profiles_of(two_years), mini)
    check_golden("compare-timeline.md", render_comparison(c, "md", today=dt.date(2026, 11, 23)))


def test_hostile_names_are_escaped(tmp_path: Path, mini: Any) -> None:
    from stufenplan_cli.render.comparison import render_comparison

    hostile = '<script>alert("x")</script> *fett* | [link](http://evil)'
    paths = region_files(tmp_path, ["Adorf", "Bedorf"])
    paths.append(write(tmp_path / "h.yaml", sheet(hostile, FULL, municipality={"ags": "01001000"})))
    c = compare(profiles_of(paths), mini)
    html = render_comparison(c, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = render_comparison(c, "md")
    assert "<script>" not in md and "\\*fett\\*" in md and "\\|" in md


def test_hostile_names_and_titles_are_escaped_in_the_heading_too(tmp_path: Path, mini: Any) -> None:
    """The timeline's heading carries the name, the region's the --title: neither may open HTML or a link."""
    from stufenplan_cli.render.comparison import render_comparison

    hostile = "<img src=x onerror=alert(1)> [a](http://evil) *em*"
    timeline = [
        write(tmp_path / f"{year}.yaml", sheet(hostile, REGION["Bedorf"], assessed_on=dt.date(year, 3, 1)))
        for year in (2024, 2026)
    ]
    region = compare(profiles_of(region_files(tmp_path, ["Adorf", "Bedorf"])), mini)
    for c, title in ((compare(profiles_of(timeline), mini), None), (region, hostile)):
        md = render_comparison(c, "md", title=title)
        html = render_comparison(c, "html", title=title)
        assert not re.search(r"(?<!\\)<img", md) and "[a](" not in md and "*em*" not in md
        assert md.splitlines()[0].endswith(": \\<img src=x onerror=alert(1)\\> \\[a\\](http://evil) \\*em\\*")
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_timeline_without_stage_change_says_unchanged(tmp_path: Path) -> None:
    paths = [
        write(tmp_path / f"{year}.yaml", sheet("Bedorf", REGION["Bedorf"], assessed_on=dt.date(year, 3, 1)))
        for year in (2024, 2026)
    ]
    result = runner.invoke(app, ["compare", *map(str, paths), *QDIR])
    assert result.exit_code == 0, result.output
    assert "| **Einordnung** | unverändert: **noch keine Stufe erreicht** |" in result.stdout
    assert "✓ Stufe erreicht." not in result.stdout  # no legend for a mark that does not occur


@pytest.mark.parametrize(
    ("dated", "sentence"), [(1, "Ein Bogen hat kein Datum"), (0, "Zwei Bögen haben kein Datum")]
)
def test_timeline_names_undated_sheets_in_correct_german(tmp_path: Path, dated: int, sentence: str) -> None:
    paths = [
        write(
            tmp_path / f"{i}.yaml",
            sheet("Bedorf", REGION["Bedorf"], **({"assessed_on": dt.date(2026, 3, 1)} if i < dated else {})),
        )
        for i in range(2)
    ]
    result = runner.invoke(app, ["compare", *map(str, paths), *QDIR])
    assert result.exit_code == 0, result.output
    assert sentence in result.stdout


def test_common_gaps_go_stage_by_stage_and_the_document_details_the_first_ones(
    tmp_path: Path, mini: Any
) -> None:
    from stufenplan_cli.render.comparison import render_comparison

    # kooperation (stage 3) is a gap in all four, beschluss (stage 1) in two of four: the earlier stage
    # comes first even though fewer lack it, since the Stufenplan builds stage on stage.
    answers = [
        {**FULL, "kooperation": 0},
        {**FULL, "kooperation": 1},
        {**FULL, "kooperation": 0, "beschluss": 1},
        {**FULL, "kooperation": 0, "beschluss": 0},
    ]
    paths = [write(tmp_path / f"{i}.yaml", sheet(f"Ort {i}", a)) for i, a in enumerate(answers)]
    c = compare(profiles_of(paths), mini)
    assert c.region is not None
    assert [(g.id, g.count) for g in c.region.common_gaps] == [("beschluss", 2), ("kooperation", 4)]
    # With room for one in detail, the other is still named, in the short list.
    short = c.model_copy(update={"rules": c.rules.model_copy(update={"gaps_in_detail": 1})})
    md = render_comparison(short, "md", today=dt.date(2026, 11, 23))
    table, rest = md.split("Die Tabelle nennt die ersten 1 gemeinsamen Lücken")
    assert "Gibt es einen Grundsatzbeschluss des Rates?" in table
    assert "Eine weitere Frage ist ebenfalls" in rest and "– Stufe 3, Lücke in 4 von 4 (100 %)" in rest


def test_common_gaps_lead_with_the_measure_name_where_the_questionnaire_has_one(
    tmp_path: Path, mini: Any
) -> None:
    from stufenplan_cli.render.comparison import render_comparison

    action = "Grundsatzbeschluss des Rates vorbereiten"
    questions = [
        q.model_copy(update={"action": action}) if q.id == "beschluss" else q for q in mini.questions
    ]
    named = mini.model_copy(update={"questions": questions})
    # werkzeuge 0: stage 2 = (1 + 0)/2 < 0.6, so no stage's criteria are met anywhere
    answers = [{**FULL, "beschluss": 0, "kooperation": 0, "werkzeuge": 0} for _ in range(5)]
    paths = [write(tmp_path / f"{i}.yaml", sheet(f"Ort {i}", a)) for i, a in enumerate(answers)]
    c = compare(profiles_of(paths), named)
    md = render_comparison(c, "md", today=dt.date(2026, 11, 23))
    html = render_comparison(c, "html", today=dt.date(2026, 11, 23))
    assert f"| **{action}** – " in md and f"<strong>{action}</strong><br>" in html
    # A region that stands together before the first stage (this crashed the template once).
    assert "Noch keine der fünf Kommunen hat die erste Stufe erreicht" in md
    kooperation = next(line for line in md.splitlines() if "verbindliche Kooperation" in line)
    assert "**" not in kooperation  # a question without an action keeps its recommendation alone


def test_heat_map_of_a_big_region_comes_in_pieces_that_fit_a_page(tmp_path: Path, mini: Any) -> None:
    from stufenplan_cli.render.comparison import render_comparison

    profiles = _kinds_region(tmp_path, ["Gemeinde"] * 40)
    html = str(render_comparison(compare(profiles, mini), "html"))
    heat = html[html.index('<section class="major" id="heatmap">') : html.index('id="luecken"')]
    assert heat.count("<figure>") == 2 and 'id="heatmap-2"' in heat  # 36 rows, then 4
    assert heat.count("<figcaption>") == 1  # the explanation once, under the last piece
    assert heat.count(">Ort 39</text>") == 1 and heat.count(">D1</text>") == 2  # column heads again


def test_every_answer_status_has_its_german_words() -> None:
    """A new status (``skipped`` came with follow-up questions) must not show up in English in a document."""
    from typing import get_args

    from stufenplan_cli.domain.answer_words import STATUS_WORDS
    from stufenplan_cli.domain.models.result import Status

    assert set(get_args(Status)) <= set(STATUS_WORDS)
    assert STATUS_WORDS["skipped"] == "übersprungen (Folgefrage)"


@pytest.mark.parametrize(
    ("anonymize", "shown", "total", "withheld"),
    [
        (True, [5, 6], 13, True),  # 13 - 11 = 2 outside the shown groups: withheld
        (True, [5, 6], 11, False),  # nobody outside the shown groups
        (True, [5], 9, True),  # four outside could be worked out from the overall figures
        (True, [5], 10, False),  # five outside are a group of their own size
        (True, [], 4, False),  # no group shown, nothing to subtract
        (False, [2], 3, False),  # names shown anyway
    ],
)
def test_anonymity_rule_withholds_a_view_that_gives_away_the_rest(
    anonymize: bool, shown: list[int], total: int, withheld: bool
) -> None:
    from stufenplan_cli.services.compare.anonymity import withhold_view

    assert withhold_view(anonymize, shown, total) is withheld
