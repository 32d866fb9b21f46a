"""Shared pieces of the models: slugs, the base config, and cross-check problems with a location."""

import difflib
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationInfo

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Loc = tuple[str | int, ...]


class Model(BaseModel):
    """Base of every model: its validator is built when first used, not on import.

    A command uses a few of the models; building all of them on every start cost more time than the
    rest of scoring one sheet.
    """

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Base for file models: unknown keys are errors, so a typo never silently drops data."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # with Model's defer_build


def suggest(word: str, known: Iterable[str]) -> str:
    """A German hint naming the closest known id, or an empty string."""
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" – meinten Sie {close[0]!r}?" if close else ""


def report(info: ValidationInfo, problems: list[tuple[Loc, str]]) -> None:
    """Hand cross-reference problems to the loader (which adds lines) or raise them as one error.

    Passing ``context={"problems": []}`` to ``model_validate`` collects every problem with its
    location instead of stopping at the first, so a user sees all of them at once.
    """
    if not problems:
        return
    sink: Any = info.context.get("problems") if isinstance(info.context, dict) else None
    if isinstance(sink, list):
        sink.extend(problems)
        return
    raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))
