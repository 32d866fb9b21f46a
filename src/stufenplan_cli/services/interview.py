"""The ``assess`` interview as a state machine without a screen: what is asked, in which order, what is saved.

The terminal front end (``cli/tui.py``) only draws :attr:`Interview.step` and passes each typed line
to :meth:`Interview.handle`. Everything a user can rely on lives here and is tested without a
terminal: the order (stage by stage), going back, where a resumed sheet starts, the review list,
and that an answer is saved before the next question appears.

Follow-up questions (``when``) are asked only while their condition holds on the answers so far
(``domain/conditions.py``); numbers and counts cover only the questions that apply. When a changed
answer makes follow-ups fall away, their answers are taken out of the sheet (so none is scored
stale) and kept for this session: should the condition hold again, they come back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from stufenplan_cli.domain.conditions import NotAsked, not_asked
from stufenplan_cli.domain.models.questionnaire import Option, Question, Questionnaire, Stage
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer, Municipality, normalise_value
from stufenplan_cli.domain.text import name_key, nfc
from stufenplan_cli.files.validation import german

# The keys of the interview; the screen shows them, the parser below is their only meaning.
KEY_UNKNOWN = "w"
KEY_NA = "n"
KEY_BACK = "z"
KEY_HELP = "?"
KEY_QUIT = "q"
KEY_ALL = "a"


class Store(Protocol):
    """Where answers go the moment they are given (``sheet_edit.SheetFile``)."""

    def set_answer(self, question_id: str, answer: Answer | None) -> None: ...

    def set_municipality(self, values: dict[str, Any]) -> None: ...

    def set_assessed_on(self, day: dt.date) -> None: ...


# ----- the municipality's metadata -----


@dataclass(frozen=True)
class MetaField:
    """One metadata question: the key in ``municipality`` and how to ask for it."""

    key: str
    label: str
    hint: str
    required: bool = False


NAME = MetaField(
    "name", "Name der Kommune", "z. B. Gemeinde Musterhausen, Stadt Neustadt, Landkreis Beispiel", True
)
OPTIONAL_META = (
    MetaField("ags", "Amtlicher Gemeindeschlüssel (AGS)", "2, 3, 5 oder 8 Ziffern, z. B. 09162000"),
    MetaField("kind", "Art der Kommune", "z. B. Gemeinde, Stadt, Landkreis, Amt, Verbandsgemeinde"),
    MetaField("population", "Einwohnerzahl", "ganze Zahl, z. B. 12000 oder 12.000"),
)


def check_meta(key: str, text: str, municipality: dict[str, Any] | None = None) -> Any:
    """A typed metadata value checked with the core's Municipality model; ValueError with a German hint."""
    text = " ".join(text.split())
    value: Any = text
    if key == "population":
        digits = (
            text.replace(".", "").replace(" ", "") if re.fullmatch(r"\d{1,3}([. ]\d{3})+", text) else text
        )
        if not digits.isdigit():
            raise ValueError("Einwohnerzahl bitte als ganze Zahl, z. B. 12000")
        value = int(digits)
    base = {"name": "x", **(municipality or {})}
    try:
        checked = Municipality.model_validate({**base, key: value})
    except ValidationError as exc:
        raise ValueError(german(exc.errors(include_url=False)[0])) from None
    return getattr(checked, key)


# ----- the file name -----


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(name: str) -> str:
    """``Gemeinde Müßig-Öd`` -> ``gemeinde-muessig-oed``: safe in any file system, umlauts transliterated.

    Letters without an ASCII spelling (``Αθήνα``, ``Київ``) would vanish and every such name would
    become ``kommune``; then a short checksum of the name keeps different municipalities apart.
    """
    decomposed = unicodedata.normalize("NFKD", nfc(name).translate(_TRANSLIT))
    text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    found = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if any(ch.isalnum() and not ch.isascii() for ch in decomposed):
        checksum = hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:8]
        return f"{found or 'kommune'}-{checksum}"
    return found or "kommune"


def default_sheet_path(questionnaire_id: str, municipality: str, directory: Path | None = None) -> Path:
    """Where ``assess`` keeps the answers when no ``--answers`` is given: ``stufenplan-musterhausen.yaml``."""
    name = f"{questionnaire_id}-{slug(municipality)}.yaml"
    return (directory or Path()) / name


