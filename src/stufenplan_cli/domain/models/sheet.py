"""The answer-sheet format: who was assessed, and an answer per question."""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from stufenplan_cli.domain.models.common import Loc, Strict, Text, suggest
from stufenplan_cli.domain.models.questionnaire import Predecessor, Questionnaire

UNKNOWN = "unknown"
NOT_APPLICABLE = "n/a"
SPECIAL_ALIASES: dict[str, str] = {
    "unknown": UNKNOWN,
    "weiß nicht": UNKNOWN,
    "weiss nicht": UNKNOWN,
    "n/a": NOT_APPLICABLE,
    "nicht zutreffend": NOT_APPLICABLE,
}
AGS_LENGTHS = (2, 3, 5, 8)

AnswerValue = int | Literal["unknown", "n/a"]


def normalise_value(raw: object) -> object:
    """Map the German aliases and stray case/space to ``unknown`` / ``n/a``; leave the rest alone."""
    if isinstance(raw, str):
        text = " ".join(raw.strip().lower().split())
        if text in SPECIAL_ALIASES:
            return SPECIAL_ALIASES[text]
        if text.isascii() and text.isdigit():  # "²" and "٣" are digits to str.isdigit, not to int()
            return int(text)
    return raw


class Answer(Strict):
    """One answer: an option value, ``unknown`` or ``n/a``, with an optional note."""

    value: AnswerValue = Field(
        description="Optionswert, 'unknown' (weiß nicht) oder 'n/a' (nicht zutreffend)"
    )
    note: str | None = Field(default=None, description="Anmerkung, z. B. Begründung oder Quelle")

    @field_validator("value", mode="before")
    @classmethod
    def _alias(cls, raw: object) -> object:
        value = normalise_value(raw)
        if isinstance(value, bool) or not (isinstance(value, int) or value in (UNKNOWN, NOT_APPLICABLE)):
            raise ValueError(
                f"{raw!r} ist keine gültige Antwort: erwartet wird ein Optionswert (Zahl), "
                "'weiß nicht' (unknown) oder 'nicht zutreffend' (n/a)"
            )
        if isinstance(value, int) and value < 0:
            raise ValueError(f"{raw!r}: Optionswerte sind nicht negativ")
        return value

    @property
    def is_value(self) -> bool:
        return isinstance(self.value, int)


class Municipality(Strict):
    """The municipality (or Landkreis, Gemeindeverbund) that was assessed."""

    name: Text
    ags: str | None = Field(
        default=None,
        description="Amtlicher Gemeindeschlüssel: 2, 3, 5 oder 8 Ziffern, als Text",
        json_schema_extra={"pattern": r"^(\d{2}|\d{3}|\d{5}|\d{8})$"},
    )
    kind: str | None = Field(
        default=None, description="z. B. Gemeinde, Stadt, Landkreis, Amt, Gemeindeverbund"
    )
    state: str | None = Field(default=None, description="Bundesland")
    population: Annotated[int, Field(ge=0)] | None = None

    @field_validator("ags", mode="before")
    @classmethod
    def _ags(cls, raw: object) -> object:
        if raw is None:
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            raise ValueError(
                'AGS bitte in Anführungszeichen schreiben, z. B. ags: "09162000" – sonst gehen führende Nullen verloren'
            )
        if not isinstance(raw, str):
            raise ValueError("AGS muss Text aus Ziffern sein")
        text = raw.strip().replace(" ", "")
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"AGS {raw!r} darf nur Ziffern enthalten")
        if len(text) not in AGS_LENGTHS:
            digits = "eine Ziffer" if len(text) == 1 else f"{len(text)} Ziffern"
            raise ValueError(f"AGS {raw!r} hat {digits}; erlaubt sind 2, 3, 5 oder 8")
        return text


class Target(Strict):
    """The stage the municipality aims for, and by when."""

    stage: Annotated[int, Field(ge=1)]
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


class MergeSource(Strict):
    """One workshop group's sheet that went into a merged sheet."""

    file: str
    group: str = Field(description="Name der Gruppe (group, assessor oder Dateiname)")


class Disagreement(Strict):
    """A question on which the groups differ by two levels or more: needs discussion."""

    question: str
    values: dict[str, AnswerValue] = Field(description="Antwort je Gruppe")
    spread: int = Field(ge=0, description="größter minus kleinster Wert")

    @field_validator("values", mode="before")
    @classmethod
    def _aliases(cls, raw: object) -> object:
        """'weiß nicht' and 'nicht zutreffend' as written in a merged sheet, like in its answers."""
        return {k: normalise_value(v) for k, v in raw.items()} if isinstance(raw, dict) else raw


class MergeInfo(Strict):
    """Recorded in a sheet made by ``stufenplan merge``: where it came from and what to discuss."""

    method: str = "median"
    sources: list[MergeSource] = Field(default=[])
    discussion: list[Disagreement] = Field(default=[])


