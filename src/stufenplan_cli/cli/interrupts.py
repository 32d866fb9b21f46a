"""Signals end a command like Ctrl+C does: cleanly, promptly, with no temporary file left behind.

Python's default for SIGTERM and SIGHUP kills the process on the spot: ``finally`` blocks never run,
so a half-written ``.bericht.pdf.XXXX.tmp`` stays and worker processes keep running. Here both raise
:class:`Terminated` in the main thread instead, a ``KeyboardInterrupt`` that every command already
handles (temporary file removed, workers stopped, the answers of ``assess`` saved). Outputs that are
complete stay. On Windows only SIGINT and SIGBREAK exist; what is missing is skipped.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


class Terminated(KeyboardInterrupt):
    """The process was asked to end by a signal; ``exit_code`` follows the shell's 128 + number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def _raise(signum: int, frame: FrameType | None) -> None:
    # Once is enough: a second signal while cleaning up must not interrupt the clean-up itself.
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
    raise Terminated(signum)


def install() -> None:
    """Turn SIGTERM, SIGHUP (and SIGBREAK on Windows) into :class:`Terminated`; ignore SIGXFSZ.

    SIGXFSZ (a file-size limit reached while writing) would kill the process without a word;
    ignored, the write fails with EFBIG and the command says so.
    """
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            signal.signal(number, _raise)
    xfsz = getattr(signal, "SIGXFSZ", None)
    if xfsz is not None:
        signal.signal(xfsz, signal.SIG_IGN)


def quiet() -> None:
    """The command is done: nothing that happens while Python shuts down prints a traceback.

    A signal arriving now is ignored (the outputs are complete). After workers were stopped by an
    interrupt, Python 3.11's process pool may fail to wake its already ended manager thread at exit
    ("Exception ignored … Bad file descriptor"); such leftovers are not the user's business.
    """
    sys.unraisablehook = lambda unraisable: None
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
