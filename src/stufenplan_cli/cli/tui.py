"""The ``assess`` interview in a terminal: draws each step of ``interview.Interview`` with rich, reads lines.

One screen per step, cleared before it is drawn, laid out for 80×24: when a question with long option
descriptions does not fit, blank lines and the key reminder go first; what is left scrolls.
Colours come from rich, which honours ``NO_COLOR``; every mark also works without colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from stufenplan_cli.cli.present import bar, percent
from stufenplan_cli.domain.models.sheet import NOT_APPLICABLE, UNKNOWN, Answer
from stufenplan_cli.render.sentences import sentences
from stufenplan_cli.services.interview import (
    KEY_ALL,
    KEY_BACK,
    KEY_HELP,
    KEY_NA,
    KEY_QUIT,
    KEY_UNKNOWN,
    NAME,
    OPTIONAL_META,
    AskMeta,
    AskQuestion,
    Interview,
    MetaField,
    Outcome,
    Review,
    StageIntro,
    Step,
    check_meta,
    values_text,
)

if TYPE_CHECKING:
    from rich.console import Console

    from stufenplan_cli.domain.models.questionnaire import Option, Questionnaire
    from stufenplan_cli.domain.models.result import Result

PROMPT = "› "


class Screen:
    """A console that is cleared per step, and where typed lines come from."""

    def __init__(self, console: Console, read: Callable[[str], str] | None = None) -> None:
        self.console = console
        if read is None:
            import contextlib

            with contextlib.suppress(ImportError):  # line editing for notes: arrows, Home/End, history
                import readline  # noqa: F401
            read = input
        self._read = read

    def show(self, *parts: RenderableType) -> None:
        if self.console.is_terminal:
            self.console.clear()
        for part in parts:
            self.console.print(part)

    def fits(self, renderable: RenderableType) -> bool:
        """Whether ``renderable`` and the prompt line fit on the screen."""
        lines = self.console.render_lines(renderable, self.console.options, pad=False)
        return len(lines) + 1 <= self.console.size.height

    def ask(self) -> str:
        """One typed line; end of input (Ctrl-D) counts as ``q``: save and quit."""
        try:
            return self._read(PROMPT)
        except EOFError:
            self.console.print()
            return KEY_QUIT


# ----- pieces -----


def keys_table(values: str = "0, 1, 2, …") -> Table:
    """Every key of the interview with its meaning (welcome screen and ``?``)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(values, "Antwort; dahinter eine Anmerkung, z. B. „3 Lenkungskreis seit 2023“")
    table.add_row(KEY_UNKNOWN, "weiß nicht (auch mit Anmerkung, z. B. „w Zuständigkeit klären“)")
    table.add_row(KEY_NA, "nicht zutreffend")
    table.add_row("Enter", "vorhandene Antwort behalten; ohne Antwort: Frage überspringen")
    table.add_row(KEY_BACK, "zurück zur vorigen Frage")
    table.add_row(KEY_HELP, "Hilfe zur Frage")
    table.add_row(KEY_QUIT, "speichern und beenden (später fortsetzen)")
    return table


def answer_text(answer: Answer, options: Sequence[Option]) -> str:
    """An answer in words: ``2 – Teilweise``, ``weiß nicht``, with its note."""
    if answer.value == UNKNOWN:
        text = "weiß nicht"
    elif answer.value == NOT_APPLICABLE:
        text = "nicht zutreffend"
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


def help_view(step: AskQuestion, compact: bool = False) -> Group:
    """The question's help text, example and the keys; compact: the keys in one line."""
    question = step.question
    parts: list[RenderableType] = [
        Text(f"Hilfe zu Frage {step.number} von {step.total}", style="bold cyan"),
        Rule(style="dim"),
        Text(question.text, style="bold"),
        Text(),
        Text(question.help or "Zu dieser Frage gibt es keinen Hilfetext."),
    ]
    if question.example:
        # examples start with the place ("Detmold: …"); a heading of its own avoids a second colon
        parts += [Text(), Text("Beispiel aus der Praxis", style="bold"), Text(question.example)]
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
    count = f"{step.questions} Fragen"
    if step.asked < step.questions:  # --review, or revisiting from the review
        count += f", davon {step.asked} zur Überprüfung"
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
        Text(f"Beantwortet: {answered} von {step.total} Fragen"),
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


# ----- the screens -----


def welcome(
    screen: Screen, q: Questionnaire, path: Path | None, lines: Sequence[str], to_ask: int | None = None
) -> bool:
    """The start: what this is, the keys, where the answers go. False if the user quits here.

    ``to_ask``: how many questions a resumed sheet still asks, for the time it takes.
    On a short screen the keys shrink to one line first, then the description loses whole
    sentences from its end; it is never cut inside a sentence.
    """
    said = sentences(q.description or "")
    left = len(q.questions) if to_ask is None else to_ask
    minutes = max(5, 5 * math.ceil(left / 5))  # about a minute a question, in steps of five
    duration = f" · Dauer etwa {minutes} Minuten" if to_ask is None else f" · noch etwa {minutes} Minuten"
    if to_ask == 0:
        duration = ""

    def view(count: int, all_keys: bool) -> Group:
        text = " ".join(said[:count]) + (" …" if count < len(said) else "")
        parts: list[RenderableType] = [
            Text(q.title, style="bold cyan", overflow="ellipsis", no_wrap=True),
            Rule(style="cyan"),
        ]
        if text.strip(" …"):
            parts.append(Text(text))
        parts += [
            Text(
                f"{len(q.questions)} Fragen in {len(q.stages)} Stufen{duration}",
                style="dim",
            ),
            Text(),
            Text("Tasten", style="bold"),
            keys_table() if all_keys else keys_grid(),
            Text(),
        ]
        if path is not None:
            parts.append(Text(f"Antwortbogen: {path}", style="bold"))
        parts += [Text(line) for line in lines]
        parts.append(Text("Jede Antwort wird sofort gespeichert; q oder Strg+C unterbricht.", style="dim"))
        parts.append(Text("Weiter mit Enter · q beenden", style="dim"))
        return Group(*parts)

    whole = len(said)
    views = [view(whole, True), view(whole, False), *(view(n, False) for n in range(whole - 1, -1, -1))]
    screen.show(fitted(screen, views))
    return screen.ask().strip().lower() != KEY_QUIT


def keys_grid() -> Table:
    """Every key in four rows of two, for the start screen when the full table does not fit."""
    table = Table.grid(padding=(0, 2))
    for style in ("bold", "", "bold", ""):
        table.add_column(style=style, no_wrap=True)
    table.add_row("0, 1, 2, …", "Antwort, Anmerkung dahinter", "Enter", "behalten oder überspringen")
    table.add_row(KEY_UNKNOWN, "weiß nicht", KEY_BACK, "zurück")
    table.add_row(KEY_NA, "nicht zutreffend", KEY_HELP, "Hilfe zur Frage")
    table.add_row("", "", KEY_QUIT, "speichern und beenden")
    return table


def ask_name(screen: Screen, preset: str | None = None, path: Path | None = None) -> str | None:
    """The municipality's name, required before anything can be saved; None if the user quits."""
    hint = ""
    keys = "q beenden" if path else "Der Antwortbogen wird nach der Kommune benannt · q beenden"
    while True:
        screen.show(meta_view(NAME, 1, len(OPTIONAL_META) + 1, preset, path, hint, keys))
        text = screen.ask().strip()
        if text.lower() == KEY_QUIT:
            return None
        if text.lower() in (KEY_BACK, KEY_HELP):
            hint = "Bitte den Namen der Kommune eingeben (q beendet)."
            continue
        if not text and preset:
            return preset
        if not text:
            hint = "Der Name ist Pflicht: er steht im Bericht und bildet den Dateinamen."
            continue
        try:
            return str(check_meta("name", text))
        except ValueError as exc:
            hint = str(exc)


def fitted(screen: Screen, views: Sequence[Group]) -> Group:
    """The first (fullest) of ``views`` that fits the screen; the last (most compact) if none does."""
    return next((view for view in views if screen.fits(view)), views[-1])


def run(screen: Screen, interview: Interview, path: Path, notice: str = "") -> bool:
    """Walk the interview until it is finished (True) or the user quits (False); ``notice`` on the first screen."""
    hint = notice
    while True:
        step = interview.step
        if step is None:
            return interview.finished
        screen.show(view_of(screen, step, path, hint))
        line = screen.ask()
        outcome = interview.handle(line)
        while outcome.kind == "help" and isinstance(step, AskQuestion):
            screen.show(fitted(screen, [help_view(step), help_view(step, compact=True)]))
            line = screen.ask()  # an answer typed at the help screen counts for the question
            outcome = interview.handle(line) if line.strip() else Outcome("moved")
        hint = outcome.hint if outcome.kind == "hint" else ""
        if outcome.kind == "skipped" and isinstance(step, AskQuestion):
            hint = f"Frage {step.number} übersprungen; sie bleibt offen bis zur Überprüfung am Ende."
        if outcome.kind == "help":
            hint = step.field.hint if isinstance(step, AskMeta) else _STEP_HELP[type(step)]


