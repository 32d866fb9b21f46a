"""Which funding programmes a report shows: those open to the municipality's Land, all when it is unknown."""

from __future__ import annotations

from typing import Any

from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.files.funding import load_funding


def funding_for(municipality: Municipality) -> dict[str, Any]:
    """The Land as the report names it, the programmes (with money or advice) and the routes to check.

    ``state`` is None when neither the sheet's ``state`` nor its AGS names a Land; then every programme is
    shown, each with the Länder it is limited to.
    """
    funding = load_funding()
    state = funding.state_of(municipality.state, municipality.ags)
    shown = [p.model_dump(mode="json") for p in funding.shown_for(state)]
    return {
        "state": state,
        "programmes": [p for p in shown if p["status"] != "weg"],
        "routes": [p for p in shown if p["status"] == "weg"],
    }
