"""What a line typed in the interview means: the keys, an answer, a navigation command, or a hint."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from stufenplan_cli.domain.models.questionnaire import Option
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer, normalise_value

# The keys of the interview; the screen shows them, the parser below is their only meaning.
KEY_UNKNOWN = "w"
KEY_NA = "n"
KEY_BACK = "z"
KEY_HELP = "?"
KEY_QUIT = "q"
KEY_ALL = "a"


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
