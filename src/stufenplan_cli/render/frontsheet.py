"""The front sheet's words as plain text, for the formats that do not go through a page template (JSON, Word).

The wording stays in ``partials/texts.j2``: its macros and its ``resolution`` list are evaluated with the
report context (Markdown flavour), then the Markdown escapes are removed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from stufenplan_cli.render.context import ReportContext
from stufenplan_cli.render.environment import report_environment
from stufenplan_cli.render.submission import submission_record
from stufenplan_cli.render.templating import template_module

_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|~&#+\-=.)])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(value: object) -> str:
    """Markdown-flavoured template text as plain text: escapes and bold markers removed, spaces collapsed."""
    text = _BOLD.sub(r"\1", str(value))
    return " ".join(_ESCAPED.sub(r"\1", text).split())


def texts(context: ReportContext, template_dir: Path | None = None) -> Any:
    """The wording module (``partials/texts.j2``) evaluated for this report."""
    env = report_environment("md", template_dir)
    return template_module(env, "partials/texts.j2", context.variables())


def _measure_id(m: Any) -> str:
    return str(m["question"] if isinstance(m, dict) else m.question)


def front_sheet(context: ReportContext, template_dir: Path | None = None) -> dict[str, Any]:
    """Subject, resolution items, grounds, financial implications, proposed measures and annexes."""
    txt = texts(context, template_dir)
    record = submission_record(context.submission)
    finances = record.pop("financial_implications")
    notes = [plain(txt.finances_unestimated()), plain(txt.finances_budget())]
    finances["notes"] = [n for n in notes if n]
    return {
        "subject": plain(txt.submission_subject()),
        "head": [{"label": plain(label), "value": plain(value)} for label, value in txt.submission_head]
        + [{"label": plain(txt.submission_headings["bodies"]), "value": plain(txt.submission_bodies())}],
        "preamble": plain(txt.resolution_preamble()),
        "resolution": [
            {
                "text": plain(item["text"]),
                "measures": [
                    {"question": _measure_id(m), "text": plain(txt.resolution_item(m))}
                    for m in item["measures"]
                ],
            }
            for item in txt.resolution
        ],
        "grounds": [plain(f"{txt.grounds_done()} {txt.grounds_result()}"), plain(txt.grounds_proposal())],
        "financial_implications": finances,
        "annexes": [plain(a) for a in str(txt.annexes()).split("|") if a.strip()],
        **record,
    }
