"""What each step of the ``assess`` interview looks like: questions, help, meta data, stage intros, review.

Pure rich renderables built from ``interview.Step`` objects; ``cli/tui.py`` decides what is shown when.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from stufenplan_cli.cli.present import bar
from stufenplan_cli.domain.answer_words import WRITTEN
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer
from stufenplan_cli.errors import how_many, of_total
from stufenplan_cli.render.german import percent
from stufenplan_cli.services.interview import (
    KEY_ALL,
    KEY_BACK,
    KEY_HELP,
    KEY_NA,
    KEY_QUIT,
    KEY_UNKNOWN,
    AskQuestion,
    MetaField,
    Review,
    StageIntro,
    values_text,
)

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Option


def keys_table(values: str = "0, 1, 2, …") -> Table:
    """Every key of the interview with its meaning (welcome screen and ``?``)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(values, "Antwort; dahinter eine Anmerkung, z. B. „3 Lenkungskreis seit 2023“")
    table.add_row(KEY_UNKNOWN, "weiß nicht (auch mit Anmerkung, z. B. „w Zuständigkeit klären“)")
    table.add_row(KEY_NA, WRITTEN[NOT_APPLICABLE])
    table.add_row("Enter", "vorhandene Antwort behalten; ohne Antwort: Frage überspringen")
    table.add_row(KEY_BACK, "zurück zur vorigen Frage")
    table.add_row(KEY_HELP, "Hilfe zur Frage")
    table.add_row(KEY_QUIT, "speichern und beenden (später fortsetzen)")
    return table


def answer_text(answer: Answer, options: Sequence[Option]) -> str:
    """An answer in words: ``2 – Teilweise``, ``weiß nicht``, with its note."""
    if answer.value in WRITTEN:
        text = WRITTEN[str(answer.value)]
    else:
        label = next((o.label for o in options if o.value == answer.value), "")
        text = f"{answer.value} – {label}"
    return f"{text} · Anmerkung: {answer.note}" if answer.note else text


def _hint(hint: str) -> Text:
    return Text(f"Hinweis: {hint}", style="yellow") if hint else Text()


def question_view(step: AskQuestion, hint: str = "", compact: int = 0) -> Group:
    """One question: where we are, the text, every option with its description, the current answer.

    ``compact`` 1 drops the rule and blank lines, 2 also the key reminder, so long options fit 24 rows.
    """
    parts: list[RenderableType] = []
    stage = step.stage
    # the bar fills its last cell only when every question is answered
    done = math.floor(20 * step.answered / step.total) / 20 if step.total else 0.0
    progress = bar(done, 20)
    progress.stylize("cyan")
    parts.append(
        Text.assemble(
            (f"Frage {step.number} von {step.total} · Stufe {stage.id} von {step.stages}  ", "bold"),
            progress,
            f"  {step.answered} beantwortet",
        )
    )
    parts.append(Text(stage.title, style="bold cyan"))
    if not compact:
        parts.append(Rule(style="dim"))
    title = Text(step.question.text, style="bold")
    if step.question.key:
        title.append("  [Schlüsselfrage]", style="magenta")
    parts.append(title)
    if not compact:
        parts.append(Text())
    options = Table.grid(padding=(0, 1))
    options.add_column(no_wrap=True, width=1)
    options.add_column(justify="right", style="bold", no_wrap=True)
    options.add_column(ratio=1)
    for option in step.options:
        chosen = step.current is not None and step.current.value == option.value
        text = Text(option.label, style="bold")
        if option.description:
            text.append(" – " + option.description)
        options.add_row("▸" if chosen else "", str(option.value), text)
    parts.append(options)
    if not compact:
        parts.append(Text())
    if step.current is not None:
        parts.append(
            Text.assemble(
                ("Bisher: ", "bold"), answer_text(step.current, step.options), (" – Enter behält", "dim")
            )
        )
    if hint:
        parts.append(_hint(hint))
    if compact < 2:
        parts.append(keys_line(step.options))
    return Group(*parts)


def keys_line(options: Sequence[Option]) -> Text:
    """The keys in one line, under every question."""
    return Text(
        f"{values_text(options)} · w weiß nicht · n nicht zutreffend · z zurück · ? Hilfe · q Ende",
        style="dim",
    )


def help_view(step: AskQuestion, compact: bool = False, page: int = 0) -> Group:
    """The question's help text, example and the keys; compact: the keys in one line.

    ``page`` 1 is the question and its help text alone, ``page`` 2 the rest (example, key question,
    keys), for help that does not fit one screen; 0 is all of it.
    """
    question = step.question
    title = f"Hilfe zu Frage {step.number} von {step.total}" + (" (Fortsetzung)" if page == 2 else "")
    parts: list[RenderableType] = [Text(title, style="bold cyan"), Rule(style="dim")]
    if page != 2:
        parts += [
            Text(question.text, style="bold"),
            Text(),
            Text(question.help or "Zu dieser Frage gibt es keinen Hilfetext."),
        ]
    if page == 1:
        more = "das Beispiel aus der Praxis" if question.example else "die Tasten"
        return Group(*parts, Text(), Text(f"Enter: weiter, {more} · oder gleich hier antworten", style="dim"))
    if question.example:
        # examples start with the place ("Detmold: …"); a heading of its own avoids a second colon
        parts += [Text(), Text("Beispiel aus der Praxis", style="bold"), Text(question.example)]
        if page == 2:
            parts = [*parts[:2], *parts[3:]]  # the page starts with the example, no blank line above it
    if question.key:
        parts += [
            Text(),
            Text(
                "Schlüsselfrage: Sie muss mindestens zur Hälfte erfüllt sein, damit die Stufe erreicht ist.",
                style="magenta",
            ),
        ]
    if compact:
        parts += [Text(), keys_line(step.options)]
    else:
        parts += [Text(), Text("Tasten", style="bold"), keys_table(values_text(step.options))]
    parts += [Text(), Text("Enter: zurück zur Frage · oder gleich hier antworten", style="dim")]
    return Group(*parts)


