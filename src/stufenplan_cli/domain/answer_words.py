"""The words for the answer states, in one place: how a sheet writes them and how every output names them.

A sheet may also write the aliases in ``models/sheet.SPECIAL_ALIASES``; what the tool writes and shows is
these words.
"""

from __future__ import annotations

from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN

# The special answer values as a sheet written by the tool (merge, assess) spells them.
WRITTEN: dict[str, str] = {UNKNOWN: "weiß nicht", NOT_APPLICABLE: "nicht zutreffend"}

# A question's status (``QuestionResult.status``) in words.
STATUS_WORDS: dict[str, str] = {
    "answered": "beantwortet",
    UNKNOWN: WRITTEN[UNKNOWN],
    NOT_APPLICABLE: WRITTEN[NOT_APPLICABLE],
    "missing": "nicht beantwortet",
    "skipped": "übersprungen (Folgefrage)",
}
