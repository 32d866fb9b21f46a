"""Follow-up questions: which questions a sheet's answers make irrelevant (``when`` not met).

One rule for every command that reads, asks, merges or scores answers (docs/scoring.md): a
follow-up whose condition question has a known value below ``min`` is *skipped* and counts as its
lowest option; one whose condition question is ``nicht zutreffend`` is *n/a*; a condition question
that is open (``weiß nicht`` or missing) leaves the follow-up to be asked. ``nicht zutreffend`` on a key
question counts as its lowest option here too, as it does in scoring. A skipped question counts
as its lowest option for its own follow-ups, so a chain of follow-ups falls away together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer, AnswerValue

NotAsked = Literal["skipped", "n/a"]


def not_asked(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, NotAsked]:
    """The follow-ups that are not asked for these answers, each ``skipped`` or ``n/a``.

    ``skipped``: the question a follow-up depends on is answered below ``min`` (or was skipped
    itself, counting as its lowest option, so chains collapse together; or is a key question
    answered n/a, which counts as 0, so n/a never opens a way round that rule); ``n/a``: it is
    not applicable (and no key question). A follow-up of an open question (weiß nicht, missing) is asked; questions not in
    the result apply, and an answer to them counts. Scoring, the interview, the template,
    validate and merge share this one rule.
    """
    return not_asked_values(questionnaire, {qid: answer.value for qid, answer in answers.items()})


def not_asked_values(questionnaire: Questionnaire, values: Mapping[str, AnswerValue]) -> dict[str, NotAsked]:
    """:func:`not_asked` from the answer values alone (the batch's fast path has no answer models)."""
    out: dict[str, NotAsked] = {}
    if not questionnaire.follow_ups:
        return out
    effective: dict[str, int | str | None] = {}  # value, "n/a", or None for open
    lowest = questionnaire.lowest_value_by_id
    for question in questionnaire.questions:
        answer = values.get(question.id)
        value: int | str | None = answer if answer != UNKNOWN else None
        if value == NOT_APPLICABLE and question.key:  # counts as 0, for its follow-ups too: no loophole
            value = lowest[question.id]
        if question.when is not None:
            condition = effective.get(question.when.question)
            if condition == NOT_APPLICABLE:
                out[question.id], value = "n/a", NOT_APPLICABLE
            elif isinstance(condition, int) and condition < question.when.min:
                out[question.id], value = "skipped", lowest[question.id]
        effective[question.id] = value
    return out


def lowest_value(questionnaire: Questionnaire, question: Question) -> int:
    """The value a skipped follow-up counts as: its lowest option."""
    return questionnaire.lowest_value_by_id[question.id]


def condition_text(questionnaire: Questionnaire, question: Question) -> str | None:
    """The condition in words: ``s1-strategie mindestens 1 ist („Strategie in Erarbeitung“ oder besser)``."""
    if question.when is None:
        return None
    gate = questionnaire.question_by_id[question.when.question]
    options = questionnaire.options_for(gate)
    label = next((o.label for o in options if o.value == question.when.min), "")
    better = " oder besser" if question.when.min < max(o.value for o in options) else ""
    text = f"{gate.id} mindestens {question.when.min} ist"
    return f"{text} („{label}“{better})" if label else text


@dataclass(frozen=True)
class Ignored:
    """An answer a sheet gives to a follow-up whose condition it does not meet: it does not count."""

    question: str
    dropped: NotAsked
    message: str


def ignored_answers(
    questionnaire: Questionnaire,
    values: Mapping[str, AnswerValue],
    dropped: Mapping[str, NotAsked] | None = None,
) -> list[Ignored]:
    """The answers to follow-ups that fall away and would count otherwise, with a German explanation.

    An answer equal to what the follow-up counts as anyway (its lowest option; n/a under an n/a
    condition) is not listed: ignoring it changes nothing. ``dropped`` is :func:`not_asked_values`
    when the caller has worked it out already.
    """
    if dropped is None:
        dropped = not_asked_values(questionnaire, values)
    out: list[Ignored] = []
    for qid, why in dropped.items():  # in questionnaire order
        question = questionnaire.question_by_id[qid]
        answer = values.get(qid)
        if answer is None or question.when is None:
            continue
        counts_as: int | str = NOT_APPLICABLE if why == "n/a" else lowest_value(questionnaire, question)
        if answer == counts_as:
            continue
        gate_id = question.when.question
        gate = values.get(gate_id)
        if gate_id in dropped:
            state = "entfällt selbst als Folgefrage"
        elif gate == NOT_APPLICABLE:
            state = "ist „nicht zutreffend“"
        else:
            state = f"ist mit {gate if gate is not None else '–'} beantwortet"
        counted = "zählt als „nicht zutreffend“" if why == "n/a" else f"zählt als {counts_as}"
        out.append(
            Ignored(
                question.id,
                why,
                f"Frage {question.id} ist eine Folgefrage und gilt nur, wenn "
                f"{condition_text(questionnaire, question)}; {gate_id} {state}. "
                f"Die Antwort im Bogen wird ignoriert, die Frage {counted}",
            )
        )
    return out
