"""The ``assess`` interview as a state machine without a screen: what is asked, in which order, what is saved.

The terminal front end (``cli/tui.py``) only draws :attr:`Interview.step` and passes each typed line
to :meth:`Interview.handle`. Everything a user can rely on lives here and is tested without a
terminal: the order (stage by stage), going back, where a resumed sheet starts, the review list,
and that an answer is saved before the next question appears.

Follow-up questions (``when``) are asked only while their condition holds on the answers so far
(``domain/conditions.py``); numbers and counts cover only the questions that apply. When a changed
answer makes follow-ups fall away, their answers are taken out of the sheet (so none is scored
stale) and kept for this session: should the condition hold again, they come back.
"

Modules: ``answers`` (what a typed line means), ``meta`` (the municipality's data, the file name),
``steps`` (where answers go, the order of questions, the steps the screen draws), ``machine`` (the
``Interview``).
"""

from __future__ import annotations

from stufenplan_cli.services.interview.answers import (
    KEY_ALL,
    KEY_BACK,
    KEY_HELP,
    KEY_NA,
    KEY_QUIT,
    KEY_UNKNOWN,
    Command,
    CommandKind,
    parse_answer,
    values_text,
)
from stufenplan_cli.services.interview.machine import (
    Interview,
)
from stufenplan_cli.services.interview.meta import (
    NAME,
    OPTIONAL_META,
    MetaField,
    check_meta,
    default_sheet_path,
    slug,
)
from stufenplan_cli.services.interview.steps import (
    AskMeta,
    AskQuestion,
    Outcome,
    Review,
    StageIntro,
    Step,
    Store,
    open_questions,
    question_order,
    question_range,
    unknown_questions,
)

__all__ = [
    "KEY_ALL",
    "KEY_BACK",
    "KEY_HELP",
    "KEY_NA",
    "KEY_QUIT",
    "KEY_UNKNOWN",
    "NAME",
    "OPTIONAL_META",
    "AskMeta",
    "AskQuestion",
    "Command",
    "CommandKind",
    "Interview",
    "MetaField",
    "Outcome",
    "Review",
    "StageIntro",
    "Step",
    "Store",
    "check_meta",
    "default_sheet_path",
    "open_questions",
    "parse_answer",
    "question_order",
    "question_range",
    "slug",
    "unknown_questions",
    "values_text",
]
