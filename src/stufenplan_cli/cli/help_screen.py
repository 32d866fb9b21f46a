"""The German help screen, drawn with rich in typer's layout: usage line, text, panels of arguments, options, commands.

Why drawn here: typer asks each parameter for its type column and number range through methods that are
private (``_get_number_range_help_str``) or would need our own parameter classes, which typer has no public way
to accept. Drawn from public data (a parameter's names, metavar, help, default, limits), the screen is ours:
the wording German, the layout typer's, its colours typer's public settings in ``typer.rich_utils``. The golden
screens in ``tests/golden/screens`` hold it byte for byte. Imported only when help is shown: rich's tables and
typer.rich_utils cost start-up time.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from typing import Any

from rich import box
from rich.align import Align
from rich.columns import Columns
from rich.console import Console, RenderableType, group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme
from typer import rich_utils
from typer.core import TyperArgument, TyperOption

from stufenplan_cli.cli.german import GermanGroup
from stufenplan_cli.cli.wording import (
    choice_names,
    number_range,
    option_metavar,
    usage_highlighter,
)

#: click's context; typer exports it only as its subclass ``typer.Context``, so it is typed loosely here.
Context = Any


def console() -> Console:
    """A console as typer's help uses: its theme, width and colour settings."""
    theme = Theme(
        {
            "option": rich_utils.STYLE_OPTION,
            "switch": rich_utils.STYLE_SWITCH,
            "negative_option": rich_utils.STYLE_NEGATIVE_OPTION,
            "negative_switch": rich_utils.STYLE_NEGATIVE_SWITCH,
            "types": rich_utils.STYLE_TYPES,
            "types_sep": rich_utils.STYLE_TYPES_SEPARATOR,
            "usage": rich_utils.STYLE_USAGE,
        }
    )
    return Console(
        theme=theme,
        highlighter=usage_highlighter(),
        color_system=rich_utils.COLOR_SYSTEM,
        force_terminal=rich_utils.FORCE_TERMINAL,
        width=rich_utils.MAX_WIDTH,
    )


def styled(text: str, style: str = "") -> Text:
    """Help text with rich markup, the options in it highlighted."""
    return usage_highlighter()(Text.from_markup(inspect.cleandoc(text), style=style))


@group()
def help_text(command: Any) -> Iterator[RenderableType]:
    """The command's help: the first paragraph plain, the rest dimmed."""
    first, *rest = inspect.cleandoc(command.help or "").partition("\f")[0].split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    yield styled(first.strip(), rich_utils.STYLE_HELPTEXT_FIRST_LINE)
    if rest:
        yield Text("")
        yield styled("\n\n".join(rest), rich_utils.STYLE_HELPTEXT)


def default_text(param: TyperArgument | TyperOption, ctx: Context) -> str:
    """The default a parameter shows in its help, or "" for none (a flag that is off, no default)."""
    if isinstance(param.show_default, str):
        return f"({param.show_default})"
    if not (param.show_default or ctx.show_default):
        return ""
    resilient, ctx.resilient_parsing = ctx.resilient_parsing, True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if value is None or (isinstance(param, TyperOption) and param.is_flag and not value):
        return ""
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(str(v.value) if isinstance(v, Enum) else str(v) for v in values)


def param_help(param: TyperArgument | TyperOption, ctx: Context) -> Columns:
    """The help column: the text (with the choices, if it does not name them), default, [Pflicht]."""
    items: list[RenderableType] = []
    text = param.help or ""
    names = choice_names(ctx.command, param)
    if names and not all(name in text for name in names):
        text = f"{text} Möglich: {', '.join(names)}.".strip()
    if text:
        paragraphs = [
            p.replace("\n", " ").strip() if not p.startswith("\b") else "{}\n".format(p.strip("\b\n"))
            for p in text.split("\n\n")
        ]
        items.append(styled("\n".join(paragraphs).strip(), rich_utils.STYLE_OPTION_HELP))
    default = default_text(param, ctx)
    if default:
        items.append(Text(rich_utils.DEFAULT_STRING.format(default), style=rich_utils.STYLE_OPTION_DEFAULT))
    if param.required:
        items.append(Text(rich_utils.REQUIRED_LONG_STRING, style=rich_utils.STYLE_REQUIRED_LONG))
    return Columns(items)