# What ``?`` says where there is no question to explain (the key lines are on screen already).
_STEP_HELP: dict[type, str] = {
    StageIntro: "Enter zeigt die erste Frage; zu jeder Frage gibt es mit ? eine Hilfe.",
    Review: "„weiß nicht“ und Unbeantwortetes zählen 0 Punkte; „nicht zutreffend“ zählt nicht mit.",
}


def view_of(screen: Screen, step: Step, path: Path, hint: str) -> Group:
    """The screen for one step, as full as the terminal allows."""
    if isinstance(step, AskQuestion):
        return fitted(screen, [question_view(step, hint, level) for level in range(3)])
    if isinstance(step, AskMeta):
        return meta_view(step.field, step.index, step.count, step.current, path, hint)
    if isinstance(step, StageIntro):
        return intro_view(step, path, hint)
    longest = max(len(step.unanswered), len(step.unknown), len(step.not_applicable), 1)
    width = screen.console.width
    views = [
        review_view(step, hint, n, width, spaced) for n in range(longest, 0, -1) for spaced in (True, False)
    ]
    return fitted(screen, views)


def show_result(screen: Screen, result: Result, q: Questionnaire, report_command: str, path: Path) -> None:
    """The end: placement, stage bars, profile, then the next steps and how to get the report.

    When all of it is taller than the screen, it comes in two parts with Enter in between, so the
    placement and the bars are read before the next steps push them up (nothing is cleared, the
    first part stays in the scrollback); the steps are shortened to whole sentences until they fit.
    """
    from stufenplan_cli.cli.present import print_next_steps, print_result_detail, render_to_text

    console = screen.console

    def overview(c: Console) -> None:
        c.print(Rule(Text("Ergebnis der Selbsteinschätzung", style="bold cyan"), style="cyan", align="left"))
        print_result_detail(c, result, q, steps=0)  # bars and profile; the steps follow below

    def closing(brief: int) -> Callable[[Console], None]:
        def draw(c: Console) -> None:
            print_next_steps(c, result, q, 3, brief)
            c.print()
            c.print(Text.assemble(("Antwortbogen: ", "bold"), str(path)))
            c.print(Text("Bericht für den Rat erstellen:", style="bold"))
            c.print(Text(shell_lines(report_command, c.width)), soft_wrap=True)

        return draw

    def height(draw: Callable[[Console], None]) -> int:
        return len(render_to_text(draw, console.width).rstrip("\n").split("\n"))

    rows = console.size.height - 1  # the prompt line
    screen.show()
    overview(console)
    if not console.is_terminal or height(overview) + height(closing(0)) <= rows:
        closing(0)(console)
        return
    # the steps come on a second screen, as full as it allows; the report has them in full
    last = next((closing(b) for b in (0, 1) if height(closing(b)) <= rows), closing(2))
    console.print(Text("Weiter mit Enter: die nächsten Schritte und der Befehl für den Bericht", style="dim"))
    try:
        screen.ask()
    except KeyboardInterrupt:  # everything is saved; the rest is shown all the same
        console.print()
    last(console)


def shell_lines(command: str, width: int, indent: int = 2) -> str:
    """A shell command indented for the screen, broken with ``\\`` between words rather than by the terminal.

    A line the terminal wraps by itself (``--format html`` / ``,pdf``) looks broken; these lines
    still run as they are when copied.
    """
    import shlex

    from stufenplan_cli.cli.common import shell_quote

    units: list[list[str]] = []
    for word in shlex.split(command):  # an option stays on one line with its value
        if units and len(units[-1]) == 1 and units[-1][0].startswith("-") and not word.startswith("-"):
            units[-1].append(shell_quote(word))
        else:
            units.append([shell_quote(word)])
    room = width - indent - 4  # a continued line: indented by two more and ending in " \\"
    words = [part for unit in units for part in ([" ".join(unit)] if len(" ".join(unit)) <= room else unit)]
    lines: list[str] = []
    line = " " * indent
    for index, word in enumerate(words):
        bare = line.strip() == ""
        room_left = width if index == len(words) - 1 else width - 2  # a line that goes on ends in " \\"
        if not bare and len(line) + 1 + len(word) > room_left:
            lines.append(line + " \\")
            line = " " * (indent + 2) + word
        else:
            line += ("" if bare else " ") + word
    lines.append(line)
    return "\n".join(lines)
