"""One writer per answer sheet: a second ``assess`` session on the same sheet is refused.

In a workshop the sheet often lies on a shared drive; two laptops answering into it would each
overwrite the other's answers while both report "saved". The lock is an operating-system lock on a
small file beside the sheet (``.NAME.lock``): ``fcntl.flock`` on Linux and macOS, ``msvcrt.locking``
on Windows. The system drops it when the process ends in any way, so a killed session never leaves
a sheet locked; the file itself only tells the next session who holds the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sys
from pathlib import Path
from typing import IO

from stufenplan_cli.errors import OutputFailed, StufenplanError, os_reason_de


class SheetBusy(StufenplanError):
    """Another session holds the sheet's lock."""


def lock_path(sheet: Path) -> Path:
    """The lock file of a sheet: hidden, beside it (so every session on the share sees the same one)."""
    return sheet.parent / f".{sheet.name}.lock"


def _try_lock(handle: IO[str]) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks (some network shares): do without, as before
        return True
    return True


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class SheetLock:
    """The lock of one sheet for the life of an interview; ``release`` (or the process's end) frees it."""

    def __init__(self, sheet: Path) -> None:
        self.sheet = sheet
        self.path = lock_path(sheet)
        self._handle: IO[str] | None = None

    def acquire(self) -> SheetLock:
        """Take the lock or raise :class:`SheetBusy` naming who has the sheet open."""
        for _ in range(5):  # the holder may remove the file between our open and our lock: retry
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOINHERIT", 0), 0o666)
            except OSError as exc:
                raise OutputFailed(
                    f"kann nicht gesperrt werden ({os_reason_de(exc)}); ohne Sperre könnten zwei "
                    "Sitzungen einander Antworten überschreiben",
                    self.sheet,
                ) from None
            handle = os.fdopen(fd, "r+", encoding="utf-8")
            if not _try_lock(handle):
                holder = _holder(handle)
                handle.close()
                raise SheetBusy(
                    f"wird gerade in einer anderen Sitzung bearbeitet{holder}; bitte dort beenden "
                    "(q) und dann hier fortsetzen – zwei Sitzungen würden einander Antworten überschreiben",
                    self.sheet,
                )
            if _same_file(handle, self.path):
                self._handle = handle
                _write_holder(handle)
                return self
            _unlock(handle)
            handle.close()
        raise SheetBusy("Sperrdatei wechselt ständig; bitte erneut versuchen", self.sheet)

    def release(self) -> None:
        """Remove the lock file and free the lock (in this order, so no one locks a file about to go)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        _unlock(handle)
        handle.close()

    def __enter__(self) -> SheetLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        mine = os.fstat(handle.fileno())
        there = os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _write_holder(handle: IO[str]) -> None:
    """Who holds the lock, for the message another session shows (best effort)."""
    try:
        handle.seek(0)
        handle.truncate()
        now = dt.datetime.now().strftime("%d.%m.%Y %H:%M")
        handle.write(f"{os.getpid()} {socket.gethostname()} {now}\n")
        handle.flush()
    except OSError:
        pass


def _holder(handle: IO[str]) -> str:
    try:
        handle.seek(0)
        words = handle.read(200).split()
    except (OSError, UnicodeDecodeError):
        return ""
    if len(words) >= 4 and words[0].isdigit():
        return f" (Prozess {words[0]} auf {words[1]}, seit {words[2]} {words[3]})"
    return ""
