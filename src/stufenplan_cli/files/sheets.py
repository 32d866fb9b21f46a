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
from stufenplan_cli.files.validation import merge_problems, quick_sheet, sheet_from


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
    return check_sheet(load(path), path, catalog, questionnaire)


def check_sheet(
    doc: Document, path: Path, catalog: Catalog, questionnaire: Questionnaire | None = None
) -> LoadedSheet:
    """Validate a read sheet against its questionnaire (or the one given), all problems at once."""
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


def score_plain(doc: Document, catalog: Catalog, questionnaire: Questionnaire | None = None) -> Result | None:
    """The Result without its per-question list, for a plain valid sheet, without a model per answer.

    The batch's fast path for tables and JSON records (:func:`quick_sheet` says what is plain). None
    for anything else (an unknown questionnaire, any problem, a sheet written for another version of
    the questionnaire): then :func:`check_sheet` and :func:`score` take over and report as ever.
    """
    try:
        target = questionnaire or questionnaire_for(doc, catalog)
    except NotFound:
        return None
    quick = quick_sheet(doc, target) if target is not None else None
    if quick is None or target is None:
        return None
    sheet, values = quick
    if sheet.questionnaire_version and sheet.questionnaire_version != target.version:
        return None
    return score(target, sheet, file=doc.file, values=values, questions=False)


def score_file(path: Path, catalog: Catalog, questionnaire: Questionnaire | None = None) -> Result:
    """Read, validate and score one sheet file."""
    loaded = load_sheet(path, catalog, questionnaire)
    return score(loaded.questionnaire, loaded.sheet, file=str(path))
