"""The comparison (time line or region) as Markdown, HTML or JSON, in the style of the single report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from stufenplan_cli.domain.models.comparison import Comparison
from stufenplan_cli.render import charts
from stufenplan_cli.render.environment import report_environment
from stufenplan_cli.render.markdown import tidy
from stufenplan_cli.render.templating import render_template

CompareFormat = Literal["md", "html", "json"]
TEMPLATES = {"md": "compare.md.j2", "html": "compare.html.j2"}


def render_comparison(
    comparison: Comparison,
    format: CompareFormat,
    title: str | None = None,
    today: dt.date | None = None,
    template_dir: Path | None = None,
) -> str:
    """The document text; ``title`` names the region (e.g. "Ilzer Land") on the cover."""
    if format == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    env = report_environment(format, template_dir)
    env.globals["heatmap"] = charts.heatmap
    context: dict[str, Any] = {
        "c": comparison,
        "region_title": title,
        "generated_on": (today or dt.date.today()).isoformat(),
    }
    text = render_template(env, TEMPLATES[format], context)
    return tidy(text) if format == "md" else text