class AnswerSheet(Strict):
    """A filled (or partly filled) answer sheet."""

    questionnaire: Annotated[str, Field(min_length=1, description="Id des Fragebogens")]
    questionnaire_version: str | None = None
    municipality: Municipality
    assessed_on: dt.date | None = Field(default=None, description="Datum der Einschätzung (JJJJ-MM-TT)")
    assessor: str | None = Field(default=None, description="Wer die Einschätzung vorgenommen hat")
    group: str | None = Field(default=None, description="Name der Workshop-Gruppe (für merge)")
    target: Target | None = None
    answers: dict[str, Answer] = Field(default={})
    merged: MergeInfo | None = Field(default=None, description="Von stufenplan merge eingetragen")
    # Not part of the file: the older version this sheet was written for, when it was read as a newer one.
    _upgraded_from: str | None = PrivateAttr(default=None)

    @property
    def upgraded_from(self) -> str | None:
        """The predecessor version the file was written for, if its answers were carried over (see upgrade)."""
        return self._upgraded_from

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        # ``q: 2`` is shorthand for ``q: {value: 2}``; ``answers:`` left empty means none yet.
        if not isinstance(data, dict):
            return data
        if isinstance(data.get("questionnaire_version"), int | float):
            data = {**data, "questionnaire_version": str(data["questionnaire_version"])}
        answers = data.get("answers")
        if answers is None and "answers" in data:
            return {**data, "answers": {}}
        if isinstance(answers, dict):
            # A question left blank (``q:`` as in a fresh template) is simply not answered yet.
            fixed = {
                str(k) if isinstance(k, int) else k: v if isinstance(v, dict | Answer) else {"value": v}
                for k, v in answers.items()
                if v is not None
            }
            return {**data, "answers": fixed}
        return data

    @field_validator("assessed_on", mode="before")
    @classmethod
    def _date(cls, raw: object) -> object:
        if isinstance(raw, dt.datetime):
            return raw.date()
        return raw

    def answer(self, question_id: str) -> Answer | None:
        return self.answers.get(question_id)


def answer_problems(values: Mapping[object, object], questionnaire: Questionnaire) -> list[tuple[Loc, str]]:
    """Unknown question ids and values outside a question's options, from raw or validated answers.

    Works on raw data too, so that a sheet with a type error elsewhere still gets these reported.
    """
    problems: list[tuple[Loc, str]] = []
    known = questionnaire.question_by_id
    allowed_values = questionnaire.option_values_by_id
    for qid, raw in values.items():
        question = known.get(str(qid))
        if question is None:
            problems.append((("answers", str(qid)), f"unbekannte Frage {qid!r}{suggest(str(qid), known)}"))
            continue
        value = raw.get("value") if isinstance(raw, dict) else raw
        if type(value) is not int:
            value = normalise_value(value)
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value not in allowed_values[question.id]
        ):
            allowed = [o.value for o in questionnaire.options_for(question)]
            problems.append(
                (
                    ("answers", str(qid), "value"),
                    f"Frage {qid!r}: Wert {value} ist keine Option (erlaubt: "
                    f"{', '.join(map(str, allowed))}, weiß nicht, nicht zutreffend)",
                )
            )
    return problems


def sheet_problems(sheet: AnswerSheet, questionnaire: Questionnaire) -> list[tuple[Loc, str]]:
    """Everything wrong with a sheet against its questionnaire, each with its location."""
    if sheet.questionnaire != questionnaire.id:
        message = f"Antwortbogen gehört zu Fragebogen {sheet.questionnaire!r}, nicht zu {questionnaire.id!r}"
        return [(("questionnaire",), message)]
    problems = answer_problems({qid: a.value for qid, a in sheet.answers.items()}, questionnaire)
    if sheet.target is not None and sheet.target.stage not in questionnaire.stage_by_id:
        problems.append((("target", "stage"), f"Zielstufe {sheet.target.stage} gibt es im Fragebogen nicht"))
    return problems


def upgrade_key(key: str, predecessor: Predecessor, questionnaire: Questionnaire) -> str | None:
    """The id an old sheet's answer key has in this version; None when the question was dropped."""
    new = predecessor.ids.get(key, key)
    return new if new in questionnaire.question_by_id else None


def upgrade_value(new_id: str, value: Any, predecessor: Predecessor) -> Any:
    """An old answer value as this version reads it; special values and unlisted values stay as they are."""
    mapping = predecessor.values.get(new_id, {})
    if isinstance(value, int) and not isinstance(value, bool):
        return mapping.get(value, value)
    return value


def upgrade(sheet: AnswerSheet, questionnaire: Questionnaire) -> tuple[AnswerSheet, dict[str, str]]:
    """A sheet written for a declared predecessor, read as this version; otherwise the sheet unchanged.

    Every answer key is read as an id of the old version: renamed ids are carried over, answer values
    mapped, ids that no longer exist dropped. The result says it is this version (so whatever is written
    from it stays consistent) and remembers the old one in ``upgraded_from`` for the warning. Also
    returns new id -> old id, so that problems can point at the line the user wrote.
    """
    version = sheet.questionnaire_version
    predecessor = questionnaire.predecessor(version) if version and version != questionnaire.version else None
    if predecessor is None or sheet.questionnaire != questionnaire.id:
        return sheet, {}
    answers: dict[str, Answer] = {}
    origin: dict[str, str] = {}
    for old, answer in sheet.answers.items():
        new = upgrade_key(old, predecessor, questionnaire)
        if new is None:
            continue
        mapped = answer.model_copy(update={"value": upgrade_value(new, answer.value, predecessor)})
        if new not in answers or _better(mapped, answers[new]):  # two old questions merged into one
            answers[new] = mapped
            origin[new] = old
    upgraded = sheet.model_copy(update={"answers": answers, "questionnaire_version": questionnaire.version})
    upgraded._upgraded_from = predecessor.version
    return upgraded, origin


def _better(answer: Answer, than: Answer) -> bool:
    """Whether ``answer`` is the better known of two: a value over none, a higher value over a lower."""
    if not isinstance(answer.value, int):
        return False
    return not isinstance(than.value, int) or answer.value > than.value
