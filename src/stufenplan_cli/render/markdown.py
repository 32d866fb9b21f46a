"""The report as Markdown (CommonMark with GFM tables), for consultants' own documents and forges."""

from __future__ import annotations

from pathlib import Path

from stufenplan_cli.render.context import ReportContext
from stufenplan_cli.render.environment import report_environment
from stufenplan_cli.render.templating import render_template

TEMPLATE = "report.md.j2"


def render_markdown(context: ReportContext, template_dir: Path | None = None) -> str:
    """Render the Markdown report from a report context."""
    env = report_environment("md", template_dir)
    text = render_template(env, TEMPLATE, context.variables())
    return tidy(text)


def tidy(text: str) -> str:
    """At most one blank line in a row and one newline at the end: templates stay readable, output clean."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
