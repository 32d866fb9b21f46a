"""Funding programmes as data: who offers them, which Länder they serve and how current their status is."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, model_validator

from stufenplan_cli.domain.models.common import Loc, Slug, Strict, Text, report

Status = Literal["offen", "ohne_aufruf", "beendet", "angebot", "weg"]


class Programme(Strict):
    """One programme or route; ``states`` empty means every Land."""

    id: Slug
    name: Text
    by: Text = Field(description="wer es anbietet")
    what: Text = Field(description="was es bietet, in einem bis drei Sätzen")
    example: str | None = None
    states: list[Text] = Field(default=[], description="Länder, deren Kommunen es offensteht")
    status: Status
    status_note: str | None = Field(default=None, description="der Status in Worten, für den Bericht")
    checked: dt.date = Field(description="Datum, auf das sich der Status stützt")


class State(Strict):
    """A Land with the first two digits of its AGS and the short forms a sheet may use."""

    name: Text
    ags: str = Field(pattern=r"^\d{2}$")
    aliases: list[Text] = Field(default=[])


class Funding(Strict):
    """The funding file: programmes in the order the report shows them, and the Länder they name."""

    programmes: list[Programme]
    states: list[State]

    @model_validator(mode="after")
    def _states_known(self, info: ValidationInfo) -> Funding:
        known = {s.name for s in self.states}
        problems: list[tuple[Loc, str]] = [
            (("programmes", i, "states", j), f"unbekanntes Land {name!r}")
            for i, p in enumerate(self.programmes)
            for j, name in enumerate(p.states)
            if name not in known
        ]
        report(info, problems)
        return self

    def state_of(self, state: str | None, ags: str | None) -> str | None:
        """The Land's full name from a sheet's ``state`` (name or short form) or, failing that, its AGS."""
        if state:
            wanted = " ".join(state.split()).casefold()
            for s in self.states:
                if wanted in {s.name.casefold(), *(a.casefold() for a in s.aliases)}:
                    return s.name
        if ags:
            return next((s.name for s in self.states if s.ags == ags[:2]), None)
        return None

    def shown_for(self, state: str | None) -> list[Programme]:
        """What a municipality in ``state`` can use: open to its Land (all when unknown) and not ended."""
        return [
            p
            for p in self.programmes
            if p.status != "beendet" and (state is None or not p.states or state in p.states)
        ]