# ----- typed input -----


CommandKind = Literal["answer", "keep", "back", "help", "quit", "invalid"]
_NAVIGATION: dict[str, CommandKind] = {KEY_BACK: "back", KEY_HELP: "help", KEY_QUIT: "quit"}


@dataclass(frozen=True)
class Command:
    """What a typed line means: an answer, keep (Enter), back, help, quit, or nothing valid (with a hint)."""

    kind: CommandKind
    answer: Answer | None = None
    hint: str = ""


def values_text(options: Sequence[Option]) -> str:
    """The values of a question's options as typed: ``0–3``, or ``0, 2, 5`` when there are gaps."""
    values = [o.value for o in options]
    if len(values) > 2 and values == list(range(values[0], values[0] + len(values))):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


def _quoted(text: str, limit: int = 12) -> str:
    """Typed text quoted the German way for a hint, shortened so the hint stays on one line."""
    return f"„{text if len(text) <= limit else text[: limit - 1] + '…'}“"


def _typed_number(head: str) -> str | None:
    """``head`` as ASCII digits if it is a number; full-width digits from an input method count too.

    Other digit characters (``²`` from AltGr+2, ``٣``, ``①``) are not taken as an answer.
    """
    if all("０" <= c <= "９" for c in head):
        head = unicodedata.normalize("NFKC", head)
    return head if head.isascii() and head.isdigit() else None


def parse_answer(line: str, options: Sequence[Option], current: Answer | None) -> Command:
    """A line typed at a question: ``3``, ``3 Lenkungskreis seit 2023``, ``w``, ``n …``, ``z``, ``?``, ``q``, Enter."""
    text = line.strip()
    values = [o.value for o in options]
    allowed = values_text(options)
    if not text:  # keeps an answer; without one the question is skipped and stays open for the review
        return Command("keep", answer=current)
    head, *rest = text.split(None, 1)
    note = " ".join(rest[0].split()) if rest else None
    lowered = head.lower()
    if lowered in _NAVIGATION and note is None:
        return Command(_NAVIGATION[lowered])
    whole = normalise_value(text)
    if whole in (UNKNOWN, NOT_APPLICABLE):
        return Command("answer", answer=Answer(value=UNKNOWN if whole == UNKNOWN else NOT_APPLICABLE))
    if lowered in (KEY_UNKNOWN, KEY_NA):
        return Command(
            "answer", answer=Answer(value=UNKNOWN if lowered == KEY_UNKNOWN else NOT_APPLICABLE, note=note)
        )
    number = _typed_number(head)
    if number is not None:
        value = int(number)
        if value in values:
            return Command("answer", answer=Answer(value=value, note=note))
        return Command("invalid", hint=f"{value} ist keine Option dieser Frage; möglich sind {allowed}.")
    if lowered in _NAVIGATION:
        return Command("invalid", hint=f"{_quoted(head)} allein eingeben, ohne Text dahinter.")
    return Command(
        "invalid",
        hint=f"Nicht verstanden: {_quoted(text)} – möglich sind {allowed}, w, n, z, ? oder q.",
    )


def question_order(q: Questionnaire) -> list[Question]:
    """The questions as the interview asks and numbers them: stage by stage, in file order within a stage."""
    return [x for s in q.stages for x in q.questions_of_stage(s.id)]


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
        lead = f"Mit der Antwort auf Frage {number}"
        parts = []
        if gone:
            parts.append(f"{lead} {_count(len(gone), 'entfällt', 'entfallen')}")
            if removed:
                parts[-1] += f"; {_answers(removed)} dazu aus dem Bogen genommen"
        if back:
            parts.append(f"{lead} {_count(len(back), 'gilt', 'gelten')} wieder")
            if restored:
                parts[-1] += f"; {_answers(restored)} von vorhin wiederhergestellt"
        return ". ".join(parts) + "." if parts else ""

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


def _count(n: int, one: str, many: str) -> str:
    """``entfällt 1 Folgefrage`` / ``entfallen 3 Folgefragen``."""
    return f"{one} 1 Folgefrage" if n == 1 else f"{many} {n} Folgefragen"


def _answers(n: int) -> str:
    return "1 Antwort" if n == 1 else f"{n} Antworten"
