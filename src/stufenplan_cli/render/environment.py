"""The Jinja2 environment of the reports: filters for German numbers, escaping per format, charts.

Two flavours share the filter names, so the shared prose partials work in both: in ``html`` the
environment autoescapes and ``strong`` writes ``<strong>``; in ``md`` every text from a sheet or a
questionnaire goes through ``t``, which escapes Markdown, and ``strong`` writes ``**…**``.
``strong`` takes raw text and escapes it; ``bold`` takes text a macro has already formatted.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

from stufenplan_cli.domain.answer_words import STATUS_WORDS
from stufenplan_cli.render import charts
from stufenplan_cli.render.german import NBSP, euro, number, percent, quarter
from stufenplan_cli.render.sentences import first_sentence
from stufenplan_cli.render.templating import environment, use_bytecode_cache

Flavour = Literal["html", "md"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_PLACEHOLDER = re.compile(r"(\[[^\]<>]*\])")
# what would start a block (heading, list item, thematic break, setext underline) at the start of a line
_MD_LINE_START = re.compile(r"^(\s*)(?:(\d+)([.)])(?=\s|$)|([#+\-=])(?=\s|$|[#+\-=]))")


def md_escape(value: object) -> str:
    """Text that Markdown shows literally: no emphasis, links, HTML, table cells or headings sneak in."""
    if value is None:
        return ""
    return _md_escaped(str(value))


@functools.lru_cache(maxsize=4096)
def _md_escaped(text: str) -> str:
    """md_escape of a text, remembered: every report escapes the same question texts and recommendations."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return f"{match.group(1)}{match.group(2)}\\{match.group(3)}"
    return f"{match.group(1)}\\{match.group(4)}"


def md_lines(value: object) -> str:
    """A multi-line note for a Markdown table cell: each line escaped, lines joined by ``<br>``."""
    if value is None:
        return ""
    return "<br>".join(md_escape(line) for line in str(value).splitlines() if line.strip())


def html_lines(value: object) -> object:
    """A multi-line note in HTML: each line escaped, lines joined by ``<br>`` (merged notes, one per group)."""
    from markupsafe import Markup, escape

    if value is None:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in str(value).splitlines() if line.strip())


def capfirst(value: object) -> object:
    """First letter upper case, the rest untouched (unlike ``capitalize``); keeps Markup safe."""
    from markupsafe import Markup

    text = str(value)
    fixed = text[:1].upper() + text[1:]
    return Markup(fixed) if isinstance(value, Markup) else fixed


def lowerfirst(value: object) -> object:
    """First letter lower case, for a title used inside a sentence (``Mittelfristig`` → ``mittelfristig``)."""
    from markupsafe import Markup

    text = str(value)
    fixed = text[:1].lower() + text[1:]
    return Markup(fixed) if isinstance(value, Markup) else fixed


def css_string(value: object) -> object:
    """A quoted CSS string; every character that could end the string or the <style> is a hex escape."""
    from markupsafe import Markup

    text = str(value)
    escaped = "".join(f"\\{ord(ch):x} " if ch in "\\\"'<>&\n\r" or ord(ch) < 32 else ch for ch in text)
    return Markup(f'"{escaped}"')


@functools.lru_cache(maxsize=8)
def report_environment(flavour: Flavour, template_dir: Path | None = None) -> Any:
    """The environment for one output flavour; a user's ``template_dir`` runs sandboxed.

    Cached, so that a batch of reports compiles each template once (Jinja2 still notices edits).
    """
    from markupsafe import Markup, escape

    env = environment(
        template_dir,
        sandboxed=template_dir is not None,
        autoescape=flavour == "html",
        cache=False,
    )
    if flavour == "html":
        env.filters["t"] = lambda v: "" if v is None else str(v)
        env.filters["pct"] = lambda v: percent(v, NBSP)
        env.filters["strong"] = lambda v: Markup("<strong>%s</strong>") % ("" if v is None else str(v))
        env.filters["em"] = lambda v: Markup("<em>%s</em>") % ("" if v is None else str(v))
        env.filters["bold"] = lambda v: Markup("<strong>%s</strong>") % v
        env.filters["svg"] = Markup
        env.filters["lines"] = html_lines
        env.filters["css_string"] = css_string
        env.filters["bracketed"] = lambda v: Markup(
            _PLACEHOLDER.sub(r'<span class="placeholder">\1</span>', str(escape(v)))
        )
    else:
        env.filters["t"] = md_escape
        env.filters["pct"] = percent  # plain space: Markdown is edited as text (and shared with compare.md)
        env.filters["strong"] = lambda v: f"**{md_escape(v)}**"
        env.filters["em"] = lambda v: f"*{md_escape(v)}*"
        env.filters["bold"] = lambda v: f"**{v}**"  # text already formatted (escaped) by a macro
        env.filters["bracketed"] = lambda v: v
        env.filters["lines"] = md_lines
    env.filters["num"] = number
    env.filters["quarter"] = quarter
    env.filters["euro"] = euro
    env.filters["capfirst"] = capfirst
    env.filters["first_sentence"] = first_sentence
    env.filters["lowerfirst"] = lowerfirst
    env.globals["flavour"] = flavour
    env.globals["answer_words"] = STATUS_WORDS
    env.globals["bar_chart"] = charts.bar_chart
    env.globals["stage_ladder"] = charts.stage_ladder
    env.globals["step"] = charts.Step
    use_bytecode_cache(env, f"report-{flavour}")
    return env
