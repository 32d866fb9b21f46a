"""Scoring many sheets at once: worker processes, results streamed back in input order.

Germany has about 10,800 municipalities; a consultant's folder may hold thousands of sheets. Each worker
process keeps its own :class:`Catalog` (so every questionnaire is read and validated once per process,
not once per sheet), scores a chunk of files and sends back small, picklable outcomes. The parent keeps
only a bounded window of chunks in flight, so memory stays flat however many sheets there are, and it
yields outcomes in the order the files were given. A sheet that fails becomes an :class:`Outcome` with
its problems; it never stops the others.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.errors import Problem, StufenplanError, ValidationFailed
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import STDIN, load
from stufenplan_cli.files.sheets import check_sheet, score_plain

if TYPE_CHECKING:  # the pool machinery is imported only when a pool is started, never for one sheet
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

# Below this many files a pool costs more to start than it saves.
SERIAL_BELOW = 48
# Chunks in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
WINDOW_PER_WORKER = 4
# Sheets per chunk at most: each chunk costs the parent about a millisecond (futures, pickles, threads),
# which is a tenth of its share at 32 sheets; 64 halve that, and the last chunk still takes only ~30 ms.
CHUNK_MAX = 64


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of one input file: a value (by default the Result) or the problems that stopped it."""

    index: int
    file: str
    value: T | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def error(self) -> StufenplanError:
        """The failure as our error again (exceptions themselves do not survive pickling intact)."""
        return ValidationFailed(self.problems, self.file)

    @property
    def message(self) -> str:
        """All problems in one line each, without the file name (for a table's error column)."""
        return "\n".join(f"Zeile {p.line}: {p.message}" if p.line else p.message for p in self.problems)


@dataclass(frozen=True)
class Settings:
    """What a worker needs to score: where questionnaires are, and the one given for all sheets."""

    extra_dirs: tuple[Path, ...] = ()
    questionnaire: str | None = None
    """An id or a file, resolved once per process."""
    fast: bool = True
    """Plain sheets skip the models per answer and question when the transform does not need them
    (:func:`without_questions`); False sends every sheet the full way (tests compare both)."""


@dataclass(frozen=True)
class WithQuestionnaire(Generic[T]):
    """A transform that also needs the questionnaire the sheet was checked against (reports render with it)."""

    function: Callable[[Result, Questionnaire], T]


Transform = Callable[[Result], T] | WithQuestionnaire[T]
"""What a worker does with each Result before sending it back; a module-level function so it pickles."""


def without_questions(function: Callable[[Result], T]) -> Callable[[Result], T]:
    """Mark a transform that never reads ``Result.questions``: plain sheets are then scored without them."""
    function.without_questions = True  # type: ignore[attr-defined]
    return function


@without_questions
def slim(result: Result) -> Result:
    """The result without its per-question list: all that tables, CSV, Excel and JSON records need."""
    return result.model_copy(update={"questions": []}) if result.questions else result


class _Scorer:
    """One process's state: its catalog and the resolved questionnaire."""

    def __init__(self, settings: Settings, catalog: Catalog | None = None, plain: bool = False) -> None:
        self.catalog = catalog or Catalog(extra_dirs=list(settings.extra_dirs))
        self.given: Questionnaire | None = (
            self.catalog.resolve(settings.questionnaire) if settings.questionnaire else None
        )
        self.fast = settings.fast
        self.plain = plain and settings.fast
        """Sheets are read with ``files/plain_yaml.py`` first: worth it from a few dozen sheets on."""

    def one(self, index: int, path: Path, transform: Transform[Any]) -> Outcome[Any]:
        try:
            doc = load(path, plain=self.plain)
            if self.fast and getattr(transform, "without_questions", False):
                plain = score_plain(doc, self.catalog, self.given)
                if plain is not None:
                    return Outcome(index, str(path), value=transform(plain))  # type: ignore[operator]
            loaded = check_sheet(doc, path, self.catalog, self.given)
            result = score(loaded.questionnaire, loaded.sheet, file=str(path))
            if isinstance(transform, WithQuestionnaire):
                return Outcome(index, str(path), value=transform.function(result, loaded.questionnaire))
            return Outcome(index, str(path), value=transform(result))
        except StufenplanError as exc:
            return Outcome(index, str(path), problems=exc.problems)
        except RecursionError:
            return Outcome(index, str(path), problems=[Problem("Datei ist zu tief verschachtelt", str(path))])
        except Exception as exc:  # a bug must not cost the consultant the other 9,999 sheets
            problem = Problem(f"unerwarteter Fehler, bitte melden: {type(exc).__name__}: {exc}", str(path))
            return Outcome(index, str(path), problems=[problem])


