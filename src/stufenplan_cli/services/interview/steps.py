"""Where answers go, what the interview asks in which order, and the steps the screen draws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from stufenplan_cli.domain.conditions import not_asked
from stufenplan_cli.domain.models.questionnaire import Option, Question, Questionnaire, Stage
from stufenplan_cli.domain.models.sheet import UNKNOWN, Answer
from stufenplan_cli.services.interview.meta import (
    MetaField,
)


class Store(Protocol):
    """Where answers go the moment they are given (``files.editing.SheetFile``)."""

    def set_answer(self, question_id: str, answer: Answer | None) -> None: ...

    def set_municipality(self, values: dict[str, Any]) -> None: ...

    def set_assessed_on(self, day: dt.date) -> None: ...


def question_order(q: Questionnaire) -> list[Question]:
    """The questions as the interview asks and numbers them (``Questionnaire.question_order``)."""
    return list(q.question_order)


def question_range(q: Questionnaire) -> tuple[int, int]:
    """How many questions the interview asks at least (every answer the lowest option) and at most."""
    lowest = {x.id: Answer(value=min(o.value for o in q.options_for(x))) for x in q.questions}
    return len(q.questions) - len(not_asked(q, lowest)), len(q.questions)


def open_questions(q: Questionnaire, answers: dict[str, Answer]) -> list[Question]:
    """The questions that apply on these answers and have none yet, in interview order."""
    dropped = not_asked(q, answers)
    return [x for x in question_order(q) if x.id not in dropped and x.id not in answers]


def unknown_questions(q: Questionnaire, answers: dict[str, Answer]) -> list[Question]:
    """The questions that apply on these answers and are answered „weiß nicht“, in interview order."""
    dropped = not_asked(q, answers)
    return [
        x
        for x in question_order(q)
        if x.id not in dropped and x.id in answers and answers[x.id].value == UNKNOWN
    ]


# ----- the steps the screen draws -----


@dataclass(frozen=True)
class AskMeta:
    """Ask one metadata field of the municipality."""

    field: MetaField
    index: int
    count: int
    current: Any = None


@dataclass(frozen=True)
class StageIntro:
    """The header of a stage: its title and what it means, before its first question."""

    stage: Stage
    stages: int
    questions: int  # the stage's questions that apply on the answers so far
    asked: int  # how many of them this walk asks (fewer in --review and when revisiting)
    follow_ups: int = 0  # of ``questions``, follow-ups whose condition is still open: they may fall away


@dataclass(frozen=True)
class AskQuestion:
    """Ask one question; ``number`` counts in interview order (stage by stage), starting at 1."""

    question: Question
    stage: Stage
    stages: int
    options: list[Option]
    number: int
    total: int
    answered: int
    current: Answer | None


@dataclass(frozen=True)
class Review:
    """Before finishing: what is still open. Each list holds (number, question)."""

    unanswered: list[tuple[int, Question]]
    unknown: list[tuple[int, Question]]
    not_applicable: list[tuple[int, Question]]
    total: int

    @property
    def listed(self) -> list[tuple[int, Question]]:
        return sorted(self.unanswered + self.unknown + self.not_applicable, key=lambda item: item[0])


Step = AskMeta | StageIntro | AskQuestion | Review


@dataclass(frozen=True)
class Outcome:
    """What :meth:`Interview.handle` did with a line, for the screen to react to."""

    kind: Literal["saved", "kept", "skipped", "moved", "hint", "help", "quit", "finished"]
    hint: str = ""
    question: str | None = None
    notice: str = ""  # what a saved answer changed beyond itself (follow-ups that fell away or came back)


def followups_notice(number: int, gone: int, removed: int, back: int, restored: int) -> str:
    """What an answer changed about follow-up questions, in words for the screen ("" when nothing)."""
    lead = f"Mit der Antwort auf Frage {number}"
    parts = []
    if gone:
        parts.append(f"{lead} {_count(gone, 'entfällt', 'entfallen')}")
        if removed:
            parts[-1] += f"; {_answers(removed)} dazu aus dem Bogen genommen"
    if back:
        parts.append(f"{lead} {_count(back, 'gilt', 'gelten')} wieder")
        if restored:
            parts[-1] += f"; {_answers(restored)} von vorhin wiederhergestellt"
    return ". ".join(parts) + "." if parts else ""


def _count(n: int, one: str, many: str) -> str:
    """``entfällt 1 Folgefrage`` / ``entfallen 3 Folgefragen``."""
    return f"{one} 1 Folgefrage" if n == 1 else f"{many} {n} Folgefragen"


def _answers(n: int) -> str:
    return "1 Antwort" if n == 1 else f"{n} Antworten"
