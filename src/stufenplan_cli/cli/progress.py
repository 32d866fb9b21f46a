"""The progress bar that batch commands (score, report) show on stderr while many sheets are worked on."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, TypeVar

from stufenplan_cli.cli.common import RUN, err

if TYPE_CHECKING:
    from stufenplan_cli.services.batch import Outcome

T = TypeVar("T")


def with_progress(
    outcomes: Iterator[Outcome[T]], total: int, label: str = "Bewerte"
) -> Generator[Outcome[T], None, None]:
    """A progress bar on stderr when it is a terminal and the batch is big enough to wait for."""
    console = err()
    if not console.is_terminal or total < 2 or RUN.quiet:
        yield from outcomes
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("Bögen"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        for outcome in outcomes:
            progress.advance(task)
            yield outcome
