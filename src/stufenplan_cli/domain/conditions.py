"""Follow-up questions: which questions a sheet's answers make irrelevant (``when`` not met).

One rule for every command that reads, asks, merges or scores answers (docs/scoring.md): a
follow-up whose condition question has a known value below ``min`` is *skipped* and counts as its
lowest option; one whose condition question is ``nicht zutreffend`` is *n/a*; a condition question
that is open (``weiß nicht`` or missing) leaves the follow-up to be asked. A skipped question counts
as its lowest option for its own follow-ups, so a chain of follow-ups falls away together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, Answer

Dropped = Literal["skipped", "n/a"]


def dropped_follow_ups(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Dropped]:
    """The follow-ups whose condition the answers do not meet, each ``skipped`` or ``n/a``.

    Questions not in the result apply: they are asked, and an answer to them counts.
    """
    effective: dict[str, int | str | None] = {}  # value, "n/a", or None for open
    dropped: dict[str, Dropped] = {}
    for question in questionnaire.questions:
        why = _why_dropped(question, effective)
        if why == "n/a":
            effective[question.id] = NOT_APPLICABLE
        elif why == "skipped":
            effective[question.id] = lowest_value(questionnaire, question)
        else:
            answer = answers.get(question.id)
            value = answer.value if answer is not None else None
            effective[question.id] = value if isinstance(value, int) or value == NOT_APPLICABLE else None
            continue
        dropped[question.id] = why
    return dropped


def _why_dropped(question: Question, effective: Mapping[str, int | str | None]) -> Dropped | None:
    if question.when is None:
        return None
    gate = effective.get(question.when.question)
    if gate == NOT_APPLICABLE:
        return "n/a"
    if isinstance(gate, int) and gate < question.when.min:
        return "skipped"
    return None


def lowest_value(questionnaire: Questionnaire, question: Question) -> int:
    """The value a skipped follow-up counts as: its lowest option."""
    return min(o.value for o in questionnaire.options_for(question))


def condition_text(questionnaire: Questionnaire, question: Question) -> str | None:
    """The condition in words for people: ``s1-strategie mindestens 1 („Entwurf liegt vor“)``."""
    if question.when is None:
        return None
    gate = questionnaire.question_by_id[question.when.question]
    label = next((o.label for o in questionnaire.options_for(gate) if o.value == question.when.min), "")
    text = f"{gate.id} mindestens {question.when.min}"
    return f"{text} („{label}“)" if label else text
