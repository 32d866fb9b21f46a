"""The report context's records: the contract between the code and ``report_templates/``.

The templates see exactly the fields of ``ReportContext`` as top-level variables (``stage``, ``stages``,
``measures`` …), and each nested record's fields as attributes (``s.score``, ``m.actor.title``). Records
are frozen: a template reads them, never changes them. A new report section adds its data here as a
field with a comment, fills it in ``build.py``, and uses it in a partial.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Reference
from stufenplan_cli.domain.models.result import Status
from stufenplan_cli.domain.models.sheet import MergeSource, Municipality
from stufenplan_cli.domain.roadmap import Group, Measure
from stufenplan_cli.render.submission import Submission


@dataclass(frozen=True, slots=True)
class OptionView:
    """One answer option of a question or of the questionnaire's scale."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question with its answer, as the appendix and the gap lists show it."""

    id: str
    text: str
    help: str | None
    stage: int
    key: bool  #: a key question (must reach KEY_MINIMUM for its stage)
    key_open: bool  #: a key question answered, but below KEY_MINIMUM
    weight: float
    status: Status  #: answered, unknown, n/a or missing
    value: int | None  #: the chosen option's value, None unless answered
    max_value: int
    label: str | None  #: the chosen option's label
    points: float | None  #: value / max_value, None when the question does not count
    note: str | None
    recommendation: str | None
    example: str | None
    source: str | None  #: id of a questionnaire reference
    dimensions: list[str]  #: titles of the question's dimensions
    actor: str | None  #: title of the actor who acts on it
    options: list[OptionView]


@dataclass(frozen=True, slots=True)
class StageView:
    """One stage with its score, its questions and what keeps it open."""

    id: int
    title: str
    goal: str | None
    score: float | None  #: as shown (never rounded up to the threshold when it was missed)
    threshold: float
    reached: bool
    score_met: bool  #: the score reaches the threshold (the stage may still be blocked)
    current: bool  #: the municipality's stage
    next: bool  #: the stage after the municipality's stage
    key_failed: list[QuestionView]
    gaps: list[QuestionView]  #: questions below full points, most important first
    questions: list[QuestionView]  #: in questionnaire order
    key_questions: list[QuestionView]


@dataclass(frozen=True, slots=True)
class NextStageView:
    """The stage to reach next and its distance."""

    id: int
    title: str
    goal: str | None
    score: float | None
    threshold: float
    shortfall: float  #: threshold minus the shown score, 0 when the score is met
    score_met: bool
    key_failed: list[QuestionView]
    gaps: list[QuestionView]  #: gaps other than the failed key questions


@dataclass(frozen=True, slots=True)
class DimensionView:
    """A dimension (cross-cutting theme) with its score."""

    id: str
    title: str
    description: str | None
    score: float | None
    answers: int = 0  #: answered questions behind the score; strong/weak needs MIN_ANSWERS


@dataclass(frozen=True, slots=True)
class TargetView:
    """The council's target stage and year, and how far away it is."""

    stage: int
    title: str | None
    year: int | None
    reached: bool
    steps: int  #: stages still to climb
    years_left: int | None  #: years from the assessment to the target year


class ReportMeasure(Measure):
    """A roadmap measure (all fields of ``domain.roadmap.Measure``) plus what the report adds."""

    key_open: bool  # a key question still below its minimum
    done_by_note: bool = (
        False  # the sheet's note says it is done: never proposed, the answer is to be checked
    )


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    """Measures of one roadmap group (``key``, ``next``, ``consolidate``, ``later``), in rank order."""

    id: Group
    measures: list[ReportMeasure]


@dataclass(frozen=True, slots=True)
class ActorView:
    """An actor of the questionnaire with the measures it leads."""

    id: str
    title: str
    description: str | None
    measures: list[ReportMeasure]


@dataclass(frozen=True, slots=True)
class GroupValue:
    """One workshop group's answer to a disputed question of a merged sheet."""

    group: str
    value: object  #: the option value, or an answer state word
    label: str | None  #: the option's label when the value is a number


@dataclass(frozen=True, slots=True)
class Discussion:
    """A question the workshop groups answered far apart."""

    question: QuestionView | None
    id: str
    spread: int
    values: list[GroupValue]


@dataclass(frozen=True, slots=True)
class MergedView:
    """How a merged sheet came about: method, source sheets, questions to discuss."""

    method: str
    sources: list[MergeSource]
    discussion: list[Discussion]


@dataclass(frozen=True, slots=True)
class QuestionnaireView:
    """The questionnaire the sheet was scored with."""

    id: str
    version: str
    title: str
    description: str | None
    references: list[Reference]


@dataclass(frozen=True, slots=True)
class Counts:
    """How many questions were answered, left open, not applicable or missing."""

    total: int
    answered: int
    unknown: int
    not_applicable: int
    missing: int


@dataclass(frozen=True, slots=True)
class Method:
    """The rule's numbers the method section explains."""

    key_minimum: float
    strong: float  #: a dimension at or above this score is a strength
    weak: float  #: a dimension below this score is a weakness
    scale: list[OptionView]
    max_scale: int
    min_answers: int = 2  #: answers a dimension needs to be called strong or weak


@dataclass(frozen=True, slots=True)
class FundingView:
    """The funding programmes open to the municipality's Land (``render/funding.py``)."""

    state: str | None  #: the Land as the report names it; None when unknown (then all are shown)
    programmes: list[dict[str, Any]]  #: programmes with money or advice, as JSON data (dates as ISO text)
    routes: list[dict[str, Any]]  #: routes to check (status ``weg``), as JSON data


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything a report shows; each field is a top-level variable of the report templates."""

    municipality: Municipality
    questionnaire: QuestionnaireView
    assessed_on: str | None  #: ISO date
    assessor: str | None
    file: str | None  #: the sheet's file name
    stage: int  #: the stage reached, 0 for none
    stage_title: str | None
    stage_goal: str | None
    stage_possible: int  #: the possible placement: open answers at their best (≥ stage)
    stage_possible_title: str | None
    deciding: list[QuestionView]  #: the open questions that decide between stage and stage_possible
    open_below: list[int]  #: stages below the placement whose criteria are still open
    stage_count: int
    top_stage: bool  #: the last stage is reached
    stages: list[StageView]
    current_stage: StageView | None
    next_stage: NextStageView | None
    target: TargetView | None
    dimensions: list[DimensionView]
    strong_dimensions: list[DimensionView]  #: score ≥ STRONG_FROM, strongest first
    weak_dimensions: list[DimensionView]  #: score < WEAK_BELOW, weakest first
    achieved: list[QuestionView]  #: questions with full points
    measures: list[ReportMeasure]  #: the roadmap in rank order
    top_measures: list[ReportMeasure]  #: the first TOP_MEASURES of the roadmap
    measure_groups: list[MeasureGroup]  #: non-empty groups in GROUP_ORDER
    actors: list[ActorView]
    questions: list[QuestionView]  #: all questions in questionnaire order
    counts: Counts
    method: Method
    merged: MergedView | None
    funding: FundingView
    submission: Submission  #: the front sheet's data (render/submission.py): proposed measures, costs, dates
    include_answers: bool  #: the appendix with every answer is part of the document
    warnings: list[str]

    def variables(self) -> dict[str, Any]:
        """The template variables: one per field, the values themselves (not copies)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
