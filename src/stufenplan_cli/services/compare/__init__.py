"""Comparing scored sheets: one municipality over time, or the municipalities of a region.

Pure data: scored sheets in, a :class:`Comparison` out, which the templates
``report_templates/compare.*.j2`` render and ``--format json`` prints. The rules (documented in
docs/consultants.md and stated in the documents themselves):

* Sheets of one municipality (same AGS, or the same name where an AGS is missing) form a **time line**,
  ordered by ``assessed_on``; otherwise they form a **region**, in which each municipality counts with
  its latest sheet.
* A question is a **gap** in a municipality when less than half of its points are reached (points < 0.5,
  the bar key questions must clear; "weiß nicht" and unanswered count 0, "nicht zutreffend" is left
  out). A **common gap** is a gap in at least half of the municipalities to which the question applies:
  a candidate for a joint project. Common gaps are listed stage by stage, the most widespread first.
* In a dimension a municipality is **strong** from a score of 2/3 and **weak** below 1/3: strong ones
  can mentor weak ones or share their solution (Stufenplan stage 3, the Difu tip to work together).
* ``anonymize`` replaces names by codes, drops files, AGS, notes and group names, and shows group views
  (distribution, averages, common gaps, the views by kind and by state) only for groups large enough:
  the anonymity rule, in ``anonymity.py``.

Modules: ``profiles`` (what is kept of a sheet), ``timeline``, ``region``, ``anonymity``; the output
models are in ``domain/models/comparison.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from stufenplan_cli.domain.models.comparison import Comparison, DimensionInfo, StageInfo
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.result import QuestionnaireRef
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.errors import InputError, UsageError
from stufenplan_cli.services.compare.anonymity import codes
from stufenplan_cli.services.compare.profiles import Profile, identities, identity, profile
from stufenplan_cli.services.compare.region import region
from stufenplan_cli.services.compare.timeline import timeline

__all__ = ["Profile", "codes", "compare", "profile"]


def compare(profiles: Sequence[Profile], questionnaire: Questionnaire, anonymize: bool = False) -> Comparison:
    """A time line when every sheet is of one municipality, otherwise a regional comparison."""
    if len(profiles) < 2:
        raise UsageError("Zum Vergleichen braucht es mindestens zwei gültige Bögen")
    _check_questionnaire(profiles)
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version, title=questionnaire.title)
    labels = codes(p.result.municipality for p in profiles) if anonymize else {}
    known = identities(p.result.municipality for p in profiles)

    def label(m: Municipality) -> str:
        return labels[identity(m, known)] if anonymize else m.name

    base = Comparison(
        kind="timeline",
        questionnaire=ref,
        stages=[StageInfo(id=s.id, title=s.title, threshold=s.threshold) for s in questionnaire.stages],
        dimensions=[DimensionInfo(id=d.id, title=d.title) for d in questionnaire.dimensions],
        anonymized=anonymize,
    )
    if _one_municipality(profiles):
        return base.model_copy(update={"timeline": timeline(profiles, questionnaire, label, anonymize)})
    return base.model_copy(
        update={"kind": "region", "region": region(profiles, questionnaire, label, anonymize)}
    )


def _check_questionnaire(profiles: Sequence[Profile]) -> None:
    ids = {p.result.questionnaire.id for p in profiles}
    if len(ids) > 1:
        by_id: dict[str, list[str]] = defaultdict(list)
        for p in profiles:
            by_id[p.result.questionnaire.id].append(p.result.file or p.result.municipality.name)
        listing = "; ".join(
            f"{qid}: {', '.join(files[:3])}{' …' if len(files) > 3 else ''}" for qid, files in by_id.items()
        )
        raise InputError(
            f"Die Bögen gehören zu verschiedenen Fragebögen ({listing}); "
            "verglichen werden nur Bögen desselben Fragebogens"
        )


def _one_municipality(profiles: Sequence[Profile]) -> bool:
    known = identities(p.result.municipality for p in profiles)
    return len({identity(p.result.municipality, known) for p in profiles}) == 1
