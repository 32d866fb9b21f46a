"""Merging the sheets of several workshop groups of one municipality into one sheet.

The rules (documented in docs/consultants.md):

* **n/a** is taken only when a strict majority of the groups that answered the question say the question
  does not apply; otherwise the groups that did assess it decide.
* **Median** of the option values given. With an even number of values the *lower* of the two middle
  values is taken: a merged sheet goes to the council, and it should not claim more than half of the
  groups see; the lower middle is also always an option of the question (an average may not be).
* **weiß nicht** (unknown) is ignored as long as one group gave a value; it is the result only when no
  group gave a value (and not a majority said n/a). Groups that left the question blank do not count.
* **Diskussionsbedarf**: when the values given lie two or more levels of the question's options apart,
  the question is recorded in ``merged.discussion`` with each group's answer and the spread in levels.
* Notes are kept, each prefixed with its group's name (``group``, else ``assessor``, else the file name).
* **Folgefragen** are merged as each group's sheet counts them: a group whose answers make a follow-up
  fall away gives it its lowest option (or n/a under an n/a condition), and an answer it wrote there
  anyway is ignored. A follow-up whose condition the *merged* answers do not meet is left out of the
  merged sheet, with its discussion entry, so the merged sheet scores as it reads.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stufenplan_cli.domain import text
from stufenplan_cli.domain.answer_words import WRITTEN
from stufenplan_cli.domain.conditions import lowest_value, not_asked
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.sheet import (
    NOT_APPLICABLE,
    Answer,
    AnswerSheet,
    AnswerValue,
    Disagreement,
    MergeInfo,
    MergeSource,
    Municipality,
)
from stufenplan_cli.errors import InputError, UsageError
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import LoadedSheet, load_sheet

METHOD = "median"
COMMENT_WIDTH = 94
DISCUSSION_SPREAD = 2
"""Groups whose answers lie this many option levels apart (or more) should talk it through."""


@dataclass(frozen=True)
class Group:
    """One workshop group's sheet under the name it is shown with."""

    name: str
    file: str
    sheet: AnswerSheet


def group_name(sheet: AnswerSheet, path: Path) -> str:
    """``group``, else ``assessor``, else the file name without its suffix."""
    for candidate in (sheet.group, sheet.assessor):
        if candidate and candidate.strip():
            return candidate.strip()
    return path.stem


def unique_names(names: Sequence[str], files: Sequence[str]) -> list[str]:
    """Two groups with the same name are told apart by their file names (then by a number)."""
    seen: set[str] = set()
    out: list[str] = []
    for name, file in zip(names, files, strict=True):
        candidate = name
        if names.count(name) > 1:
            candidate = f"{name} ({Path(file).stem})"
        number = 2
        while candidate in seen:
            candidate = f"{name} ({number})"
            number += 1
        seen.add(candidate)
        out.append(candidate)
    return out


