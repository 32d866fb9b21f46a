"""What a comparison keeps of one scored sheet, and the small helpers both comparisons share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from stufenplan_cli.domain.models.comparison import Assessment, DimensionScore, StageScore
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.text import Identities


@dataclass(frozen=True)
class Profile:
    """What a comparison needs of one scored sheet: small enough to collect thousands of."""

    result: Result
    """The Result without its question list."""
    points: dict[str, tuple[str, int | None, float | None]]
    """Per question: status, value, points."""


def profile(result: Result) -> Profile:
    """Runs in the batch worker: the result with its questions folded into a compact mapping."""
    points: dict[str, tuple[str, int | None, float | None]] = {
        q.id: (q.status, q.value, q.points) for q in result.questions
    }
    return Profile(result.model_copy(update={"questions": []}), points)


def identities(municipalities: Iterable[Municipality]) -> Identities:
    """The keys that tell the municipalities of a set of sheets apart (the one rule, domain/text.py)."""
    return Identities((m.name, m.ags) for m in municipalities)


def identity(m: Municipality, known: Identities) -> str:
    """One municipality across sheets: its AGS when both sides have one, else its name (NFC, case-folded)."""
    return known.key(m.name, m.ags)


def assessment(result: Result, label: str, anonymize: bool) -> Assessment:
    """One sheet as a row of the comparison; anonymized, nothing that names the municipality."""
    m = result.municipality
    return Assessment(
        label=label,
        name=None if anonymize else m.name,
        ags=None if anonymize else m.ags,
        kind=None if anonymize else m.kind,
        state=None if anonymize else m.state,
        file=None if anonymize else result.file,
        assessed_on=result.assessed_on,
        stage=result.stage,
        stage_title=result.stage_title,
        stage_possible=result.stage_possible,
        deciding=result.deciding,
        open_below=result.open_below,
        stages=[
            StageScore(id=s.id, title=s.title, score=s.score, threshold=s.threshold, reached=s.reached)
            for s in result.stages
        ],
        dimensions=[DimensionScore(id=d.id, title=d.title, score=d.score) for d in result.dimensions],
    )


def mean_of(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are there; None when none is."""
    present = [v for v in values if v is not None]
    return mean(present) if present else None
