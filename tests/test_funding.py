"""Funding as data: only programmes open to the municipality's Land, ended ones left out, JSON lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stufenplan_cli.domain.models.funding import Funding
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.errors import ValidationFailed
from stufenplan_cli.files.funding import load_funding
from stufenplan_cli.files.reading import parse
from stufenplan_cli.files.validation import model_from
from stufenplan_cli.render.funding import funding_for
from tests.conftest import make_sheet
from tests.test_render import DATA, render, scored


def _ids(municipality: Municipality) -> list[str]:
    shown = funding_for(municipality)
    return [p["id"] for p in shown["programmes"] + shown["routes"]]


def test_bundled_file_names_the_routes_every_municipality_checks() -> None:
    funding = load_funding()
    assert len(funding.states) == 16
    routes = [p.id for p in funding.programmes if p.status == "weg"]
    assert routes == ["land", "leader", "efre"]
    assert all(not p.states for p in funding.programmes if p.status == "weg")


def test_a_municipality_sees_only_what_its_land_offers() -> None:
    rlp = _ids(Municipality(name="Stadt Musterstadt", state="Rheinland-Pfalz"))
    assert "bayern-smart-cities-smart-regions" not in rlp and "digitale-doerfer" in rlp
    by = _ids(Municipality(name="Markt X", state="BY"))  # a short form names the Land too
    assert "bayern-smart-cities-smart-regions" in by and "digitale-doerfer" not in by
    assert {"land", "leader", "efre", "mpsc"} <= set(rlp) & set(by)


def test_the_ags_names_the_land_when_the_sheet_does_not() -> None:
    shown = funding_for(Municipality(name="Gemeinde Y", ags="07131001"))
    assert shown["state"] == "Rheinland-Pfalz"
    assert funding_for(Municipality(name="Gemeinde Z", state="Atlantis"))["state"] is None


def test_unknown_land_shows_every_programme_marked_with_its_land() -> None:
    everything = _ids(Municipality(name="Gemeinde Irgendwo"))
    assert everything == [p.id for p in load_funding().programmes if p.status != "beendet"]
    _, q = scored(DATA / "roadmap-sheet.yaml")
    result = score(q, make_sheet(q, {}, name="Gemeinde Irgendwo"))
    text = str(render(result, q, "md"))
    assert "Nur für Kommunen in Bayern." in text and "Nur für Kommunen in Rheinland-Pfalz." in text
    assert "weil der Bogen kein Land nennt" in text


def test_an_ended_programme_is_left_out() -> None:
    data = {
        "programmes": [
            {
                "id": "alt",
                "name": "Altes Programm",
                "by": "Bund",
                "what": "x",
                "status": "beendet",
                "checked": "2024-01-01",
            },
            {
                "id": "neu",
                "name": "Neues Programm",
                "by": "Bund",
                "what": "y",
                "status": "offen",
                "checked": "2025-01-01",
            },
        ],
        "states": [{"name": "Hessen", "ags": "06"}],
    }
    funding = Funding.model_validate(data)
    assert [p.id for p in funding.shown_for(None)] == ["neu"]
    assert [p.id for p in funding.shown_for("Hessen")] == ["neu"]


def test_a_programme_for_an_unknown_land_is_an_error_with_its_line() -> None:
    text = (
        "programmes:\n"
        "  - {id: a, name: A, by: B, what: C, status: offen, checked: 2025-01-01, states: [Hesen]}\n"
        "states:\n"
        "  - {name: Hessen, ags: '06'}\n"
    )
    with pytest.raises(ValidationFailed) as info:
        model_from(parse(text, "funding.yaml"), Funding)
    problem = info.value.problems[0]
    assert "Hesen" in problem.message and problem.line == 2


def test_example_report_and_json_show_the_same_programmes() -> None:
    from stufenplan_cli.files.catalog import Catalog
    from stufenplan_cli.files.sheets import load_sheet

    loaded = load_sheet(Path(__file__).parent.parent / "examples" / "musterstadt.yaml", Catalog())
    q = loaded.questionnaire
    result = score(q, loaded.sheet, file="musterstadt.yaml")
    md = str(render(result, q, "md"))
    record = json.loads(str(render(result, q, "json")))
    assert "Nur für Kommunen in Bayern" not in md and "Smart Cities Smart Regions" not in md
    assert record["funding"]["state"] == "Rheinland-Pfalz"
    names = [p["name"] for p in record["funding"]["programmes"]]
    assert names and all(name in md for name in names)
    assert {"LEADER, Förderperiode 2023–2027", "EFRE-Programm des Landes, Förderperiode 2021–2027"} <= set(
        names
    )
