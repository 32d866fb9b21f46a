"""Round-trip YAML edits with ruamel: a value in its place, comments and a user's layout kept.

The small operations ``files/editing.py`` builds an answer sheet's updates from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from stufenplan_cli.domain.answer_words import WRITTEN
from stufenplan_cli.domain.models.sheet import Answer


def detect_indent(text: str) -> int:
    """The indentation a user's sheet uses (2 unless the file shows another), so a save keeps it."""
    widths = [len(m.group(1)) for m in re.finditer(r"^( +)[^ #\n]", text, flags=re.MULTILINE)]
    return min(widths) if widths else 2


def _value(answer: Answer) -> int | str:
    return answer.value if isinstance(answer.value, int) else WRITTEN[answer.value]


def _quoted(text: str) -> Any:
    """Double-quoted, so that PyYAML reads it back as the same text (``yes``, ``12:30``, ``2023``)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def _flow_map(values: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap(values)
    node.fa.set_flow_style()
    return node


def _put(mapping: Any, key: str, value: Any, order: Sequence[str]) -> None:
    """Set ``key``; a new key goes after its predecessor in ``order`` (questionnaire order), not at the end.

    Comment lines that belong to the enclosing level (dedented, such as the template's commented
    top-level fields after ``municipality``) stay after the new key, where they were in the file.
    """
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping.keys())
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    position = len(keys)
    if key in rank:
        later = [i for i, k in enumerate(keys) if rank.get(str(k), len(order)) > mine]
        position = later[0] if later else len(keys)
    mapping.insert(position, key, value)
    if position > 0:
        _move_outer_comment(mapping, keys[position - 1], key)


def _after_its_example(mapping: Any, key: str) -> None:
    """Move a newly filled key up to its commented example in the template (``# ags: "09162000"``).

    The template lists the optional fields as comments under ``name``; a value given in the
    interview then stands right below its example instead of after all of them.
    """
    keys = list(mapping.keys())
    position = keys.index(key)
    if position == 0:
        return
    entry = mapping.ca.items.get(keys[position - 1])
    token: Any = entry[2] if entry and len(entry) > 2 else None
    if not isinstance(getattr(token, "value", None), str):
        return
    column = getattr(mapping.lc, "col", None) or 0
    head, newline, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    example = re.compile(rf"^ {{{column}}}# ?{re.escape(key)}:")
    index = next((i for i, line in enumerate(lines) if example.match(line)), None)
    if index is None or not newline:
        return
    after = "".join(lines[index + 1 :])
    token.value = head + newline + "".join(lines[: index + 1])
    if not after:
        return
    mine = mapping.ca.items.get(key)
    own: Any = mine[2] if mine and len(mine) > 2 else None
    if own is not None and isinstance(getattr(own, "value", None), str) and own.value.startswith("\n"):
        own.value = "\n" + after + own.value[1:]
    elif own is None:
        moved = copy.copy(token)
        moved.value = "\n" + after
        mapping.ca.items[key] = [None, None, moved, None]
    else:  # an end-of-line comment of its own: leave the layout as it is
        token.value += after


def _move_outer_comment(mapping: Any, before: Any, new: Any) -> None:
    """Hand the dedented tail of ``before``'s trailing comment on to ``new``."""
    entry = mapping.ca.items.get(before)
    token: Any = entry[2] if entry and len(entry) > 2 else None
    if not isinstance(getattr(token, "value", None), str):  # only a plain comment token is split
        return
    column = getattr(mapping.lc, "col", None) or 0
    head, newline, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and (
        not lines[cut - 1].strip() or len(lines[cut - 1]) - len(lines[cut - 1].lstrip(" ")) < column
    ):
        cut -= 1
    while cut < len(lines) and not lines[cut].strip():  # blank lines before the outer block go with it
        cut += 1
    if cut == len(lines) or column == 0:
        return
    outer = "".join(lines[cut:])
    kept = head + newline + "".join(lines[:cut])
    moved = copy.copy(token)
    moved.value = "\n" + outer
    if kept.strip():
        token.value = kept
    else:
        entry[2] = None
    mapping.ca.items[new] = [None, None, moved, None]
