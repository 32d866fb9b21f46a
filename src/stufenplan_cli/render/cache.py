"""The user's cache folder for what rendering can keep between runs (compiled templates, hyphenation patterns)."""

from __future__ import annotations

import os
from pathlib import Path

NO_CACHE_VAR = "STUFENPLAN_NO_CACHE"


def cache_home() -> Path:
    """Where a user's caches go: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"])
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
            info = folder.stat()
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            if folder == base:
                break
            folder = folder.parent
    except OSError:
        return None
    return directory
