"""One municipality over time: from its first to its last assessment, what moved."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stufenplan_cli.domain.answer_words import STATUS_WORDS
from stufenplan_cli.domain.models.comparison import Delta, QuestionChange, Timeline
from stufenplan_cli.domain.models.questionnaire import Question, Questionnaire
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.thresholds import TOLERANCE
from stufenplan_cli.services.compare.profiles import Profile, assessment

Namer = Callable[[Municipality], str]


def timeline(
    profiles: Sequence[Profile], questionnaire: Questionnaire, name_of: Namer, anonymize: bool
) -> Timeline:
    """Progress of one municipality from its first to its last assessment."""
    ordered = ordered_by_date(profiles)
    first, last = ordered[0], ordered[-1]
    r0, r1 = first.result, last.result
    # Sheets of two versions: a question the older one could not answer (new in the later version,
    # read as missing) is no progress; only questions both sheets answer are compared.
    versions_differ = (r0.sheet_version or questionnaire.version) != (
        r1.sheet_version or questionnaire.version
    )
    one_sided = {
        q.id for q in questionnaire.questions if versions_differ and _missing_in_one(q.id, first, last)
    }
    changes = [
        c
        for q in questionnaire.questions
        if q.id not in one_sided and (c := _question_change(questionnaire, q, first, last))
    ]
    return Timeline(
        label=name_of(r1.municipality),
        assessments=[assessment(p.result, name_of(p.result.municipality), anonymize) for p in ordered],
        undated=sum(1 for p in profiles if not p.result.assessed_on),
        stage_from=r0.stage,
        stage_to=r1.stage,
        stages=[
            Delta(id=str(a.id), title=a.title, first=a.score, last=b.score, change=_change(a.score, b.score))
            for a, b in zip(r0.stages, r1.stages, strict=True)
        ],
        dimensions=[
            Delta(id=a.id, title=a.title, first=a.score, last=b.score, change=_change(a.score, b.score))
            for a, b in zip(r0.dimensions, r1.dimensions, strict=True)
        ],
        improved=sorted((c for c in changes if c.change > 0), key=lambda c: (-c.change, c.stage)),
        fallen_back=sorted((c for c in changes if c.change < 0), key=lambda c: (c.change, c.stage)),
        earlier_version=(r0.sheet_version or questionnaire.version) if versions_differ else None,
        not_compared=len(one_sided),
    )


def _missing_in_one(question_id: str, first: Profile, last: Profile) -> bool:
    """Whether exactly one of the two sheets leaves the question without any answer."""
    before, after = first.points.get(question_id), last.points.get(question_id)
    return (before is None or before[0] == "missing") != (after is None or after[0] == "missing")


def ordered_by_date(profiles: Sequence[Profile]) -> list[Profile]:
    """Undated sheets first in the order given, then dated ones oldest first (stable for equal dates)."""
    undated = [p for p in profiles if not p.result.assessed_on]
    dated = sorted((p for p in profiles if p.result.assessed_on), key=lambda p: p.result.assessed_on or "")
    return undated + dated


def _question_change(
    questionnaire: Questionnaire, question: Question, first: Profile, last: Profile
) -> QuestionChange | None:
    """The question's change in points between two sheets; None when it did not count in both or stayed."""
    before = first.points.get(question.id)
    after = last.points.get(question.id)
    if before is None or after is None or before[2] is None or after[2] is None:
        return None
    change = after[2] - before[2]
    if abs(change) < TOLERANCE:
        return None
    return QuestionChange(
        id=question.id,
        text=question.text,
        stage=question.stage,
        before=_option_label(questionnaire, question.id, before[0], before[1]),
        after=_option_label(questionnaire, question.id, after[0], after[1]),
        change=change,
    )


def _change(first: float | None, last: float | None) -> float | None:
    return None if first is None or last is None else last - first


def _option_label(questionnaire: Questionnaire, qid: str, status: str, value: int | None) -> str:
    if status == "answered" and value is not None:
        question = questionnaire.question_by_id[qid]
        for option in questionnaire.options_for(question):
            if option.value == value:
                return f"{value} – {option.label}"
        return str(value)
    return STATUS_WORDS.get(status, status)
