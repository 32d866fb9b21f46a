"""The ``assess`` interview in a terminal: draws each step of ``interview.Interview`` with rich, reads lines.

One screen per step, cleared before it is drawn, laid out for 80×24: when a question with long option
descriptions does not fit, blank lines and the key reminder go first; what is left scrolls.
Colours come from rich, which honours ``NO_COLOR``; every mark also works without colour.
"""

from __future__ import annotations

import contextlib
import math
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from stufenplan_cli.cli.common import shell_quote
from stufenplan_cli.cli.next_steps import print_next_steps
from stufenplan_cli.cli.present import print_result_detail, render_to_text
from stufenplan_cli.cli.views import (
    help_view,
    intro_view,
    keys_grid,
    keys_table,
    meta_view,
    question_view,
    review_view,
)
from stufenplan_cli.errors import how_many
from stufenplan_cli.render.sentences import sentences
from stufenplan_cli.services.interview import (
    KEY_BACK,
    KEY_HELP,
    KEY_QUIT,
    NAME,
    OPTIONAL_META,
    AskMeta,
    AskQuestion,
    Interview,
    Outcome,
    Review,
    StageIntro,
    Step,
    check_meta,
    question_range,
)

if TYPE_CHECKING:
    from rich.console import Console

    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result

PROMPT = "› "


class Screen:
    """A console that is cleared per step, and where typed lines come from."""

    def __init__(self, console: Console, read: Callable[[str], str] | None = None) -> None:
        self.console = console
        if read is None:
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
    least, most = question_range(q)
    minutes = _minutes(most if to_ask is None else to_ask)
    duration = f" · noch etwa {minutes} Minuten"
    questions = f"{how_many(most, 'questions')} in {how_many(len(q.stages), 'stages')}"
    if to_ask is None:
        duration = f" · Dauer etwa {minutes} Minuten"
        if least < most:  # follow-ups come only when they apply
            duration = f" · etwa {_minutes(least)}–{minutes} Minuten"
            questions = (
                f"{least}–{most} Fragen in {how_many(len(q.stages), 'stages')} (Folgefragen nur bei Bedarf)"
            )
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
            Text(f"{questions}{duration}", style="dim"),
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


def _minutes(questions: int) -> int:
    """About a minute a question, in steps of five, at least five."""
    return max(5, 5 * math.ceil(questions / 5))


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
            for page in help_pages(screen, step):
                screen.show(page)
                line = screen.ask()  # an answer typed at the help screen counts for the question
                if line.strip():
                    break
            outcome = interview.handle(line) if line.strip() else Outcome("moved")
        hint = outcome.hint if outcome.kind == "hint" else outcome.notice
        if outcome.kind == "skipped" and isinstance(step, AskQuestion):
            hint = f"Frage {step.number} übersprungen; sie bleibt offen bis zur Überprüfung am Ende."
        if outcome.kind == "help":
            hint = step.field.hint if isinstance(step, AskMeta) else _STEP_HELP[type(step)]


def help_pages(screen: Screen, step: AskQuestion) -> list[Group]:
    """The help of a question on one screen, as full as fits; else in two pages (text, then example and keys)."""
    whole = [help_view(step), help_view(step, compact=True)]
    if any(screen.fits(view) for view in whole):
        return [fitted(screen, whole)]
    return [help_view(step, compact=True, page=1), help_view(step, compact=True, page=2)]


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
    """The end: placement, what decides it, stage bars, profile, then the next steps and the report.

    When all of it is taller than the screen, it comes in two parts with Enter in between, so the
    placement and the bars are read before the next steps push them up (nothing is cleared, the
    first part stays in the scrollback); the first part shows as much of the profile as fits, the
    steps are shortened to whole sentences until they fit.
    """
    console = screen.console

    def overview_with(profile: int | None) -> Callable[[Console], None]:
        def draw(c: Console) -> None:
            c.print(
                Rule(Text("Ergebnis der Selbsteinschätzung", style="bold cyan"), style="cyan", align="left")
            )
            print_result_detail(c, result, q, assess=True, profile=profile)  # the steps follow below

        return draw

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
    # many dimensions (2.0 has 18): the profile shrinks to its strongest and weakest, the report has it all
    overview = overview_with(None)
    if console.is_terminal:
        overview = next(
            (overview_with(n) for n in (None, 8, 6, 4) if height(overview_with(n)) <= rows - 1),
            overview_with(2),
        )
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
