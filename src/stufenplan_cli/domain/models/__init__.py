"""Pydantic models: the one truth about questionnaires, answer sheets and results.

The modules every command loads (common, questionnaire, sheet, result) do without ``from __future__ import
annotations``: pydantic would compile each annotation string again when it builds the classes, about 3 ms of
every start. A name used before it is defined is quoted there.
"""

from stufenplan_cli.domain.models.questionnaire import (
    Actor,
    Condition,
    Dimension,
    Effort,
    Horizon,
    Next,
    Option,
    Predecessor,
    Question,
    Questionnaire,
    Reference,
    Stage,
)
from stufenplan_cli.domain.models.result import (
    DimensionResult,
    NextStage,
    QuestionResult,
    Result,
    StageResult,
)
from stufenplan_cli.domain.models.sheet import (
    Answer,
    AnswerSheet,
    Disagreement,
    MergeInfo,
    MergeSource,
    Municipality,
    Target,
)

__all__ = [
    "Actor",
    "Answer",
    "AnswerSheet",
    "Condition",
    "Dimension",
    "DimensionResult",
    "Disagreement",
    "Effort",
    "Horizon",
    "MergeInfo",
    "MergeSource",
    "Municipality",
    "Next",
    "NextStage",
    "Option",
    "Predecessor",
    "Question",
    "QuestionResult",
    "Questionnaire",
    "Reference",
    "Result",
    "Stage",
    "StageResult",
    "Target",
]
