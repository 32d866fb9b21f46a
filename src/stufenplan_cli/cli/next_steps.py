"""The first measures of the report's roadmap on the terminal: the next steps at the end of ``assess``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from stufenplan_cli.domain.roadmap import roadmap
from stufenplan_cli.render.sentences import sentences

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result


def print_next_steps(console: Console, r: Result, q: Questionnaire, limit: int = 3, brief: int = 0) -> None:
    """The first measures of the report's roadmap, each with its stage, name and recommendation.

    One ordering for the end of ``assess`` and the report, so both name the same next steps.
    ``brief`` 1 keeps only the first sentence of each recommendation, 2 also puts the question on
    one line, or shows a measure's name (action) without its recommendation, so the steps fit a
    24-row screen; the report has them in full.
    """
    steps = roadmap(r, q)[:limit]
    if not steps:
        return
    word = (
        "Der wichtigste nächste Schritt"
        if len(steps) == 1
        else f"Die {len(steps)} wichtigsten nächsten Schritte"
    )
    console.print(f"\n[bold]{word}[/]")
    failed = {qid for s in r.stages for qid in s.key_failed}
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column()
    cut = False
    for i, measure in enumerate(steps, 1):
        text = Text.assemble((f"Stufe {measure.stage}", "dim"))
        if measure.question in failed:
            text.append(" · Schlüsselfrage", style="magenta")
        if measure.clarify:
            text.append(" · Stand klären", style="yellow")
        text.append(" · ")
        # the measure for the level the sheet holds (its option's next step), not the question's default
        text.append(measure.action or measure.text, style="bold" if measure.action else "")
        if brief >= 2 and not measure.action:
            text.no_wrap, text.overflow = True, "ellipsis"
        lines: list[Text] = [text]
        # on a tight screen a named measure stands alone: cut, its name would lose the verb at the end
        if measure.measure and not (brief >= 2 and measure.action):
            recommendation = sentences(measure.measure)
            shown = recommendation[:1] if brief else recommendation
            cut = cut or len(shown) < len(recommendation)
            lines.append(
                Text("→ " + " ".join(shown) + (" …" if len(shown) < len(recommendation) else ""), style="dim")
            )
        table.add_row(f"  {i}.", Group(*lines))
    console.print(table)
    if cut or brief >= 2:
        console.print("  [dim]Vollständig stehen die Empfehlungen im Bericht.[/]")
