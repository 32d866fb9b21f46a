"""The interview's state machine: from one step to the next, going back, follow-ups that come and go, saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from stufenplan_cli.domain.conditions import NotAsked, not_asked
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer
from stufenplan_cli.services.interview.answers import (
    KEY_ALL,
    KEY_BACK,
    KEY_HELP,
    KEY_QUIT,
    Command,
    parse_answer,
)
from stufenplan_cli.services.interview.meta import OPTIONAL_META, check_meta
from stufenplan_cli.services.interview.steps import (
    AskMeta,
    AskQuestion,
    Outcome,
    Review,
    StageIntro,
    Step,
    Store,
    followups_notice,
    open_questions,
    question_order,
)


@dataclass(frozen=True)
class _Item:
    kind: Literal["meta", "intro", "question", "review"]
    key: str = ""  # meta key or question id
    stage: int = 0


@dataclass
class Interview:
    """The interview over one questionnaire and one sheet; answers go to ``store`` before it moves on."""

    questionnaire: Questionnaire
    store: Store
    answers: dict[str, Answer] = field(default_factory=dict)
    municipality: dict[str, Any] = field(default_factory=dict)
    assessed_on: dt.date | None = None
    ask_meta: bool = False
    review_only: bool = False
    today: Callable[[], dt.date] = dt.date.today
    finished: bool = False
    quit: bool = False

    def __post_init__(self) -> None:
        q = self.questionnaire
        self.order: list[Question] = question_order(q)
        self._dropped: dict[str, NotAsked] = not_asked(q, self.answers)
        self._parked: dict[str, Answer] = {}  # answers of follow-ups that fell away in this session
        self._plan: list[_Item] = [_Item("meta", f.key) for f in OPTIONAL_META] if self.ask_meta else []
        self._meta_count = len(self._plan)
        if self.review_only:
            walk = [x for x in self.asked if self.status(x.id) in ("missing", "unknown")]
        else:
            walk = self.order
        self._plan += self._walk(walk)
        self._pos = 0
        self._resume = self._meta_count
        if not self.review_only:
            first_open = next(iter(open_questions(q, self.answers)), None)
            self._resume = self._index_of(first_open.id) if first_open else len(self._plan) - 1
            before = self._resume - 1  # the stage header, when nothing of the stage was asked yet
            while (
                before >= 0
                and self._plan[before].kind == "question"
                and not self.applies(self._plan[before].key)
            ):
                before -= 1
            if first_open is not None and before >= 0 and self._plan[before].kind == "intro":
                self._resume = before
        if not self.ask_meta:
            self._pos = self._resume
        self._furthest = self._resume
        self._skip_answered = not self.review_only

    # ----- what to show -----

    def applies(self, question_id: str) -> bool:
        """Whether the question is asked: not a follow-up whose condition the answers so far do not meet."""
        return question_id not in self._dropped

    @property
    def asked(self) -> list[Question]:
        """The questions that apply now, in interview order: what ``Frage N von M`` counts."""
        return [x for x in self.order if x.id not in self._dropped]

    @property
    def number(self) -> dict[str, int]:
        """Each applying question's number in interview order, starting at 1."""
        return {x.id: i for i, x in enumerate(self.asked, 1)}

    def status(self, question_id: str) -> Literal["missing", "answered", "unknown", "n/a"]:
        answer = self.answers.get(question_id)
        if answer is None:
            return "missing"
        if answer.value == UNKNOWN:
            return "unknown"
        if answer.value == NOT_APPLICABLE:
            return "n/a"
        return "answered"

    @property
    def resume_number(self) -> int | None:
        """The number of the question the interview starts (or resumes) at; None when it starts at the review."""
        numbers = self.number
        for item in self._plan[self._resume :]:
            if item.kind == "question" and item.key in numbers:
                return numbers[item.key]
        return None

    @property
    def step(self) -> Step | None:
        """The screen to draw now; None once finished or quit."""
        if self.finished or self.quit:
            return None
        item = self._plan[self._pos]
        q = self.questionnaire
        if item.kind == "meta":
            index = [f.key for f in OPTIONAL_META].index(item.key)
            # numbered after the name, which is asked (or given) before the interview starts
            field = OPTIONAL_META[index]
            return AskMeta(field, index + 2, len(OPTIONAL_META) + 1, self.municipality.get(item.key))
        if item.kind == "intro":
            stage = q.stage_by_id[item.stage]
            in_stage = [x for x in q.questions_of_stage(stage.id) if self.applies(x.id)]
            pending = sum(1 for x in in_stage if x.when is not None and x.when.question not in self.answers)
            return StageIntro(stage, len(q.stages), len(in_stage), len(self._stage_walk(self._pos)), pending)
        if item.kind == "question":
            question = q.question_by_id[item.key]
            asked = self.asked
            return AskQuestion(
                question=question,
                stage=q.stage_by_id[question.stage],
                stages=len(q.stages),
                options=q.options_for(question),
                number=self.number[question.id],
                total=len(asked),
                answered=len([x for x in asked if x.id in self.answers]),
                current=self.answers.get(question.id),
            )
        return self.review()

    def review(self) -> Review:
        asked = self.asked
        numbers = self.number

        def listed(status: str) -> list[tuple[int, Question]]:
            return [(numbers[x.id], x) for x in asked if self.status(x.id) == status]

        return Review(listed("missing"), listed("unknown"), listed("n/a"), len(asked))

    # ----- what a typed line does -----

    def handle(self, line: str) -> Outcome:
        """Act on one typed line; an answer is saved before the position moves on."""
        step = self.step
        if step is None:
            raise RuntimeError("the interview is over")
        if isinstance(step, AskQuestion):
            return self._question(step, line)
        if isinstance(step, AskMeta):
            return self._meta(step, line)
        if isinstance(step, StageIntro):
            return self._intro(line)
        return self._review(step, line)

    def _question(self, step: AskQuestion, line: str) -> Outcome:
        command = parse_answer(line, step.options, step.current)
        qid = step.question.id
        if command.kind == "answer":
            assert command.answer is not None
            answer = command.answer
            if answer.note is None and step.current is not None and step.current.note:
                answer = Answer(value=answer.value, note=step.current.note)  # a note is kept until replaced
            self.store.set_answer(qid, answer)
            self.answers[qid] = answer
            notice = self._follow_conditions(step.number)
            self._forward()
            return Outcome("saved", question=qid, notice=notice)
        if command.kind == "keep":
            self._forward()
            return Outcome("kept" if step.current else "skipped", question=qid)
        return self._common(command)

    def _meta(self, step: AskMeta, line: str) -> Outcome:
        text = line.strip()
        lowered = text.lower()
        if lowered in (KEY_BACK, KEY_HELP, KEY_QUIT):
            return self._common(parse_answer(lowered, [], None))
        if not text:
            self._forward()
            return Outcome("kept")
        try:
            value = check_meta(step.field.key, text, self.municipality)
        except ValueError as exc:
            return Outcome("hint", hint=str(exc))
        self.store.set_municipality({step.field.key: value})
        self.municipality[step.field.key] = value
        self._forward()
        return Outcome("saved")

    def _intro(self, line: str) -> Outcome:
        text = line.strip().lower()
        if not text:
            self._forward()
            return Outcome("moved")
        if text in (KEY_BACK, KEY_QUIT, KEY_HELP):
            return self._common(parse_answer(text, [], None))
        return Outcome("hint", hint="Hier ist nichts zu beantworten; Enter zeigt die erste Frage der Stufe.")

    def _review(self, step: Review, line: str) -> Outcome:
        text = line.strip().lower()
        if not text:
            if self.assessed_on is None:
                self.assessed_on = self.today()
                self.store.set_assessed_on(self.assessed_on)
            self.finished = True
            return Outcome("finished")
        if text == KEY_ALL:
            listed = [x for _, x in step.listed]
            if not listed:
                return Outcome("hint", hint="Es ist nichts offen. Enter schließt ab.")
            self._revisit(listed)
            return Outcome("moved")
        if text.isascii() and text.isdigit():
            number = int(text)
            asked = self.asked
            if not 1 <= number <= len(asked):
                return Outcome("hint", hint=f"Fragen sind von 1 bis {len(asked)} nummeriert.")
            self._revisit([asked[number - 1]], intros=False)
            return Outcome("moved")
        if text in (KEY_BACK, KEY_QUIT, KEY_HELP):
            return self._common(parse_answer(text, [], None))
        return Outcome(
            "hint", hint="Enter schließt ab; a geht alle aufgeführten durch; eine Nummer öffnet die Frage."
        )

    def _common(self, command: Command) -> Outcome:
        if command.kind == "back":
            return self._back()
        if command.kind == "help":
            return Outcome("help")
        if command.kind == "quit":
            self.quit = True
            return Outcome("quit")
        return Outcome("hint", hint=command.hint)

    # ----- follow-up questions -----

    def _follow_conditions(self, number: int) -> str:
        """After the answer to question ``number``: follow-ups that fell away leave, those that apply again return.

        The answers of follow-ups that fell away leave the sheet (and come back with them); a follow-up
        that applies again and is not on the walk ahead (a revisit from the review) is asked next.
        Returns what changed, in words for the screen ("" when no follow-up changed).
        """
        before = self._dropped
        self._dropped = not_asked(self.questionnaire, self.answers)
        gone = [x.id for x in self.order if x.id in self._dropped and x.id not in before]
        back = [x.id for x in self.order if x.id in before and x.id not in self._dropped]
        removed = restored = 0
        for qid in gone:
            answer = self.answers.pop(qid, None)
            if answer is not None:
                self._parked[qid] = answer
                self.store.set_answer(qid, None)
                removed += 1
        for qid in back:
            parked = self._parked.pop(qid, None)
            if parked is not None and qid not in self.answers:
                self.store.set_answer(qid, parked)
                self.answers[qid] = parked
                restored += 1
        self._ask_next(back)
        return followups_notice(number, len(gone), removed, len(back), restored)

    def _ask_next(self, question_ids: list[str]) -> None:
        """Put the questions that are not on the walk ahead right after the current one."""
        ahead = {item.key for item in self._plan[self._pos + 1 :] if item.kind == "question"}
        missing = [qid for qid in question_ids if qid not in ahead and qid not in self.answers]
        if not missing:
            return
        q = self.questionnaire
        items = [_Item("question", qid, q.question_by_id[qid].stage) for qid in missing]
        self._plan[self._pos + 1 : self._pos + 1] = items
        if self._furthest > self._pos:
            self._furthest += len(items)
        if self._resume > self._pos:
            self._resume += len(items)

    def _applies_at(self, index: int) -> bool:
        """Whether the plan item at ``index`` is shown: a question that applies, a stage header with one."""
        item = self._plan[index]
        if item.kind == "question":
            return self.applies(item.key)
        if item.kind == "intro":
            return bool(self._stage_walk(index))
        return True

    def _stage_walk(self, intro: int) -> list[str]:
        """The questions that apply among those the plan walks after the stage header at ``intro``."""
        stage = self._plan[intro].stage
        ids = []
        for later in self._plan[intro + 1 :]:
            if later.kind != "question" or later.stage != stage:
                break
            if self.applies(later.key):
                ids.append(later.key)
        return ids

    def _next_shown(self, start: int) -> int:
        """The first item from ``start`` that is shown (the review at the end always is)."""
        index = start
        while index < len(self._plan) - 1 and not self._applies_at(index):
            index += 1
        return index

    # ----- moving -----

    def _forward(self) -> None:
        """One step on; past the furthest point of this session, questions answered earlier are skipped.

        So a resumed sheet with a hole does not walk again through everything after it, while
        going back with ``z`` and forward again passes each question on the way.
        """
        if self._pos == self._meta_count - 1:  # after the metadata, go where the sheet left off
            self._pos = self._next_shown(max(self._resume, self._meta_count))
        elif self._pos + 1 <= self._furthest or not self._skip_answered:
            self._pos = self._next_shown(min(self._pos + 1, len(self._plan) - 1))
        else:
            self._pos = self._next_open(self._pos + 1)
        self._furthest = max(self._furthest, self._pos)

    def _next_open(self, start: int) -> int:
        """The first item from ``start`` that is an open question that applies (a stage header only if needed)."""

        def done(item: _Item) -> bool:
            return item.kind == "question" and (item.key in self.answers or not self.applies(item.key))

        index = start
        while index < len(self._plan) - 1:
            item = self._plan[index]
            if done(item):
                index += 1
            elif item.kind == "intro":
                after = index + 1
                while done(self._plan[after]):
                    after += 1
                if self._plan[after].kind == "question" and self._plan[after].stage == item.stage:
                    return index
                index = after
            else:
                return index
        return len(self._plan) - 1

    def _back(self) -> Outcome:
        for index in range(self._pos - 1, -1, -1):
            if self._plan[index].kind == "meta" or (
                self._plan[index].kind == "question" and self.applies(self._plan[index].key)
            ):
                self._pos = index
                return Outcome("moved")
        if self._plan[self._pos].kind == "meta":  # the name was asked before; it is changed in the file
            return Outcome("hint", hint="Davor kommt nur der Name; ändern lässt er sich im Antwortbogen.")
        return Outcome("hint", hint="Das ist die erste Frage; weiter zurück geht es nicht.")

    def _revisit(self, questions: list[Question], intros: bool = True) -> None:
        """Replace the review by a walk over ``questions`` and a fresh review after them."""
        self._plan[self._pos :] = self._walk(questions, intros)
        self._skip_answered = False  # a revisit shows every question it lists
        self._resume = self._pos

    def _walk(self, questions: list[Question], intros: bool = True) -> list[_Item]:
        items: list[_Item] = []
        previous = None
        for x in questions:
            if x.stage != previous and intros:
                items.append(_Item("intro", stage=x.stage))
                previous = x.stage
            items.append(_Item("question", x.id, x.stage))
        items.append(_Item("review"))
        return items

    def _index_of(self, question_id: str) -> int:
        return next(
            i for i, item in enumerate(self._plan) if item.kind == "question" and item.key == question_id
        )
