"""From a parsed YAML document to a validated model, with every problem located by file and line.

Pydantic's messages are English and point at key paths; this module turns them into German
sentences at the line the user has to fix, and reports all problems of a file at once.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from stufenplan_cli.domain.models.common import Loc, suggest
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import (
    NOT_APPLICABLE,
    UNKNOWN,
    AnswerSheet,
    AnswerValue,
    answer_problems,
    normalise_value,
    sheet_problems,
    upgrade,
    upgrade_key,
    upgrade_value,
)
from stufenplan_cli.errors import Problem, ValidationFailed
from stufenplan_cli.files.reading import Document

Kind = Literal["questionnaire", "answers"]
M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "Pflichtangabe fehlt",
    "int_parsing": "ganze Zahl erwartet",
    "int_type": "ganze Zahl erwartet",
    "int_from_float": "ganze Zahl erwartet (ohne Nachkommastellen)",
    "float_parsing": "Zahl erwartet",
    "float_type": "Zahl erwartet",
    "string_type": "Text erwartet",
    "bool_type": "true oder false erwartet",
    "bool_parsing": "true oder false erwartet",
    "list_type": "Liste erwartet",
    "dict_type": "Zuordnung (Schlüssel: Wert) erwartet",
    "model_type": "Zuordnung (Schlüssel: Wert) erwartet",
    "model_attributes_type": "Zuordnung (Schlüssel: Wert) erwartet",
    "date_from_datetime_parsing": "Datum im Format JJJJ-MM-TT erwartet",
    "date_parsing": "Datum im Format JJJJ-MM-TT erwartet",
    "date_type": "Datum im Format JJJJ-MM-TT erwartet",
    "string_too_short": "darf nicht leer sein",
    "string_pattern_mismatch": "nur Kleinbuchstaben, Ziffern und Bindestriche erlaubt (z. B. 's1-lenkungskreis')",
}


def kind_of(doc: Document) -> Kind:
    """Tell a questionnaire from an answer sheet by content."""
    data = doc.data
    if isinstance(data, dict) and ("questions" in data or "stages" in data):
        return "questionnaire"
    return "answers"


def german(error: Any) -> str:
    """One pydantic error as a German sentence."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[
            kind
        ]
        bound = next(iter(ctx.values()), "")
        shown = f"{bound:g}".replace(".", ",") if isinstance(bound, int | float) else bound
        return f"Wert muss {sign} {shown} sein"
    if kind == "too_short":
        return f"mindestens {ctx.get('min_length', 1)} Eintrag/Einträge nötig"
    if kind == "literal_error":
        return f"erlaubt: {ctx.get('expected', '')}"
    return _MESSAGES.get(kind, str(error["msg"]))