def meta_view(
    field: MetaField, index: int, count: int, current: Any, path: Path | None, hint: str, keys: str = ""
) -> Group:
    parts: list[RenderableType] = [
        Text(f"Angaben zur Kommune · {index} von {count}", style="bold cyan"),
        Rule(style="dim"),
        Text(field.label + ("  (Pflichtangabe)" if field.required else ""), style="bold"),
        Text(field.hint, style="dim"),
    ]
    if current not in (None, ""):
        parts.append(Text.assemble(("Bisher: ", "bold"), str(current), (" – Enter behält", "dim")))
    elif not field.required:
        parts.append(Text("Enter: überspringen", style="dim"))
    parts.append(Text())
    if path is not None:
        parts.append(Text(f"Antwortbogen: {path}", style="dim"))
    if hint:
        parts.append(_hint(hint))
    parts.append(Text(keys or "z zurück · q speichern und beenden", style="dim"))
    return Group(*parts)


def intro_view(step: StageIntro, path: Path | None, hint: str) -> Group:
    stage = step.stage
    parts: list[RenderableType] = [
        Text(f"Stufe {stage.id} von {step.stages}", style="bold cyan"),
        Rule(style="cyan"),
        Text(stage.title, style="bold"),
        Text(),
    ]
    if stage.goal:
        parts += [Text(stage.goal), Text()]
    count = how_many(step.questions, "questions")
    if step.asked < step.questions:  # --review, or revisiting from the review
        count += f", davon {step.asked} zur Überprüfung"
    elif step.follow_ups:  # their conditions are asked first in this stage
        which = "1 Folgefrage" if step.follow_ups == 1 else f"{step.follow_ups} Folgefragen"
        count = f"bis zu {count}, davon {which} nur bei Bedarf"
    parts.append(Text(f"{count} · Schwelle: {percent(stage.threshold)} der möglichen Punkte", style="dim"))
    if path is not None:
        parts.append(Text(f"Antwortbogen: {path}", style="dim"))
    parts.append(Text())
    if hint:
        parts.append(_hint(hint))
    parts.append(Text("Weiter mit Enter · z zurück · q speichern und beenden", style="dim"))
    return Group(*parts)


def review_view(
    step: Review, hint: str, per_group: int = 1000, width: int = 80, spaced: bool = True
) -> Group:
    """What is still open; each list shows at most ``per_group`` lines (the rest is counted).

    ``spaced`` puts a blank line before each list; it goes first when the screen is short.
    """
    answered = step.total - len(step.unanswered)
    parts: list[RenderableType] = [
        Text("Überprüfung vor dem Abschluss", style="bold cyan"),
        Rule(style="dim"),
        Text(f"Beantwortet: {of_total(answered, step.total, 'questions')}"),
    ]
    groups = [
        ("Nicht beantwortet", step.unanswered, "zählt wie 0 Punkte"),
        ("Weiß nicht", step.unknown, "zählt wie 0 Punkte"),
        ("Nicht zutreffend", step.not_applicable, "zählt nicht mit"),
    ]
    shown = [g for g in groups if g[1]]
    if not shown:
        parts.append(Text("Alles beantwortet – nichts ist offen.", style="green"))
    for title, items, meaning in shown:
        if spaced:
            parts.append(Text())
        parts.append(Text.assemble((f"{title} ({len(items)})", "bold"), (f" – {meaning}", "dim")))
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", no_wrap=True, style="bold", min_width=4)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        visible = items if len(items) <= per_group else items[: max(1, per_group - 1)]
        for number, question in visible:
            text = Text(question.text)
            text.truncate(width - 6, overflow="ellipsis")
            table.add_row(str(number), text)
        parts.append(table)
        if len(visible) < len(items):
            parts.append(Text(f"     … und {len(items) - len(visible)} weitere", style="dim"))
    parts.append(Text())
    if hint:
        parts.append(_hint(hint))
    what = f" · {KEY_ALL}: alle aufgeführten durchgehen" if shown else ""
    parts.append(Text(f"Enter: abschließen und Ergebnis zeigen{what}", style="bold"))
    parts.append(Text("Nummer: diese Frage ändern · z zurück · q speichern und beenden", style="dim"))
    return Group(*parts)


def keys_grid() -> Table:
    """Every key in four rows of two, for the start screen when the full table does not fit."""
    table = Table.grid(padding=(0, 2))
    for style in ("bold", "", "bold", ""):
        table.add_column(style=style, no_wrap=True)
    table.add_row("0, 1, 2, …", "Antwort, Anmerkung dahinter", "Enter", "behalten oder überspringen")
    table.add_row(KEY_UNKNOWN, WRITTEN[UNKNOWN], KEY_BACK, "zurück")
    table.add_row(KEY_NA, WRITTEN[NOT_APPLICABLE], KEY_HELP, "Hilfe zur Frage")
    table.add_row("", "", KEY_QUIT, "speichern und beenden")
    return table
