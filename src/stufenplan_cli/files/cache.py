"""The user's cache folder for what the tool can keep between runs: compiled templates, hyphenation patterns,
validated questionnaires and the schema that ``template`` to standard output points at.

Everything in it can be made again: a missing, unreadable or foreign file costs only speed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

NO_CACHE_VAR = "STUFENPLAN_NO_CACHE"


def cache_home() -> Path:
    """Where a user's caches go: %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS, else $XDG_CACHE_HOME or
    ~/.cache."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def private_cache_dir(*parts: str) -> Path | None:
    """``stufenplan/PARTS…`` in the user's cache, made if missing; ``None`` when caching is off ($STUFENPLAN_NO_CACHE)
    or the folder is not safe: what is read back is trusted, so it must be this user's and writable by nobody else."""
    if os.environ.get(NO_CACHE_VAR):
        return None
    try:
        base = cache_home() / "stufenplan"
        directory = base.joinpath(*parts)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = directory
        while os.name == "posix":  # from the folder itself up to stufenplan/
            if not is_private(folder.stat()):
                return None
            if folder == base:
                break
            folder = folder.parent
    except OSError:
        return None
    return directory


def is_private(info: os.stat_result) -> bool:
    """Whether a file or folder (POSIX) belongs to this user and nobody else may write to it."""
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically (parallel runs read it); a full disk costs only speed."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        partial.write_bytes(data)
        os.replace(partial, path)
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)