def _problems(doc: Document, errors: list[Any], model: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in errors:
        loc: Loc = tuple(error["loc"])
        message = german(error)
        if error["type"] == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = list(parent.model_fields) if parent else []
            message = f"unbekannter Schlüssel {loc[-1]!r}{suggest(str(loc[-1]), known)}"
        elif error["type"] != "missing" and "input" in error and not isinstance(error["input"], dict | list):
            shown = repr(error["input"])
            if shown not in message and len(shown) < 60:
                message = f"{message} (gefunden: {shown})"
        problems.append(Problem(f"{_dotted(loc)}: {message}" if loc else message, doc.file, doc.line_of(loc)))
    return problems


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The nested model class at a location, to name its known keys in a hint."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: Loc) -> str:
    """Where a problem is, as the user wrote it: ``municipality.name``; an answer by its question."""
    if len(loc) >= 2 and loc[0] == "answers" and all(p == "value" for p in loc[2:]):
        return f"Frage {loc[1]!r}"
    return ".".join(str(p) for p in loc)


def _validate(doc: Document, model: type[M]) -> M:
    collected: list[tuple[Loc, str]] = []
    try:
        result = model.model_validate(doc.data, context={"problems": collected})
    except ValidationError as exc:
        raise ValidationFailed(_problems(doc, exc.errors(include_url=False), model), doc.file) from None
    if collected:
        raise ValidationFailed(_located(doc, collected), doc.file)
    return result


def model_from(doc: Document, model: type[M]) -> M:
    """Validate a parsed document as any file model; every problem comes with its line."""
    return _validate(doc, model)


def _located(doc: Document, problems: list[tuple[Loc, str]]) -> list[Problem]:
    return [Problem(message, doc.file, doc.line_of(loc)) for loc, message in problems]


def questionnaire_from(doc: Document) -> Questionnaire:
    """Validate a parsed document as a questionnaire.

    All problems come at once: when fields are wrong, the cross-references (ids, stages, dimensions) are
    still checked on what could be read, so a wrong threshold does not hide a duplicate id.
    """
    try:
        return _validate(doc, Questionnaire)
    except ValidationFailed as exc:
        draft = _lenient(Questionnaire, doc.data)
        if not isinstance(draft, Questionnaire):
            raise
        try:
            crossed = draft._reference_problems()
        except (AttributeError, TypeError, ValueError, KeyError):  # too broken to cross-check
            raise exc from None
        raise ValidationFailed(merge_problems(exc.problems, _located(doc, crossed)), doc.file) from None


def _lenient(model: type[BaseModel], data: Any) -> Any:
    """The model built part by part: what validates is validated, what does not is kept as written.

    Only for cross-checks after a failed validation, so they see every id a user wrote.
    """
    try:
        return model.model_validate(data, context={"problems": []})
    except ValidationError:
        if not isinstance(data, dict):
            return data
    fields: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in data:
            fields[name] = _lenient_value(field.annotation, data[key])
    return model.model_construct(**fields)


def _lenient_value(annotation: Any, value: Any) -> Any:
    inner = _inner_model(annotation)
    if inner is None:
        return value
    if isinstance(value, list):
        return [_lenient(inner, item) for item in value]
    return _lenient(inner, value)


def sheet_from(doc: Document, questionnaire: Questionnaire | None = None) -> AnswerSheet:
    """Validate a parsed document as an answer sheet, and against its questionnaire when given.

    All problems come at once: a type error in one answer does not hide an unknown id in another.
    A sheet written for a predecessor the questionnaire declares is read as the current version
    (``upgrade``); its problems still point at the lines the user wrote.
    """
    try:
        sheet = _validate(doc, AnswerSheet)
    except ValidationFailed as exc:
        raw = doc.data.get("answers") if isinstance(doc.data, dict) else None
        if questionnaire is None or not isinstance(raw, dict):
            raise
        raw, origin = _upgrade_raw(doc.data, raw, questionnaire)
        extra = _located(doc, _back(answer_problems(raw, questionnaire), origin))
        raise ValidationFailed(merge_problems(exc.problems, extra), doc.file) from None
    if questionnaire is not None:
        sheet, origin = upgrade(sheet, questionnaire)
        problems = _back(sheet_problems(sheet, questionnaire), origin)
        if problems:
            raise ValidationFailed(_located(doc, problems), doc.file)
    return sheet


def _upgrade_raw(
    data: dict[str, Any], raw: dict[Any, Any], questionnaire: Questionnaire
) -> tuple[dict[Any, Any], dict[str, str]]:
    """Raw answers of a predecessor's sheet under this version's ids, for checking a sheet that failed."""
    version = data.get("questionnaire_version")
    version = str(version) if isinstance(version, int | float) and not isinstance(version, bool) else version
    predecessor = questionnaire.predecessor(version) if isinstance(version, str) else None
    if (
        predecessor is None
        or version == questionnaire.version
        or data.get("questionnaire") != questionnaire.id
    ):
        return raw, {}
    mapped: dict[Any, Any] = {}
    origin: dict[str, str] = {}
    for key, value in raw.items():
        new = upgrade_key(str(key), predecessor, questionnaire)
        if new is None:
            continue
        if isinstance(value, dict) and "value" in value:
            value = {**value, "value": upgrade_value(new, normalise_value(value["value"]), predecessor)}
        else:
            value = upgrade_value(new, normalise_value(value), predecessor)
        mapped[new], origin[new] = value, str(key)
    return mapped, origin


def _back(problems: list[tuple[Loc, str]], origin: dict[str, str]) -> list[tuple[Loc, str]]:
    """Problems of upgraded answers located at the old id the file holds."""
    if not origin:
        return problems
    located: list[tuple[Loc, str]] = []
    for loc, message in problems:
        if len(loc) >= 2 and loc[0] == "answers" and loc[1] in origin:
            loc = ("answers", origin[str(loc[1])], *loc[2:])
        located.append((loc, message))
    return located


def quick_sheet(
    doc: Document, questionnaire: Questionnaire
) -> tuple[AnswerSheet, dict[str, AnswerValue]] | None:
    """A valid sheet without building a model per answer: the sheet less its answers, and the answer values.

    The fast path of batch scoring. The sheet's other fields are validated by the model as always (that
    is cheap); the answers are checked here in plain Python, and only the plain cases are accepted: a
    known question id, a value that is one of its options or ``unknown``/``n/a`` (German aliases and
    numbers in quotes as the model reads them), an optional text note. Anything else returns None, and
    the caller validates the whole sheet with :func:`sheet_from`, which reports every problem as ever.
    """
    data = doc.data
    if type(data) is not dict:
        return None
    values = _plain_answers(data.get("answers"), questionnaire)
    if values is None:
        return None
    try:
        sheet = AnswerSheet.model_validate({k: v for k, v in data.items() if k != "answers"})
    except ValidationError:
        return None
    if sheet_problems(sheet, questionnaire) or upgrade(sheet, questionnaire)[0] is not sheet:
        return None  # a predecessor's sheet has its ids and values carried over by sheet_from
    return sheet, values


def _plain_answers(raw: object, questionnaire: Questionnaire) -> dict[str, AnswerValue] | None:
    """``answers`` as the model would read them, or None for anything but the plain cases."""
    if raw is None:
        return {}
    if type(raw) is not dict:
        return None
    allowed = questionnaire.option_values_by_id
    values: dict[str, AnswerValue] = {}
    for qid, item in raw.items():
        if type(qid) is not str or qid not in allowed:
            return None
        if item is None:  # left blank, as in a fresh template: not answered
            continue
        if type(item) is dict:
            note = item.get("note")
            if (
                "value" not in item
                or len(item) > 1 + ("note" in item)
                or not (note is None or type(note) is str)
            ):
                return None
            item = item["value"]
        value = item if type(item) is int else normalise_value(item)
        if type(value) is int:
            if value not in allowed[qid]:
                return None
        elif value != UNKNOWN and value != NOT_APPLICABLE:
            return None
        values[qid] = value  # type: ignore[assignment]
    return values


def merge_problems(*groups: list[Problem]) -> list[Problem]:
    """Problems of one file from several checks: duplicates dropped, in line order."""
    seen: set[tuple[int | None, str]] = set()
    merged: list[Problem] = []
    for problem in (p for group in groups for p in group):
        key = (problem.line, problem.message)
        if key not in seen:
            seen.add(key)
            merged.append(problem)
    return sorted(merged, key=lambda p: p.line if p.line is not None else 1 << 30)
