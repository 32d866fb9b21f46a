"""Terminal renderings shared by ``score`` and ``assess``: what a reader sees must agree with the result."""

from __future__ import annotations

from stufenplan_cli.cli.present import print_result_detail, render_to_text, score_percent
from stufenplan_cli.cli.score_table import score_table
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import score_file
from tests.conftest import DATA


def test_a_score_just_below_its_threshold_never_shows_as_the_threshold() -> None:
    assert score_percent(0.598, 0.6, met=False) == "59 %"  # round() would say 60 %
    assert score_percent(0.5949, 0.6, met=False) == "59 %"  # other scores round as everywhere
    assert score_percent(0.5897, 0.6, met=False) == "59 %"
    assert score_percent(0.6449, 0.65, met=False) == "64 %"
    assert score_percent(0.598, 0.6, met=True) == "60 %"  # met within the scoring tolerance
    assert score_percent(0.0, 0.6, met=False) == "0 %"
    assert score_percent(None, 0.6, met=False) == "–"


def test_stage_lines_and_table_show_an_open_stage_below_its_threshold() -> None:
    cat = Catalog(extra_dirs=[DATA])
    result = score_file(DATA / "mini-sheet.yaml", cat)
    q = cat.by_id("mini")
    first = result.stages[0].model_copy(update={"score": 0.598, "score_met": False, "reached": False})
    result = result.model_copy(update={"stages": [first, *result.stages[1:]], "stage": 0})
    text = render_to_text(lambda c: print_result_detail(c, result, q), width=100)
    assert "59 % / 60 %  offen" in text
    assert "60 % / 60 %" not in text
    table = render_to_text(lambda c: c.print(score_table([result])), width=100)
    assert "59 %" in table and "60 %" not in table.split("Einordnung")[1].split("\n", 1)[1]


def test_a_shortened_dimension_title_has_no_space_before_its_ellipsis() -> None:
    cat = Catalog(extra_dirs=[DATA])
    result = score_file(DATA / "mini-sheet.yaml", cat)
    long = "Smart City als Erprobungsfeld für neue Arbeitsweisen und Kooperationen nutzen"
    dims = [d.model_copy(update={"title": long}) for d in result.dimensions]
    result = result.model_copy(update={"dimensions": dims})
    text = render_to_text(lambda c: print_result_detail(c, result, cat.by_id("mini")), width=80)
    assert "Smart City als Erprobungsfeld für neue Arbeitsweisen…" in text
    assert " …" not in text


def test_next_steps_are_headed_by_the_measure_name_and_keep_it_whole_when_brief() -> None:
    from stufenplan_cli.cli.next_steps import print_next_steps

    cat = Catalog(extra_dirs=[DATA])
    q = cat.by_id("roadmap-test")
    result = score_file(DATA / "roadmap-sheet.yaml", cat)
    # roadmap order: s2-pilot (key, with an action), s2-rechte (no action), s2-werkzeuge (action)
    full = " ".join(render_to_text(lambda c: print_next_steps(c, result, q), width=80).split())
    assert "1. Stufe 2 · Schlüsselfrage · Ersten Anwendungsfall mit einem Fachamt als Pilot starten →" in full
    assert "Wählen Sie mit einem Fachamt" in full and "wer die Lösung danach betreibt." in full
    assert (
        "2. Stufe 2 · Stand klären · Sichern Dienstleistungsverträge die Nutzungsrechte der Kommune? →"
        in full
    )
    # brief: the question is cut to one line, a named measure is never cut and stands without its text
    brief = render_to_text(lambda c: print_next_steps(c, result, q, brief=2), width=60)
    assert "Ersten Anwendungsfall mit einem Fachamt als Pilot starten" in " ".join(brief.split())
    assert "Wählen Sie" not in brief and "…" in brief
    assert "Vollständig stehen die Empfehlungen im Bericht." in brief


def test_a_bar_below_its_threshold_stops_short_of_the_mark_and_one_above_reaches_it() -> None:
    from stufenplan_cli.cli.present import bar

    below, at, above = (bar(v, 20, 0.6).plain for v in (0.58, 0.6, 0.61))
    assert below == "█" * 11 + "░┃" + "░" * 7  # 58 % rounds to 12 cells, which would touch the mark
    assert at == above == "█" * 12 + "┃" + "░" * 7
    assert bar(0.9, 20, 0.6).plain == "█" * 12 + "┃" + "█" * 5 + "░" * 2
    assert bar(None, 10, 0.5).plain == "░" * 5 + "┃" + "░" * 4
    assert bar(0.5, 10).plain == "█" * 5 + "░" * 5
