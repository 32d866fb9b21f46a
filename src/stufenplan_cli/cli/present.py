"""Rich renderings for the terminal: tables and texts that commands print. No logic beyond layout."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from stufenplan_cli.cli.common import safe_console
from stufenplan_cli.domain.scoring import shown_score
from stufenplan_cli.domain.thresholds import reaches
from stufenplan_cli.errors import of_total
from stufenplan_cli.render import german
from stufenplan_cli.render.german import percent
from stufenplan_cli.services.tabular import NO_STAGE

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result
    from stufenplan_cli.files.catalog import Entry


def score_percent(score: float | None, threshold: float, met: bool) -> str:
    """A stage score as a percentage that never looks like its threshold when it is below it."""
    return percent(shown_score(score, threshold, met))


def bar(
    value: float | None, width: int = 20, threshold: float | None = None, met: bool | None = None
) -> Text:
    """A horizontal bar with a threshold mark; plain characters so it survives NO_COLOR and copy/paste.

    ``met`` is the stage's own verdict (``score_met``); without it the bar compares as scoring does.
    """
    filled = 0 if value is None else round(max(0.0, min(1.0, value)) * width)
    if met is None:
        met = value is not None and threshold is not None and reaches(value, threshold)
    reached = met and threshold is not None
    mark = None if threshold is None else min(width - 1, round(threshold * width))
    if mark is not None and not reached:
        filled = min(filled, max(0, mark - 1))  # a score below the threshold stops short of the mark
    cells = ["█"] * filled + ["░"] * (width - filled)
    if mark is not None:
        cells[mark] = "┃"
    return Text("".join(cells), style="green" if reached else "yellow")


def questionnaire_table(entries: Sequence[Entry]) -> Table:
    table = Table(title="Fragebögen", title_justify="left")
    table.add_column("Id", style="bold")
    table.add_column("Version")
    table.add_column("Titel", overflow="fold")
    table.add_column("Fragen", justify="right")
    table.add_column("Herkunft", overflow="fold")
    for e in entries:
        where = "mitgeliefert" if e.bundled else str(e.path)
        if e.questionnaire is None:
            table.add_row(escape(e.declared_id or "–"), "–", "[red]ungültig[/]", "–", escape(where))
        else:
            q = e.questionnaire
            table.add_row(
                escape(q.id), escape(q.version), escape(q.title), str(len(q.questions)), escape(where)
            )
    return table


def print_questionnaire(console: Console, q: Questionnaire) -> None:
    console.print(f"[bold]{escape(q.title)}[/] ({escape(q.id)}, Version {escape(q.version)})")
    if q.description:
        console.print(escape(q.description))
    console.print()
    dims = Table(title="Dimensionen", title_justify="left")
    dims.add_column("Id", style="bold")
    dims.add_column("Titel", overflow="fold")
    dims.add_column("Fragen", justify="right")
    for d in q.dimensions:
        dims.add_row(escape(d.id), escape(d.title), str(sum(1 for x in q.questions if d.id in x.dimensions)))
    console.print(dims)
    for stage in q.stages:
        console.print()
        console.print(
            f"[bold]Stufe {stage.id}: {escape(stage.title)}[/]  (Schwelle {percent(stage.threshold)})"
        )
        if stage.goal:
            console.print(escape(stage.goal), style="dim")
        for question in q.questions_of_stage(stage.id):
            marks = [escape(question.id)]
            if question.key:
                marks.append("[magenta]Schlüsselfrage[/]")
            if question.weight != 1:
                marks.append(f"Gewicht {question.weight:g}".replace(".", ","))
            console.print(Padding(f"[bold]{' · '.join(marks)}[/]", (1, 0, 0, 2)))
            console.print(Padding(escape(question.text), (0, 0, 0, 4)))
            for option in q.options_for(question):
                console.print(Padding(f"{option.value} = {escape(option.label)}", (0, 0, 0, 6)), style="dim")


def stage_name(result: Result) -> str:
    """The placement in words: ``Stufe 2 – Implementierung …`` or ``noch keine Stufe erreicht``.

    When a lower stage is still open, the count of stages met is no stage's title; it says which
    are met and which is open: ``Stufe 2 – Kriterien von Stufe 1 und 3 erfüllt, Stufe 2 noch offen``.
    """
    if result.stage == 0:
        return NO_STAGE
    if result.open_below:
        met = [s.id for s in result.stages if s.reached]
        return (
            f"Stufe {result.stage} – Kriterien von Stufe {and_list(met)} erfüllt, "
            f"Stufe {and_list(result.open_below)} noch offen"
        )
    return f"Stufe {result.stage} – {result.stage_title}"


def possible_text(result: Result) -> str | None:
    """``bis Stufe 2 möglich: 6 offene Fragen entscheiden``; None when the open answers change nothing."""
    if result.stage_possible <= result.stage:
        return None
    n = len(result.deciding)
    text = f"bis Stufe {result.stage_possible} möglich"
    if n:
        text += ": 1 offene Frage entscheidet" if n == 1 else f": {n} offene Fragen entscheiden"
    return text


def and_list(items: Sequence[object]) -> str:
    """``1``, ``1 und 3``, ``1, 3 und 4``."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " und " + words[-1]


