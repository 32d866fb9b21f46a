"""Turning the paths a user typed into the list of sheet files: files, directories and globs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SHEET_SUFFIXES = (".yaml", ".yml")
_GLOB_CHARS = set("*?[")


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield files in the order given; directories are searched recursively for *.yaml/*.yml (sorted).

    A path that does not exist is yielded as it is, so that reading it reports a clear error in turn.
    Hidden files and directories (``.git``, editor backups) are skipped, and so are links to directories.
    """
    seen: set[Path] = set()
    for raw in paths:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            real = Path(os.path.realpath(path))
            found: Iterable[tuple[Path, Path | None]] = sorted(_walk(path, real), key=_path_order) or [
                (path, None)
            ]
            # an empty directory is reported when it is read
        elif not path.exists() and _GLOB_CHARS & set(text):
            found = [
                (p, None)
                for p in sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            ]
            if not found:
                found = [(path, None)]
        else:
            found = [(path, None)]
        for item, known in found:
            key = known or (item.resolve() if item.exists() else item)
            if key not in seen:
                seen.add(key)
                yield item


def _path_order(item: tuple[Path, Path | None]) -> str:
    """How paths sort (part by part, so ``a/b`` before ``a-b``; case-blind on Windows), as a string key:
    the separator as NUL, below every character of a name. Comparing Path objects costs far more."""
    return os.path.normcase(str(item[0])).replace(os.sep, "\0")


def _walk(directory: Path, real: Path) -> Iterator[tuple[Path, Path | None]]:
    """Sheet files under a directory with their resolved path where it is known without asking the disk.

    ``os.scandir`` tells from one directory read what is a file, a directory or a link; a link to a
    file is resolved (two names of one file are one sheet), a link to a directory is not followed.
    """
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(directory / entry.name, real / entry.name)
            elif os.path.splitext(entry.name)[1].lower() in SHEET_SUFFIXES and entry.is_file():
                link = entry.is_symlink()
                yield directory / entry.name, None if link else real / entry.name


def named_twice(paths: Iterable[str | Path]) -> tuple[Path, Path] | None:
    """Two of the given files that are one file (``a.yaml ./a.yaml``, a link and its target), else None.

    :func:`expand` drops the second silently, which is right for scoring; for merging it would count
    one group's sheet as if it were two groups.
    """
    seen: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            continue
        key = path.resolve()
        if key in seen:
            return seen[key], path
        seen[key] = path
    return None