def param_row(param: TyperArgument | TyperOption, ctx: Context) -> list[RenderableType]:
    """One line of a panel: long and short names (an argument's metavar), what value it takes, the help."""
    highlight, negative = usage_highlighter(), rich_utils.negative_highlighter
    if isinstance(param, TyperArgument):
        long, short = [], [param.metavar or param.name or ""]
        value = None
    else:
        long = [o for o in param.opts if "--" in o]
        short = [o for o in param.opts if "--" not in o]
        value = option_metavar(param)
    types = Text(value or "", style=rich_utils.STYLE_TYPES, overflow="fold")
    limits = number_range(param.min, param.max)
    if limits:
        types.append(rich_utils.RANGE_STRING.format(limits))
    secondary = param.secondary_opts if isinstance(param, TyperOption) else []
    return [
        highlight(",".join(long)),
        highlight(",".join(short)),
        negative(",".join(o for o in secondary if "--" in o)),
        negative(",".join(o for o in secondary if "--" not in o)),
        rich_utils.types_highlighter(types),
        param_help(param, ctx),
    ]


def borderless_table(kind: str, highlight: bool) -> Table:
    """typer's table inside a panel, set up from its public ``STYLE_OPTIONS_TABLE_*`` (or ``COMMANDS``) settings."""

    def setting(name: str) -> Any:
        return getattr(rich_utils, f"STYLE_{kind}_TABLE_{name}")

    return Table(
        highlight=highlight,
        show_header=False,
        expand=True,
        box=getattr(box, setting("BOX"), None),
        show_lines=setting("SHOW_LINES"),
        leading=setting("LEADING"),
        border_style=setting("BORDER_STYLE"),
        row_styles=setting("ROW_STYLES"),
        pad_edge=setting("PAD_EDGE"),
        padding=setting("PADDING"),
    )


def panel(title: str, rows: Iterable[list[RenderableType]], border: str, align: Any) -> Panel:
    """typer's borderless table of rows in a titled panel."""
    table = borderless_table("OPTIONS", highlight=True)
    for row in rows:
        table.add_row(*row)
    return Panel(table, border_style=border, title=title, title_align=align)


def params_panel(title: str, params: Sequence[TyperArgument | TyperOption], ctx: Context) -> Panel | None:
    """Arguments or options; a red ``*`` in front of the required ones."""
    if not params:
        return None
    rows = [param_row(param, ctx) for param in params]
    if any(param.required for param in params):
        stars = [Text("*", style=rich_utils.STYLE_REQUIRED_SHORT) if p.required else "" for p in params]
        rows = [[star, *row] for star, row in zip(stars, rows, strict=True)]
    return panel(title, rows, rich_utils.STYLE_OPTIONS_PANEL_BORDER, rich_utils.ALIGN_OPTIONS_PANEL)


def commands_panel(group_: GermanGroup, ctx: Context) -> Panel | None:
    """The commands with the first paragraph of their help, names in a column as wide as the longest."""
    helps = {name: group_.summary(ctx, name) for name in group_.list_commands(ctx)}
    shown = {name: text for name, text in helps.items() if text is not None}
    if not shown:
        return None
    table = borderless_table("COMMANDS", highlight=False)
    width = max(len(name) for name in shown)
    table.add_column(style=rich_utils.STYLE_COMMANDS_TABLE_FIRST_COLUMN, no_wrap=True, width=width)
    table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    for name, text in shown.items():
        first = inspect.cleandoc(text).split("\n\n")[0]
        table.add_row(Text(name), styled(first.strip(), rich_utils.STYLE_OPTION_HELP))
    return Panel(
        table,
        border_style=rich_utils.STYLE_COMMANDS_PANEL_BORDER,
        title=rich_utils.COMMANDS_PANEL_TITLE,
        title_align=rich_utils.ALIGN_COMMANDS_PANEL,
    )


def print_help(command: Any, ctx: Context) -> None:
    """The whole help screen of a command or of the app, on stdout."""
    out = console()
    out.print(Padding(usage_highlighter()(command.get_usage(ctx)), 1), style=rich_utils.STYLE_USAGE_COMMAND)
    if command.help:
        out.print(Padding(Align(help_text(command), pad=False), (0, 1, 1, 1)))
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if isinstance(p, TyperArgument)]
    options = [p for p in params if isinstance(p, TyperOption)]
    panels = [
        params_panel(rich_utils.ARGUMENTS_PANEL_TITLE, arguments, ctx),
        params_panel(rich_utils.OPTIONS_PANEL_TITLE, options, ctx),
        commands_panel(command, ctx) if isinstance(command, GermanGroup) else None,
    ]
    for shown in panels:
        if shown is not None:
            out.print(shown)
