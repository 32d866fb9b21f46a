"""Answer sheets from files: read, find their questionnaire, check, score."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import Result
from stufenplan_cli.domain.models.sheet import AnswerSheet
from stufenplan_cli.domain.scoring import score
from stufenplan_cli.errors import NotFound, ValidationFailed
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import Document, load
from stufenplan_cli.files.validation import merge_problems, sheet_from


@dataclass
class LoadedSheet:
    """A validated sheet with the questionnaire it was checked against."""

    path: Path
    sheet: AnswerSheet
    questionnaire: Questionnaire
    document: Document


def questionnaire_for(doc: Document, catalog: Catalog) -> Questionnaire | None:
    """The questionnaire named in a sheet; None when the sheet names none (the model reports that)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    qid = data.get("questionnaire")
    if not isinstance(qid, str) or not qid.strip():
        return None
    try:
        return catalog.by_id(qid.strip())
    except NotFound as exc:  # point at the sheet's line, not at the catalog; keep what else it names
        exc.file, exc.line = doc.file, doc.line_of(("questionnaire",))  # a fresh error per lookup
        raise exc from None


def load_sheet(path: Path, catalog: Catalog, questionnaire: Questionnaire | None = None) -> LoadedSheet:
    """Read one sheet and validate it against its questionnaire (or the one given), all problems at once."""
    doc = load(path)
    lookup_error: NotFound | None = None
    target = questionnaire
    if target is None:
        try:
            target = questionnaire_for(doc, catalog)
        except NotFound as exc:
            lookup_error = exc
    try:
        sheet = sheet_from(doc, target)
    except ValidationFailed as exc:
        if lookup_error is not None:
            raise ValidationFailed(merge_problems(lookup_error.problems, exc.problems), doc.file) from None
        raise
    if lookup_error is not None:
        raise lookup_error
    assert target is not None  # a valid sheet names its questionnaire
    return LoadedSheet(path=path, sheet=sheet, questionnaire=target, document=doc)


def score_file(path: Path, catalog: Catalog, questionnaire: Questionnaire | None = None) -> Result:
    """Read, validate and score one sheet file."""
    loaded = load_sheet(path, catalog, questionnaire)
    return score(loaded.questionnaire, loaded.sheet, file=str(path))
