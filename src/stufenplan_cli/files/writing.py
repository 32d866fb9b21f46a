"""Writing files so that nothing a user wrote is ever lost: atomic, and no silent overwrite.

The rules (``docs/security.md``): an output is a regular file or the standard output; a device, a
pipe or a directory is never replaced, not even with ``--force``; an output that is one of the
command's inputs is refused; a failed write leaves the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from stufenplan_cli.errors import OutputExists, OutputFailed, UsageError, os_reason_de

NOT_REGULAR_OUTPUT = (
    "ist keine gewöhnliche Datei (Gerät, Pipe oder Socket) und wird nicht ersetzt; "
    "für die Standardausgabe „-“ angeben"
)


def _stat(path: Path, follow: bool = True) -> os.stat_result | None:
    """The file's status, None when there is none; an unusable path is an OutputFailed."""
    try:
        return path.stat() if follow else path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise OutputFailed(f"kann nicht geschrieben werden: {os_reason_de(exc)}", path) from None


def check_output(path: Path, overwrite: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output before any work: one of the inputs, a device or pipe, or an existing file.

    ``inputs`` are the files the command reads; writing over one of them, even with ``--force``,
    would destroy what the user wrote, so it is wrong usage (exit 2), as in report and merge.
    """
    info = _stat(path)
    if info is None:
        return
    for source in inputs:
        other = _stat_quiet(source)
        if other is not None and (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            raise UsageError(f"--output {path} ist eine der Eingabedateien; bitte eine neue Datei angeben")
    if stat.S_ISDIR(info.st_mode):
        raise OutputExists("ist ein Verzeichnis", path)
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(NOT_REGULAR_OUTPUT, path)
    if not overwrite:
        raise OutputExists("Datei existiert bereits; mit --force überschreiben", path)


def _stat_quiet(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def target_of(path: Path) -> Path:
    """Where a write through ``path`` lands: the file a symbolic link points to, else ``path`` itself."""
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path


@contextmanager
def atomic_file(path: Path, overwrite: bool = False, follow_symlinks: bool = False) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block ends without error (streamed output).

    With ``follow_symlinks`` a link keeps pointing where it did and its target is replaced (``assess``
    working on a linked sheet); otherwise a link at ``path`` is itself replaced, never written through.
    Operating-system failures (disk full, no permission, name too long) become :class:`OutputFailed`.
    """
    if follow_symlinks:
        path = target_of(path)
    info = _stat(path, follow=follow_symlinks)
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            info = _stat(path) or info  # a link: what it points to decides (directory, device)
        if stat.S_ISDIR(info.st_mode):
            raise OutputExists("ist ein Verzeichnis", path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise UsageError(NOT_REGULAR_OUTPUT, path)
        if not overwrite:
            raise OutputExists("Datei existiert bereits; mit --force überschreiben", path)
    directory = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None and stat.S_ISREG(info.st_mode):
            os.chmod(tmp, info.st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except FileExistsError:  # mkdir: a part of the folder path is a file
        raise OutputFailed(
            "kann nicht geschrieben werden: ein Teil des Pfads ist eine Datei, kein Ordner", path
        ) from None
    except OSError as exc:
        raise OutputFailed(f"kann nicht geschrieben werden: {os_reason_de(exc)}", path) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def write_bytes_atomic(
    path: Path, data: bytes, overwrite: bool = False, follow_symlinks: bool = False
) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    with atomic_file(path, overwrite, follow_symlinks) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, overwrite: bool = False) -> None:
    """UTF-8 text, written atomically."""
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)