def lower_median(values: Sequence[int]) -> int:
    """The middle value; of the two middle values of an even count, the lower one."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def merged_value(answers: Sequence[AnswerValue]) -> AnswerValue | None:
    """One question's merged value from the groups' answers (blank answers are not passed in)."""
    if not answers:
        return None
    not_applicable = sum(1 for a in answers if a == NOT_APPLICABLE)
    if not_applicable * 2 > len(answers):
        return "n/a"  # NOT_APPLICABLE
    values = [a for a in answers if isinstance(a, int)]
    if values:
        return lower_median(values)
    return "unknown"  # UNKNOWN


def spread(questionnaire: Questionnaire, question: Question, values: Sequence[int]) -> int:
    """How many option levels lie between the lowest and the highest value given."""
    if not values:
        return 0
    levels = sorted(o.value for o in questionnaire.options_for(question))
    rank = {v: i for i, v in enumerate(levels)}
    ranks = [rank[v] for v in values]
    return max(ranks) - min(ranks)


def merge_answers(
    questionnaire: Questionnaire, groups: Sequence[Group]
) -> tuple[dict[str, Answer], list[Disagreement]]:
    """Answers per question in questionnaire order, and the questions that need discussion."""
    answers: dict[str, Answer] = {}
    discussion: list[Disagreement] = []
    counted = [(g.name, counted_answers(questionnaire, g.sheet.answers)) for g in groups]
    for question in questionnaire.questions:
        given = [(name, sheet[question.id]) for name, sheet in counted if question.id in sheet]
        value = merged_value([a.value for _, a in given])
        if value is None:
            continue
        notes = [f"{name}: {a.note.strip()}" for name, a in given if a.note and a.note.strip()]
        answers[question.id] = Answer(value=value, note="\n".join(notes) or None)
        numbers = [a.value for _, a in given if isinstance(a.value, int)]
        levels = spread(questionnaire, question, numbers)
        if levels >= DISCUSSION_SPREAD:
            discussion.append(
                Disagreement(question=question.id, values={name: a.value for name, a in given}, spread=levels)
            )
    dropped = not_asked(questionnaire, answers)
    answers = {qid: a for qid, a in answers.items() if qid not in dropped}
    return answers, [d for d in discussion if d.question not in dropped]


def counted_answers(questionnaire: Questionnaire, answers: dict[str, Answer]) -> dict[str, Answer]:
    """A group's answers as scoring counts them: a follow-up that falls away at its lowest option (or n/a)."""
    counted = dict(answers)
    for qid, why in not_asked(questionnaire, answers).items():
        question = questionnaire.question_by_id[qid]
        counted[qid] = Answer(value=NOT_APPLICABLE if why == "n/a" else lowest_value(questionnaire, question))
    return counted


def same_municipality(a: Municipality, b: Municipality) -> bool:
    """The one rule of :func:`stufenplan_cli.domain.text.same_municipality`: AGS when both have one, else name."""
    return text.same_municipality(a.name, a.ags, b.name, b.ags)


def _describe(loaded: LoadedSheet) -> str:
    m = loaded.sheet.municipality
    return f"{loaded.path}: {m.name}" + (f" (AGS {m.ags})" if m.ags else "")


def check_mergeable(loaded: Sequence[LoadedSheet]) -> None:
    """Refuse sheets of different questionnaires or municipalities, naming each sheet's."""
    if len(loaded) < 2:
        raise UsageError("Zum Zusammenführen braucht es mindestens zwei Bögen")
    first = loaded[0]
    ids = {item.questionnaire.id for item in loaded}
    if len(ids) > 1:
        listing = "; ".join(f"{item.path}: {item.questionnaire.id}" for item in loaded)
        raise InputError(
            f"Die Bögen gehören zu verschiedenen Fragebögen ({listing}); "
            "zusammengeführt werden nur Bögen desselben Fragebogens"
        )
    others = [
        item
        for item in loaded[1:]
        if not same_municipality(first.sheet.municipality, item.sheet.municipality)
    ]
    if others:
        listing = "; ".join(_describe(item) for item in [first, *others])
        raise InputError(
            f"Die Bögen gehören zu verschiedenen Kommunen ({listing}); "
            "zusammengeführt werden nur die Gruppen einer Kommune – zum Vergleich: stufenplan compare"
        )


def _municipality(sheets: Sequence[AnswerSheet]) -> Municipality:
    """The first sheet's municipality, with fields it leaves empty taken from the others."""
    data = sheets[0].municipality.model_dump()
    for sheet in sheets[1:]:
        for key, value in sheet.municipality.model_dump().items():
            if data.get(key) is None and value is not None:
                data[key] = value
    return Municipality.model_validate(data)


def merge_loaded(loaded: Sequence[LoadedSheet]) -> AnswerSheet:
    """One sheet from several groups' sheets (already validated against their questionnaire)."""
    check_mergeable(loaded)
    questionnaire = loaded[0].questionnaire
    files = [str(item.path) for item in loaded]
    names = unique_names([group_name(item.sheet, item.path) for item in loaded], files)
    groups = [Group(n, f, item.sheet) for n, f, item in zip(names, files, loaded, strict=True)]
    answers, discussion = merge_answers(questionnaire, groups)
    sheets = [item.sheet for item in loaded]
    dates = [s.assessed_on for s in sheets if s.assessed_on is not None]
    versions = [s.questionnaire_version for s in sheets if s.questionnaire_version]
    return AnswerSheet(
        questionnaire=questionnaire.id,
        questionnaire_version=versions[0] if versions else questionnaire.version,
        municipality=_municipality(sheets),
        assessed_on=max(dates) if dates else None,
        target=next((s.target for s in sheets if s.target is not None), None),
        answers=answers,
        merged=MergeInfo(
            method=METHOD,
            sources=[MergeSource(file=g.file, group=g.name) for g in groups],
            discussion=discussion,
        ),
    )


def merge_files(
    paths: Sequence[Path], catalog: Catalog, questionnaire: Questionnaire | None = None
) -> AnswerSheet:
    """Read, check and merge sheet files; the first invalid one stops the merge with its problems."""
    return merge_loaded([load_sheet(path, catalog, questionnaire) for path in paths])


def to_yaml(sheet: AnswerSheet, questionnaire: Questionnaire, today: dt.date | None = None) -> str:
    """The merged sheet as YAML a person can read: question texts as comments, notes as blocks."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    doc = CommentedMap()
    doc["questionnaire"] = sheet.questionnaire
    if sheet.questionnaire_version:
        doc["questionnaire_version"] = DoubleQuotedScalarString(sheet.questionnaire_version)
    municipality = CommentedMap()
    for key, value in sheet.municipality.model_dump(exclude_none=True).items():
        municipality[key] = DoubleQuotedScalarString(value) if key == "ags" else value
    doc["municipality"] = municipality
    if sheet.assessed_on:
        doc["assessed_on"] = sheet.assessed_on
    if sheet.target:
        doc["target"] = CommentedMap(sheet.target.model_dump(exclude_none=True))
    doc["answers"] = _yaml_answers(sheet, questionnaire)
    if sheet.merged is not None:
        doc["merged"] = _yaml_merged(sheet.merged)
        doc.yaml_set_comment_before_after_key(
            "merged",
            before="Von stufenplan merge eingetragen: die Bögen der Gruppen und die Fragen mit Diskussionsbedarf",
        )
    sources = ", ".join(s.group for s in sheet.merged.sources) if sheet.merged else ""
    stamp = (today or dt.date.today()).isoformat()
    doc.yaml_set_start_comment(
        f"Zusammengeführt mit stufenplan merge am {stamp} aus den Bögen von: {sources}\n"
        "Je Frage der Median der Gruppen (bei gerader Zahl der untere mittlere Wert); "
        "Regeln: docs/consultants.md"
    )
    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()


def _yaml_answers(sheet: AnswerSheet, questionnaire: Questionnaire) -> Any:
    """The answers in words, each under its question's text as a comment; notes with line breaks as blocks."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    answers = CommentedMap()
    for qid, answer in sheet.answers.items():
        spoken = WRITTEN.get(str(answer.value), answer.value)
        if answer.note:
            note = LiteralScalarString(answer.note) if "\n" in answer.note else answer.note
            answers[qid] = CommentedMap([("value", spoken), ("note", note)])
        else:
            answers[qid] = spoken
        question = questionnaire.question_by_id.get(qid)
        if question is not None:
            wrapped = "\n".join(textwrap.wrap(question.text, width=COMMENT_WIDTH))
            answers.yaml_set_comment_before_after_key(qid, before=wrapped, indent=2)
    return answers


def _yaml_merged(info: MergeInfo) -> Any:
    """The ``merged`` block: method, the groups' sheets, the questions to discuss with each group's answer."""
    from ruamel.yaml.comments import CommentedMap

    merged = CommentedMap()
    merged["method"] = info.method
    merged["sources"] = [CommentedMap(s.model_dump()) for s in info.sources]
    merged["discussion"] = [
        CommentedMap(
            [
                ("question", d.question),
                ("values", CommentedMap((g, WRITTEN.get(str(v), v)) for g, v in d.values.items())),
                ("spread", d.spread),
            ]
        )
        for d in info.discussion
    ]
    return merged
