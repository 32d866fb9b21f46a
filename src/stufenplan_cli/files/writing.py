"""Writing files so that nothing a user wrote is ever lost: atomic, and no silent overwrite."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from stufenplan_cli.errors import OutputExists


@contextmanager
def atomic_file(path: Path, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block ends without error (streamed output)."""
    if path.exists() and not overwrite:
        raise OutputExists("Datei existiert bereits; mit --force überschreiben", path)
    if path.is_dir():
        raise OutputExists("ist ein Verzeichnis", path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes, overwrite: bool = False) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    with atomic_file(path, overwrite) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, overwrite: bool = False) -> None:
    """UTF-8 text, written atomically."""
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)
