"""Rendering: a scored sheet or a comparison into documents (Markdown, HTML, PDF, JSON), SVG charts, the blank
answer sheet, and the Jinja2 environment all wording goes through (``report_templates/``).

May import ``domain``, ``files`` (for bundled resources) and ``errors``; never ``services`` or ``cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result

FORMATS = ("md", "html", "pdf", "json", "docx")
EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "docx": ".docx"}
BINARY_FORMATS = ("pdf", "docx")


def render(
    result: Result,
    questionnaire: Questionnaire,
    fmt: str,
    template_dir: Path | None = None,
    include_answers: bool = True,
) -> str | bytes:
    """One report in one format: text for md, html and json; bytes for pdf and docx (the editable draft).

    ``include_answers=False`` leaves the appendix with every answer out (a shorter document for the council).
    """
    from stufenplan_cli.domain.roadmap import roadmap
    from stufenplan_cli.render.context import build_context

    measures = roadmap(result, questionnaire)
    context = build_context(result, questionnaire, measures, include_answers=include_answers)
    if fmt == "json":
        from stufenplan_cli.render.json import render_json

        return render_json(result, questionnaire, measures, context, template_dir)
    if fmt == "docx":
        from stufenplan_cli.render.docx import render_docx

        return render_docx(context, template_dir)
    if fmt == "md":
        from stufenplan_cli.render.markdown import render_markdown

        return render_markdown(context, template_dir)
    from stufenplan_cli.render.html import render_html

    html = render_html(context, template_dir)
    if fmt == "html":
        return html
    if fmt == "pdf":
        from stufenplan_cli.render.pdf import html_to_pdf

        return html_to_pdf(html)
    raise ValueError(f"unknown format {fmt!r}")
