"""Turning the paths a user typed into the list of sheet files: files, directories and globs."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

SHEET_SUFFIXES = (".yaml", ".yml")
_GLOB_CHARS = set("*?[")


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield files in the order given; directories are searched recursively for *.yaml/*.yml (sorted).

    A path that does not exist is yielded as it is, so that reading it reports a clear error in turn.
    Hidden files and directories (``.git``, editor backups) are skipped.
    """
    seen: set[Path] = set()
    for raw in paths:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            found: Iterable[Path] = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SHEET_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ) or [path]  # an empty directory is reported when it is read
        elif not path.exists() and _GLOB_CHARS & set(text):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not found:
                found = [path]
        else:
            found = [path]
        for item in found:
            key = item.resolve() if item.exists() else item
            if key not in seen:
                seen.add(key)
                yield item
