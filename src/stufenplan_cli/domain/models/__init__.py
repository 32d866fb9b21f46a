"""Pydantic models: the one truth about questionnaires, answer sheets and results."""

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
