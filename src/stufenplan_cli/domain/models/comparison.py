"""The comparison of scored sheets as data: what ``compare --format json`` prints and the templates render.

The rules that fill it live in ``services/compare/``; the thresholds come from ``domain/thresholds.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from stufenplan_cli.domain.models.common import Model
from stufenplan_cli.domain.models.result import QuestionnaireRef
from stufenplan_cli.domain.thresholds import COMMON_GAP_SHARE, GAP_BELOW, STRONG_FROM, WEAK_BELOW

MIN_GROUP = 5
CODE_PREFIX = "K"
LIST_LIMIT = 12


# ----- the comparison as data (what --format json prints and the templates render) -----


class ThresholdInfo(Model):
    gap_below: float = GAP_BELOW
    common_gap_share: float = COMMON_GAP_SHARE
    strong_from: float = STRONG_FROM
    weak_below: float = WEAK_BELOW
    min_group: int = MIN_GROUP
    gaps_in_detail: int = Field(
        default=LIST_LIMIT, description="so viele gemeinsame Lücken zeigt das Dokument mit Empfehlung"
    )


class StageScore(Model):
    id: int
    title: str
    score: float | None
    threshold: float
    reached: bool


class StageInfo(Model):
    id: int
    title: str
    threshold: float


class DimensionInfo(Model):
    id: str
    title: str


class DimensionScore(Model):
    id: str
    title: str
    score: float | None


class Assessment(Model):
    """One sheet as it enters the comparison; identifying fields are None when anonymized."""

    label: str = Field(description="Name der Kommune oder ihr Kürzel (K01 …)")
    name: str | None = None
    ags: str | None = None
    kind: str | None = None
    state: str | None = None
    file: str | None = None
    assessed_on: str | None = None
    stage: int = Field(description="gesicherte Einordnung: Zahl der Stufen, deren Kriterien erfüllt sind")
    stage_title: str | None = None
    stage_possible: int = Field(
        default=0, description="mögliche Einordnung: mit jeder offenen Antwort an ihrer besten Option"
    )
    deciding: list[str] = Field(
        default=[],
        description="offene Fragen, die zwischen gesicherter und möglicher Einordnung entscheiden",
    )
    open_below: list[int] = Field(
        default=[],
        description="Stufen unter der höchsten erfüllten, deren Kriterien noch offen sind",
    )
    stages: list[StageScore]
    dimensions: list[DimensionScore]


class Delta(Model):
    id: str
    title: str
    first: float | None
    last: float | None
    change: float | None


class QuestionChange(Model):
    id: str
    text: str
    stage: int
    before: str
    after: str
    change: float = Field(description="Punkte nachher minus vorher (−1 … 1)")


class Timeline(Model):
    """One municipality at several dates, oldest first."""

    label: str
    assessments: list[Assessment]
    undated: int = Field(description="Bögen ohne Datum (stehen in der angegebenen Reihenfolge vorn)")
    stage_from: int
    stage_to: int
    stages: list[Delta]
    dimensions: list[Delta]
    improved: list[QuestionChange]
    fallen_back: list[QuestionChange]
    earlier_version: str | None = Field(
        default=None,
        description="Version, für die der erste Bogen geschrieben wurde, wenn sie nicht die des letzten ist",
    )
    not_compared: int = Field(
        default=0,
        description="Fragen, die nur einer der Bögen beantwortet, bei verschiedenen Versionen nicht verglichen",
    )


class StageCount(Model):
    id: int
    title: str
    count: int
    share: float


class CommonGap(Model):
    id: str
    text: str
    stage: int
    dimensions: list[str]
    count: int
    applicable: int
    share: float
    action: str | None = None
    recommendation: str | None = None


class Member(Model):
    label: str
    score: float


class Pairing(Model):
    """In one dimension: who is strong (can mentor, share solutions) and who has ground to make up."""

    id: str
    title: str
    mean: float | None
    strong: list[Member]
    weak: list[Member]


class GroupView(Model):
    """Averages of a group of municipalities (all of them, or those of one kind or state)."""

    by: Literal["all", "kind", "state"]
    name: str
    count: int
    stages: list[DimensionScore]
    dimensions: list[DimensionScore]
    stage_reached: list[StageCount]


class Region(Model):
    """Several municipalities, each with its latest sheet."""

    assessments: list[Assessment]
    superseded: int = Field(description="ältere Bögen derselben Kommunen, die nicht mitzählen")
    group_views_shown: bool = Field(description="False: Region kleiner als min_group bei --anonymize")
    distribution: list[StageCount]
    overall: GroupView | None
    groups: list[GroupView]
    group_minimum: int = Field(description="kleinste gezeigte Gruppe (Art, Land)")
    groups_hidden: int = Field(description="Gruppen unter group_minimum, nicht gezeigt")
    views_withheld: list[Literal["kind", "state"]] = Field(
        default=[],
        description="anonymisiert: Auswertungen, die ganz entfallen, weil sich sonst die wenigen übrigen "
        "Kommunen aus Gesamtwert minus gezeigte Gruppen herausrechnen ließen",
    )
    common_gaps: list[CommonGap]
    pairings: list[Pairing]


class Comparison(Model):
    kind: Literal["timeline", "region"]
    questionnaire: QuestionnaireRef
    stages: list[StageInfo] = Field(description="die Stufen des Fragebogens")
    dimensions: list[DimensionInfo] = Field(description="die Dimensionen des Fragebogens")
    anonymized: bool
    rules: ThresholdInfo = Field(default_factory=ThresholdInfo)
    timeline: Timeline | None = None
    region: Region | None = None
