"""The front sheet of the report as a council submission (Beschlussvorlage): the data, not the words.

What the council is asked to decide rests on the measures that matter now (the failed key questions and the
other gaps of the next stage, most urgent first); their effort classes give the financial implications as
ranges, summed; the dates come from the assessment date and the questionnaire's horizons. The wording lives
in ``report_templates/partials/texts.j2`` and ``submission.*.j2``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.roadmap import add_months

#: How many measures the resolution names; the rest of the fahrplan follows in the report.
PROPOSED = 3
#: The report asks for a costed concept this many months after the assessment when the questionnaire
#: defines no horizon with months, and for a repeated assessment after REPEAT_MONTHS.
CONCEPT_MONTHS = 6
REPEAT_MONTHS = 12
RANGES = ("staff_days", "cost_eur", "fte", "cost_eur_per_year")

Range = tuple[float, float]

# A note that says the matter is done ("erledigt", "abgeschlossen", "bereits umgesetzt") contradicts an answer
# below the best option: the resolution never commissions it, the report asks to check the answer instead.
# Only unambiguous words count ("liegt vor" often means partly), and not after "nicht"/"noch nicht".
_DONE = re.compile(
    r"(?<!nicht )(?<!kein )\b(erledigt|abgeschlossen|(?:bereits|vollständig) umgesetzt)\b", re.IGNORECASE
)


def done_by_note(note: str | None) -> bool:
    """Whether a sheet's note says the measure is already done."""
    return bool(note and _DONE.search(note))


@dataclass(frozen=True, slots=True)
class HorizonView:
    """A horizon as the report defines it once: its title, its span and the date it ends for this sheet."""

    id: str
    title: str
    description: str | None
    months: int | None
    due: str | None  #: ISO date: assessment date plus ``months``


@dataclass(frozen=True, slots=True)
class CostLine:
    """One proposed measure with the ranges of its effort class (None: the class leaves it out)."""

    rank: int
    action: str
    effort: str | None  #: title of the effort class, None when the questionnaire gives none
    staff_days: Range | None
    cost_eur: Range | None
    fte: Range | None
    cost_eur_per_year: Range | None


@dataclass(frozen=True, slots=True)
class Finances:
    """The financial implications: one line per proposed measure and the sums of the ranges."""

    lines: list[CostLine]
    totals: dict[str, Range | None] = field(default_factory=dict)
    unestimated: int = 0  #: proposed measures without an effort class


@dataclass(frozen=True, slots=True)
class Submission:
    """What the front sheet shows besides the wording."""

    measures: list[Any]  #: the proposed measures, in rank order (report measures: dicts or records)
    finances: Finances
    concept_due: str | None  #: ISO date by which the costed concept is due
    repeat_due: str | None  #: ISO date by which the self-assessment is repeated
    horizons: list[HorizonView]


def _get(measure: Any, name: str) -> Any:
    """A field of a measure, whether it is a model, a record or a plain dict."""
    if isinstance(measure, dict):
        return measure.get(name)
    return getattr(measure, name, None)


def proposed(measures: Sequence[Any]) -> list[Any]:
    """The measures the resolution names: those of the next stage, else (top stage) the first to consolidate.

    A measure whose note says it is done is never proposed.
    """
    open_ = [m for m in measures if not done_by_note(_get(_get(m, "why"), "note"))]
    now = [m for m in open_ if _get(m, "group") in ("key", "next")]
    return list(now or open_)[:PROPOSED]


def _range(effort: Any, name: str) -> Range | None:
    value = _get(effort, name) if effort is not None else None
    return (float(value[0]), float(value[1])) if value is not None else None


def finances(measures: Sequence[Any]) -> Finances:
    """Cost lines of the proposed measures and the sum of every range that at least one of them has."""
    lines = []
    for m in measures:
        effort = _get(m, "effort")
        lines.append(
            CostLine(
                rank=int(_get(m, "rank")),
                action=str(_get(m, "action") or _get(m, "text")),
                effort=_get(effort, "title") if effort is not None else None,
                staff_days=_range(effort, "staff_days"),
                cost_eur=_range(effort, "cost_eur"),
                fte=_range(effort, "fte"),
                cost_eur_per_year=_range(effort, "cost_eur_per_year"),
            )
        )
    totals: dict[str, Range | None] = {}
    for name in RANGES:
        present = [r for r in (getattr(line, name) for line in lines) if r is not None]
        totals[name] = (sum(r[0] for r in present), sum(r[1] for r in present)) if present else None
    return Finances(lines=lines, totals=totals, unestimated=sum(1 for line in lines if line.effort is None))


def _parse(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def horizons(questionnaire: Questionnaire, assessed_on: str | None) -> list[HorizonView]:
    """The questionnaire's horizons with the date each one ends, counted from the assessment date."""
    day = _parse(assessed_on)
    out = []
    for h in questionnaire.horizons:
        months = getattr(h, "months", None)
        due = add_months(day, months).isoformat() if day and months is not None else None
        out.append(HorizonView(id=h.id, title=h.title, description=h.description, months=months, due=due))
    return out


def build_submission(
    questionnaire: Questionnaire, measures: Sequence[Any], assessed_on: str | None
) -> Submission:
    """The front sheet's data for a scored sheet and its measures."""
    chosen = proposed(measures)
    views = horizons(questionnaire, assessed_on)
    day = _parse(assessed_on)
    first_months = next((h.months for h in views if h.months is not None), CONCEPT_MONTHS)
    return Submission(
        measures=chosen,
        finances=finances(chosen),
        concept_due=add_months(day, first_months).isoformat() if day else None,
        repeat_due=add_months(day, REPEAT_MONTHS).isoformat() if day else None,
        horizons=views,
    )


def submission_record(submission: Submission) -> dict[str, Any]:
    """The numbers of the front sheet for JSON (the words are added by the caller)."""
    f = submission.finances
    return {
        "concept_due": submission.concept_due,
        "repeat_due": submission.repeat_due,
        "financial_implications": {
            "measures": [
                {
                    "rank": line.rank,
                    "action": line.action,
                    "effort": line.effort,
                    **{name: list(r) if (r := getattr(line, name)) is not None else None for name in RANGES},
                }
                for line in f.lines
            ],
            "totals": {name: list(r) if r is not None else None for name, r in f.totals.items()},
            "unestimated": f.unestimated,
        },
    }
