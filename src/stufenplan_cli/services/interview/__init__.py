"""The ``assess`` interview as a state machine without a screen: what is asked, in which order, what is saved.

The terminal front end (``cli/tui.py``) only draws :attr:`Interview.step` and passes each typed line
to :meth:`Interview.handle`. Everything a user can rely on lives here and is tested without a
terminal: the order (stage by stage), going back, where a resumed sheet starts, the review list,
and that an answer is saved before the next question appears.
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
    AskMeta,
    AskQuestion,
    Interview,
    Outcome,
    Review,
    StageIntro,
    Step,
    Store,
    question_order,
)
from stufenplan_cli.services.interview.meta import (
    NAME,
    OPTIONAL_META,
    MetaField,
    check_meta,
    default_sheet_path,
    slug,
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
    "parse_answer",
    "question_order",
    "slug",
    "values_text",
]
