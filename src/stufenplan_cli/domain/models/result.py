"""The result of scoring one sheet: the contract that every output format renders."""

from typing import Literal

from pydantic import Field

from stufenplan_cli.domain.models.common import Model
from stufenplan_cli.domain.models.sheet import MergeInfo, Municipality, Target

Status = Literal["answered", "unknown", "n/a", "missing", "skipped"]


class QuestionnaireRef(Model):
    id: str
    version: str
    title: str


class QuestionResult(Model):
    """How one question was answered and what it contributes."""

    id: str
    stage: int
    status: Status = Field(
        description="answered, unknown, n/a, missing oder skipped (Folgefrage, deren Bedingung nicht erfüllt ist)"
    )
    value: int | None = Field(
        default=None, description="gewählter Wert; bei skipped der niedrigste Optionswert"
    )
    max_value: int
    points: float | None = Field(
        description="value / größter Optionswert; 0 für unknown/missing; None für n/a (0 bei einer Schlüsselfrage)"
    )
    weight: float
    key: bool = False
    note: str | None = None


class StageResult(Model):
    id: int
    title: str
    score: float | None = Field(description="gewichteter Mittelwert der Punkte; None ohne zutreffende Frage")
    threshold: float
    reached: bool = Field(
        description="Kriterien der Stufe gesichert erfüllt: Score ≥ Schwelle und jede Schlüsselfrage ≥ 0,5 Punkte"
    )
    reached_possible: bool = Field(
        default=False,
        description="Kriterien erfüllt, wenn jede offene Antwort (weiß nicht, fehlend) die beste wäre",
    )
    score_met: bool = Field(description="Score erreicht die Schwelle (unabhängig von den Schlüsselfragen)")
    gaps: list[str] = Field(description="Fragen mit Punkten < 1, wichtigste zuerst")
    key_failed: list[str] = Field(description="Schlüsselfragen mit Punkten < 0,5")


class DimensionResult(Model):
    id: str
    title: str
    score: float | None


class NextStage(Model):
    """What keeps the municipality from the next stage: the lowest stage whose criteria are still open."""

    id: int
    title: str
    score: float | None
    threshold: float
    shortfall: float = Field(description="Abstand des Scores zur Schwelle (0, wenn erreicht)")
    gaps: list[str]
    key_failed: list[str]


class Result(Model):
    """Everything known about one scored sheet."""

    file: str | None = None
    municipality: Municipality
    questionnaire: QuestionnaireRef
    assessed_on: str | None = None
    assessor: str | None = None
    target: Target | None = None
    stage: int = Field(description="gesicherte Einordnung: Zahl der Stufen, deren Kriterien erfüllt sind")
    stage_title: str | None = None
    stage_possible: int = Field(
        default=0,
        description="mögliche Einordnung: dieselbe Zählung mit jeder offenen Antwort an ihrer besten Option",
    )
    stage_possible_title: str | None = None
    deciding: list[str] = Field(
        default=[],
        description="offene Fragen der Stufen, die nur in der möglichen Einordnung erfüllt sind; wichtigste zuerst",
    )
    open_below: list[int] = Field(
        default=[],
        description="Stufen unter der höchsten erfüllten, deren Kriterien noch offen sind",
    )
    stages: list[StageResult]
    dimensions: list[DimensionResult]
    next_stage: NextStage | None = None
    answered: int
    unknown: int
    not_applicable: int
    missing: int
    skipped: int = Field(
        default=0, description="übersprungene Folgefragen (zählen als ihre niedrigste Option)"
    )
    questions: list[QuestionResult]
    warnings: list[str] = Field(default=[])
    merged: MergeInfo | None = None
    sheet_version: str | None = Field(
        default=None,
        description="die Fragebogen-Version, für die der Bogen geschrieben wurde (eine ältere wird umgelesen)",
    )

    @property
    def question_count(self) -> int:
        """All questions of the questionnaire: answered, unknown, not applicable and missing together."""
        return self.answered + self.unknown + self.not_applicable + self.missing + self.skipped

    def score_record(self) -> dict[str, object]:
        """The ``stufenplan score --format json`` object: the documented, stable subset."""
        return {
            "file": self.file,
            "municipality": self.municipality.model_dump(mode="json", exclude_none=True),
            "questionnaire": {"id": self.questionnaire.id, "version": self.questionnaire.version},
            "stage": self.stage,
            "stage_title": self.stage_title,
            "stage_possible": self.stage_possible,
            "deciding": self.deciding,
            "open_below": self.open_below,
            "stages": [
                s.model_dump(
                    mode="json",
                    include={
                        "id",
                        "title",
                        "score",
                        "threshold",
                        "reached",
                        "reached_possible",
                        "gaps",
                        "key_failed",
                    },
                )
                for s in self.stages
            ],
            "dimensions": [d.model_dump(mode="json") for d in self.dimensions],
            "next_stage": self.next_stage.model_dump(mode="json") if self.next_stage else None,
            "answered": self.answered,
            "unknown": self.unknown,
            "not_applicable": self.not_applicable,
            "missing": self.missing,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }
