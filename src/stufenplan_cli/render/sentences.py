"""Splitting German text into sentences, for the terminal and the reports alike."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:\w|bzw|ggf|ca|vgl|usw|etc|Nr|inkl|evtl|sog|bspw|Abs|Art)\.$")


def sentences(text: str) -> list[str]:
    """``text`` as whole sentences, white space made single; shortened texts end between sentences.

    A period after a single letter or a common abbreviation (``z. B.``, ``bzw.``) ends no sentence.
    """
    text = " ".join(text.split())
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text[: match.start()]):
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [part for part in parts if part]


def first_sentence(value: object) -> str:
    """The first sentence of a text (a recommendation's action), for compact tables and summaries."""
    found = sentences(str(value or ""))
    return found[0] if found else ""
