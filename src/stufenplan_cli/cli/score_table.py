"""The table of many scored sheets, fitted to the terminal: the municipality stays readable at 60 columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from stufenplan_cli.cli.present import score_percent, stage_cell
from stufenplan_cli.render import german
from stufenplan_cli.services.tabular import NO_STAGE

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.result import Result

# The municipality column never gets narrower than this (or its longest name, if shorter): below it the
# table drops the answered count and the stage scores from the right, then shortens date and stage.
MUNICIPALITY_MIN = 20


def score_table(results: Sequence[Result], width: int | None = None) -> Group:
    """One line per sheet, even at 80 columns: the date tells two assessments of one municipality apart.

    The stage is a number here (``–`` for none); the legend below names the stages. ``width``
    (a console's) decides which columns fit next to a readable municipality column.
    """
    stages = results[0].stages if results else []
    fit = _fit_columns(results, width)
    table = Table(
        title="Einordnung nach dem Stufenplan",
        title_justify="left",
        expand=False,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("Kommune", overflow="fold", min_width=fit.name_width)
    table.add_column("Datum", no_wrap=True)
    table.add_column("St." if fit.short else "Stufe", justify="center", no_wrap=True)
    for sid in fit.scores:
        table.add_column(f"S{sid}", justify="right", no_wrap=True)
    if fit.answered:
        table.add_column("Antw.", justify="right", no_wrap=True)
    for r in results:
        cells = [_stage_cell(r, sid) for sid in fit.scores]
        if fit.answered:
            cells.append(_answered(r))
        date = german.date(r.assessed_on)
        table.add_row(
            escape(r.municipality.name),
            date[:6] + date[8:] if fit.short and len(date) == 10 else date,
            stage_cell(r),
            *cells,
        )
    marks = "".join(stage_cell(r) for r in results)
    legend = [f"{'St.' if fit.short else 'Stufe'}: erreichte Stufe (– {NO_STAGE}"]
    if "(" in marks:
        legend[0] += "; (2) bis Stufe 2 möglich, wenn offene Fragen es hergeben"
    if "*" in marks:
        legend[0] += "; * eine Stufe darunter noch offen"
    legend[0] += ")"
    if fit.scores:
        ids = fit.scores
        columns = f"S{ids[0]}…S{ids[-1]}" if len(ids) > 2 else ", ".join(f"S{i}" for i in ids)
        legend.append(f"{columns}: Stufen-Score, ✓ erreicht, ! Schlüsselfrage offen")
    if fit.answered:
        legend.append("Antw.: beantwortete von den geltenden Fragen")
    names = " · ".join(f"{s.id} {s.title}" for s in stages)
    return Group(table, Text(" · ".join(legend) + f"\nStufen: {names}", style="dim"))


@dataclass
class _Columns:
    """Which columns of the score table fit: stage scores shown, the answered count, short forms."""

    name_width: int
    scores: list[int]
    answered: bool = True
    short: bool = False


def _fit_columns(results: Sequence[Result], width: int | None) -> _Columns:
    """Keep the municipality readable: drop the answered count, then stage scores from the right, then shorten."""
    stages = results[0].stages if results else []
    longest = max((len(r.municipality.name) for r in results), default=7)
    answered = max((len(_answered(r)) for r in results), default=5)
    cell = {s.id: max(3, *(len(_stage_cell(r, s.id)) for r in results)) for s in stages}
    placement = max((len(stage_cell(r)) for r in results), default=1)
    fit = _Columns(max(7, min(longest, MUNICIPALITY_MIN)), [s.id for s in stages])

    def needed() -> int:
        columns = [
            fit.name_width,
            8 if fit.short else 10,
            max(placement, 3 if fit.short else 5),
            *(cell[i] for i in fit.scores),
        ]
        if fit.answered:
            columns.append(max(answered, 5))
        return sum(columns) + 3 * (len(columns) - 1)  # a space, a rule, a space between two columns

    if width is not None:
        if needed() > width:
            fit.answered = False
        while fit.scores and needed() > width:
            fit.scores.pop()
        if needed() > width:
            fit.short = True
    return fit


def _answered(r: Result) -> str:
    """``44/62``: answered of the questions that apply (follow-ups that fall away are not open)."""
    return f"{r.answered}/{r.question_count - r.skipped}"


def _stage_cell(r: Result, stage_id: int) -> str:
    """A stage's score in the table: ``61 %✓`` reached, ``42 %!`` a key question open."""
    s = next(x for x in r.stages if x.id == stage_id)
    mark = "✓" if s.reached else ("!" if s.key_failed else " ")  # " " keeps the % signs aligned
    return f"{score_percent(s.score, s.threshold, s.score_met)}{mark}"
