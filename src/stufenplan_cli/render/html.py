"""The report as one self-contained HTML file: CSS and SVG inline, no scripts, A4 print-ready."""

from __future__ import annotations

from pathlib import Path

from stufenplan_cli.render.context import ReportContext
from stufenplan_cli.render.environment import report_environment
from stufenplan_cli.render.templating import render_template

TEMPLATE = "report.html.j2"


def render_html(context: ReportContext, template_dir: Path | None = None) -> str:
    """Render the HTML report from a report context; every sheet text is escaped by autoescape."""
    env = report_environment("html", template_dir)
    text = render_template(env, TEMPLATE, context.variables())
    return text
