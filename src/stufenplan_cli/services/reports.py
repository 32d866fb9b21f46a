"""Reports for many sheets: the rendering job a batch worker runs per sheet, and the overwrite check.

``stufenplan report DIR`` scores each sheet and renders it in every requested format inside the
worker processes of :mod:`stufenplan_cli.services.batch`; only the finished bytes come back, and the caller
writes them in input order. A PDF takes seconds to lay out, so the pool pays off from two sheets on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from stufenplan_cli.errors import InputError, MissingExtra, OutputExists, Problem, how_many
from stufenplan_cli.render import render
from stufenplan_cli.render.templating import TemplateLimit, template_error, time_limit
from stufenplan_cli.services.batch import SERIAL_BELOW

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.domain.models.result import Result

# How many existing files the refusal names before "…".
NAMED_EXISTING = 3


def render_checked(
    result: Result,
    questionnaire: Questionnaire,
    fmt: str,
    template_dir: Path | None = None,
    include_answers: bool = True,
) -> str | bytes:
    """Render one format, turning a broken (user) template into an InputError with file and line.

    A user's templates are also called as macros while a format is put together (DOCX, JSON): the
    whole rendering then runs within the time limit, and whatever their code raises is theirs.
    """
    if template_dir is not None:
        try:
            with time_limit():
                return render(result, questionnaire, fmt, template_dir, include_answers)
        except (InputError, MissingExtra, OSError):
            raise
        except Exception as exc:
            error = template_error(exc)
            if error.file is None and not isinstance(exc, jinja2.TemplateError | TemplateLimit):
                raise  # not raised in template code: a bug of ours, reported as one
            raise error from None
    try:
        return render(result, questionnaire, fmt, template_dir, include_answers)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"Vorlage fehlerhaft: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateError as exc:
        where = "Vorlage" if template_dir is None else f"Vorlage (aus {template_dir})"
        raise InputError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class Rendered:
    """One sheet's reports as bytes per format, or the template problem that stops the whole run."""

    documents: dict[str, bytes] = field(default_factory=dict)
    template_problem: Problem | None = None

    def template_error(self) -> InputError | None:
        """A template error is not the sheet's fault: it would hit every sheet, so it is raised once."""
        p = self.template_problem
        return InputError(p.message, p.file, p.line) if p is not None else None


@dataclass(frozen=True)
class ReportJob:
    """Render a scored sheet in the given formats (picklable, so worker processes can run it)."""

    formats: tuple[str, ...]
    template_dir: Path | None = None
    include_answers: bool = True

    def __call__(self, result: Result, questionnaire: Questionnaire) -> Rendered:
        documents: dict[str, bytes] = {}
        for fmt in self.formats:
            try:
                document = render_checked(result, questionnaire, fmt, self.template_dir, self.include_answers)
            except InputError as exc:
                return Rendered(template_problem=exc.problems[0])
            documents[fmt] = document.encode("utf-8") if isinstance(document, str) else document
        return Rendered(documents)


def serial_below(formats: Iterable[str]) -> int:
    """From how many sheets worker processes pay off: PDFs take seconds each, text reports milliseconds."""
    return 2 if "pdf" in formats else SERIAL_BELOW


def chunk_size(formats: Iterable[str]) -> int | None:
    """One sheet per task for PDFs, to balance the workers; text reports in batch's usual chunks."""
    return 1 if "pdf" in formats else None


def refuse_existing(targets: Sequence[Path]) -> None:
    """Raise one OutputExists naming how many of ``targets`` exist already and the first few; before any writing."""
    existing = [p for p in targets if p.exists()]
    if not existing:
        return
    if len(existing) == 1:
        raise OutputExists("Datei existiert bereits; mit --force überschreiben", existing[0])
    parents = {p.parent for p in existing}
    if len(parents) == 1:
        parent = parents.pop()
        where = " im aktuellen Verzeichnis" if parent == Path(".") else f" in {parent}/"
        names = [p.name for p in existing[:NAMED_EXISTING]]
    else:
        where = ""
        names = [str(p) for p in existing[:NAMED_EXISTING]]
    more = " …" if len(existing) > NAMED_EXISTING else ""
    raise OutputExists(
        f"{how_many(len(existing), 'files')} {'existiert' if len(existing) == 1 else 'existieren'} bereits{where} "
        f"(z. B. {', '.join(names)}{more}); "
        "mit --force überschreiben"
    )