def stage_cell(result: Result) -> str:
    """The placement in a table cell: ``1``, ``1 (2)`` when open answers could lift it, ``2*`` a stage below open."""
    cell = str(result.stage) if result.stage else "–"
    if result.open_below:
        cell += "*"
    if result.stage_possible > result.stage:
        cell += f" ({result.stage_possible})"
    return cell


def shorten(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut with ``…`` after a clause (comma, dash) or a whole word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    clause = max(cut.rfind(mark) for mark in (", ", " – ", "; ", " ("))
    if clause >= width // 2:
        cut = cut[:clause]
    elif " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def print_deciding(console: Console, r: Result, q: Questionnaire, limit: int | None = None) -> None:
    """The open questions that decide between the secured and the possible placement, by their text.

    Each in at most two lines; beyond ``limit`` questions the rest is counted (the end of ``assess``).
    """
    if not r.deciding or r.stage_possible <= r.stage:
        return
    these = "Diese offene Frage entscheidet" if len(r.deciding) == 1 else "Diese offenen Fragen entscheiden"
    console.print(f"\n[bold]{these}, ob Stufe {r.stage_possible} erreicht wird:[/]")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    room = max(20, console.width - 5)  # after the bullet column
    shown = r.deciding if limit is None or len(r.deciding) <= limit else r.deciding[: max(1, limit - 1)]
    for qid in shown:
        question = q.question_by_id[qid]
        mark = "Schlüsselfrage: " if question.key else ""
        text = Text.assemble((mark, "magenta"), shorten(question.text, 2 * room - len(mark) - 8))
        table.add_row("  •", text)
    console.print(table)
    if len(shown) < len(r.deciding):
        console.print(
            f"    [dim]… und {len(r.deciding) - len(shown)} weitere; alle zeigt stufenplan score[/]"
        )


def _basis(r: Result) -> str:
    """What the placement rests on: date, questionnaire and how the questions were answered."""
    total = r.question_count
    counted = f"{of_total(r.answered, total - r.skipped, 'questions')} mit Wert"
    for n, word in (
        (r.unknown, "„weiß nicht“"),
        (r.not_applicable, "nicht zutreffend"),
        (r.missing, "offen"),
        (r.skipped, "Folgefragen entfallen" if r.skipped > 1 else "Folgefrage entfällt"),
    ):
        if n:
            counted += f", {n} {word}"
    date = f"Stand {german.date(r.assessed_on)}" if r.assessed_on else "ohne Datum"
    return f"{date} · Fragebogen {r.questionnaire.id} {r.questionnaire.version} · {counted}"


def print_result_detail(
    console: Console, r: Result, q: Questionnaire, assess: bool = False, profile: int | None = None
) -> None:
    """Stage bars, what decides and what blocks the next stage, and the dimension profile of one sheet.

    ``assess``: the end of ``assess``, where the next steps follow the profile (``next_steps.py``)
    instead of the plain list of what is missing. ``profile`` limits the profile to that many
    dimensions, the strongest and the weakest (the end of ``assess`` on 24 rows).
    """
    lines: list[RenderableType] = [f"[bold]{escape(r.municipality.name)}[/]: {escape(stage_name(r))}"]
    possible = possible_text(r)
    if possible:
        lines.append(Text(f"  {possible[0].upper()}{possible[1:]}", style="yellow"))
    for s in r.stages:
        status = "erreicht" if s.reached else "offen"
        if s.score_met and not s.reached:  # above its threshold, open only for a key question
            status += " – Schlüsselfrage"
        elif s.reached_possible and not s.reached:
            status += " – mit offenen Fragen möglich"
        lines.append(
            Text.assemble(
                f"  Stufe {s.id} ",
                bar(s.score, 20, s.threshold, s.score_met),
                f" {score_percent(s.score, s.threshold, s.score_met):>5} / {percent(s.threshold)}  {status}",
            )
        )
    if not assess:  # the end of assess has no room for it and has just saved the sheet
        lines.append(Padding(Text(_basis(r), style="dim"), (0, 0, 0, 2)))
    console.print(Group(*lines))  # one print: each costs rich a pass over the console's settings
    print_deciding(console, r, q, 3 if assess else None)
    if r.next_stage is not None and not assess:
        n = r.next_stage
        console.print(f"\n[bold]Was zu Stufe {n.id} fehlt:[/]")
        if n.shortfall > 0:
            console.print(
                f"  Score {score_percent(n.score, n.threshold, False)}, Schwelle {percent(n.threshold)}"
            )
        missing = Table.grid(padding=(0, 1))  # a grid gives wrapped lines a hanging indent
        missing.add_column(no_wrap=True)
        missing.add_column()
        for qid in n.key_failed:
            missing.add_row(
                "  •", Text.assemble(("Schlüsselfrage offen: ", "magenta"), q.question_by_id[qid].text)
            )
        for qid in [g for g in n.gaps if g not in n.key_failed][:3]:
            missing.add_row("  •", q.question_by_id[qid].text)
        console.print(missing)
    print_profile(console, r, profile)
    for w in r.warnings:
        console.print(f"[yellow]Warnung:[/] {escape(w)}")


def print_profile(console: Console, r: Result, limit: int | None = None) -> None:
    """The dimension profile as bars; beyond ``limit`` dimensions only the strongest and the weakest."""
    shown = list(r.dimensions)
    heading = "Profil nach Dimensionen"
    if limit is not None and len(shown) > limit:
        ranked = sorted(shown, key=lambda d: -(d.score if d.score is not None else -1.0))
        strong, weak = ranked[: (limit + 1) // 2], ranked[len(ranked) - limit // 2 :]
        shown = strong + weak
        heading += f" – die {len(strong)} stärksten und die {len(weak)} schwächsten von {len(r.dimensions)}"
    lines: list[RenderableType] = [f"\n[bold]{heading}[/]"]
    width = max((len(d.title) for d in shown), default=10)
    width = max(min(width, console.width - 26), 20)  # 26 = indent, bar and percentage
    for d in shown:
        title = d.title if len(d.title) <= width else d.title[: width - 1].rstrip() + "…"
        lines.append(Text.assemble(f"  {title:<{width}} ", bar(d.score, 16), f" {percent(d.score):>5}"))
    if len(shown) < len(r.dimensions):
        lines.append("  [dim]Das ganze Profil steht im Bericht.[/]")
    console.print(Group(*lines))


def render_to_text(draw: Callable[[Console], None], width: int = 10_000) -> str:
    """What ``draw`` prints, as plain text without colours or wrapping (for ``--output`` files)."""
    buffer = io.StringIO()
    console = safe_console(file=buffer, width=width, no_color=True, color_system=None, highlight=False)
    draw(console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