_WORKER: _Scorer | None = None
_PRELOADED: _Scorer | None = None
"""Set in the parent just before the pool starts: forked workers inherit it with every questionnaire loaded."""


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _quiet_signals()
    _WORKER = _PRELOADED if _PRELOADED is not None else _Scorer(settings, plain=True)
    # The catalog lives as long as the process: keep the garbage collector from rescanning it per sheet.
    gc.freeze()


def _quiet_signals() -> None:
    """A worker leaves Ctrl+C to its parent (which stops it) and dies at once on SIGTERM/SIGHUP.

    Forked workers inherit the parent's handlers: a worker that turned SIGTERM into an exception
    would report it as a failed sheet and keep running; one that took Ctrl+C would print a traceback.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now (an interrupt, a signal): a PDF in the making is not waited for.

    The workers are terminated first; the pool's manager thread then sees them gone and ends, and
    joining it keeps Python's exit handler from writing to a pipe already closed.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _score_chunk(start: int, paths: list[Path], transform: Transform[Any]) -> list[Outcome[Any]]:
    assert _WORKER is not None, "worker not initialised"
    return [_WORKER.one(start + i, p, transform) for i, p in enumerate(paths)]


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def chunk_size_for(count: int, workers: int) -> int:
    """Chunks big enough that pickling and queueing stay small, small enough to balance the workers."""
    return max(1, min(CHUNK_MAX, count // (workers * WINDOW_PER_WORKER * 2) or 1))


def score_many(
    paths: Sequence[Path],
    settings: Settings = Settings(),
    transform: Transform[T] = slim,  # type: ignore[assignment]
    workers: int | None = None,
    chunk_size: int | None = None,
    serial_below: int = SERIAL_BELOW,
    catalog: Catalog | None = None,
) -> Iterator[Outcome[T]]:
    """Score every file and yield one Outcome per file, in input order.

    ``transform`` runs in the worker on each Result (it must be a module-level function so it can be
    sent to the processes); by default the per-question list is dropped, which keeps what crosses the
    process boundary small. Pass a transform of your own when the questions are needed (comparisons), and
    :class:`WithQuestionnaire` when the transform needs the questionnaire too (reports).
    Fewer than ``serial_below`` files are done in this process: a pool pays off only when the work per
    sheet outweighs starting the workers (for PDF reports already from two sheets on).
    A questionnaire given in ``settings`` is resolved here first, so a wrong one is reported once
    rather than per sheet. The worker processes start here, before the caller iterates: forking
    before the caller starts threads of its own (a progress bar) avoids inheriting their locks.
    A ``catalog`` the caller already has is used rather than reading the questionnaires again; before
    a pool starts, every questionnaire is loaded here once, and forked workers inherit them.
    """
    global _PRELOADED
    workers = workers or default_workers()
    # a wrong --questionnaire fails here, once
    scorer = _Scorer(settings, catalog, plain=len(paths) >= serial_below)
    # standard input (``-``) can be read by this process only
    if workers <= 1 or len(paths) < max(2, serial_below) or any(str(p) == STDIN for p in paths):
        return _serial(paths, scorer, transform, 0)
    from concurrent.futures import ProcessPoolExecutor

    with contextlib.suppress(StufenplanError):  # a missing directory: each sheet reports it as before
        scorer.catalog.entries()
    size = chunk_size or chunk_size_for(len(paths), workers)
    starts = iter(range(0, len(paths), size))
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings,))
    pending: deque[Future[list[Outcome[T]]]] = deque()

    def submit() -> bool:
        start = next(starts, None)
        if start is None:
            return False
        pending.append(pool.submit(_score_chunk, start, list(paths[start : start + size]), transform))
        return True

    _PRELOADED = scorer  # forked at the first submit, the workers start with this process's catalog
    try:
        while len(pending) < workers * WINDOW_PER_WORKER and submit():
            pass
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        _PRELOADED = None
    return _drain(pool, pending, submit, paths, scorer, transform)


def _serial(
    paths: Sequence[Path], scorer: _Scorer, transform: Transform[T], start: int
) -> Iterator[Outcome[T]]:
    for i in range(start, len(paths)):
        yield scorer.one(i, paths[i], transform)


def _drain(
    pool: ProcessPoolExecutor,
    pending: deque[Future[list[Outcome[T]]]],
    submit: Callable[[], bool],
    paths: Sequence[Path],
    scorer: _Scorer,
    transform: Transform[T],
) -> Iterator[Outcome[T]]:
    """Yield the chunks in order, keeping the window full; a dead worker hands over to this process."""
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        while pending:
            try:
                chunk = pending.popleft().result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): finish in this process
                break
            submit()
            done += len(chunk)
            yield from chunk
    except BaseException:  # Ctrl+C, a signal, the caller stopping early: end the workers at once
        stop_workers(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    yield from _serial(paths, scorer, transform, done)
