"""The cross-checks of a questionnaire: ids unique, references resolve, follow-ups and next steps consistent.

Plain functions over a built :class:`Questionnaire`, so ``files/validation.py`` can also run them on a
questionnaire whose fields are partly wrong and report every problem at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stufenplan_cli.domain.models.common import Loc, suggest

if TYPE_CHECKING:
    from stufenplan_cli.domain.models.questionnaire import Option, Predecessor, Question, Questionnaire


def reference_problems(questionnaire: Questionnaire) -> list[tuple[Loc, str]]:
    """Every cross-reference problem of a questionnaire, located by its key path."""
    problems: list[tuple[Loc, str]] = []
    for i, stage in enumerate(questionnaire.stages):
        if stage.id != i + 1:
            problems.append(
                (
                    ("stages", i, "id"),
                    f"Stufen müssen 1, 2, … fortlaufend nummeriert sein; erwartet {i + 1}, gefunden {stage.id}",
                )
            )
    problems += _option_problems(questionnaire.scale, ("scale",))
    problems += _next_problems(questionnaire, questionnaire.scale, ("scale",), "")
    named: list[tuple[str, list[str]]] = [
        ("dimensions", [d.id for d in questionnaire.dimensions]),
        ("actors", [a.id for a in questionnaire.actors]),
        ("horizons", [h.id for h in questionnaire.horizons]),
        ("references", [r.id for r in questionnaire.references]),
        ("efforts", [e.id for e in questionnaire.efforts]),
        ("predecessors", [p.version for p in questionnaire.predecessors]),
    ]
    for name, ids in named:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(((name, i, "id"), f"Id {item_id!r} kommt doppelt vor"))
            seen.add(item_id)
    problems += _question_problems(questionnaire)
    for i, effort in enumerate(questionnaire.efforts):
        problems += [(("efforts", i, name), msg) for name, msg in effort.range_problems()]
    for i, pred in enumerate(questionnaire.predecessors):
        problems += _predecessor_problems(questionnaire, i, pred)
    return problems


def _follow_up_problems(questionnaire: Questionnaire, index: int, q: Question) -> list[tuple[Loc, str]]:
    """The 2.0 cross-checks of one question: when, refs, effort, and the per-option next steps."""
    problems: list[tuple[Loc, str]] = []
    loc: Loc = ("questions", index)
    earlier = {p.id: p for p in questionnaire.questions[:index]}
    if q.when is not None:
        target = q.when.question
        if target == q.id:
            problems.append(((*loc, "when", "question"), f"Frage {q.id!r}: when verweist auf sich selbst"))
        elif target not in earlier:
            later = any(p.id == target for p in questionnaire.questions[index + 1 :])
            why = "steht erst später im Fragebogen" if later else "gibt es nicht"
            hint = "" if later else suggest(target, list(earlier))
            problems.append(
                ((*loc, "when", "question"), f"Frage {q.id!r}: when-Frage {target!r} {why}{hint}")
            )
        else:
            values = [o.value for o in questionnaire.options_for(earlier[target])]
            if q.when.min not in values:
                problems.append(
                    (
                        (*loc, "when", "min"),
                        f"Frage {q.id!r}: min {q.when.min} ist kein Optionswert von {target!r} "
                        f"(vorhanden: {values})",
                    )
                )
    references = {r.id for r in questionnaire.references}
    for j, ref in enumerate(q.refs):
        if ref not in references:
            problems.append(
                (
                    (*loc, "refs", j),
                    f"Frage {q.id!r}: unbekannte Quelle {ref!r}{suggest(ref, references)}",
                )
            )
    efforts = {e.id for e in questionnaire.efforts}
    if q.effort is not None and q.effort not in efforts:
        problems.append(
            (
                (*loc, "effort"),
                f"Frage {q.id!r}: unbekannter Aufwand {q.effort!r}{suggest(q.effort, efforts)}",
            )
        )
    if q.options is not None:
        problems += _next_problems(questionnaire, q.options, (*loc, "options"), f"Frage {q.id!r}: ")
    return problems


def _next_problems(
    questionnaire: Questionnaire, options: list[Option], loc: Loc, who: str
) -> list[tuple[Loc, str]]:
    """Every option but the best has ``next`` once any has; the best has none; efforts and actors resolve."""
    problems: list[tuple[Loc, str]] = []
    efforts = {e.id for e in questionnaire.efforts}
    actors = {a.id for a in questionnaire.actors}
    top = max((o.value for o in options), default=0)
    has_next = any(o.next is not None for o in options)
    for j, opt in enumerate(options):
        if opt.next is None:
            if has_next and opt.value != top:
                problems.append(
                    ((*loc, j), f"{who}Option {opt.value} braucht next (andere Optionen haben einen)")
                )
            continue
        if opt.value == top:
            problems.append(
                ((*loc, j, "next"), f"{who}die beste Option {opt.value} hat keinen nächsten Schritt")
            )
        if opt.next.effort is not None and opt.next.effort not in efforts:
            problems.append(
                (
                    (*loc, j, "next", "effort"),
                    f"{who}unbekannter Aufwand {opt.next.effort!r}{suggest(opt.next.effort, efforts)}",
                )
            )
        if opt.next.actor is not None and opt.next.actor not in actors:
            problems.append(
                (
                    (*loc, j, "next", "actor"),
                    f"{who}unbekannte Ebene {opt.next.actor!r}{suggest(opt.next.actor, actors)}",
                )
            )
    return problems


def _predecessor_problems(
    questionnaire: Questionnaire, index: int, pred: Predecessor
) -> list[tuple[Loc, str]]:
    """A predecessor maps onto questions and option values this version has."""
    problems: list[tuple[Loc, str]] = []
    loc: Loc = ("predecessors", index)
    if pred.version == questionnaire.version:
        problems.append(((*loc, "version"), f"Vorgänger {pred.version!r} ist diese Version selbst"))
    ids = set(questionnaire.question_by_id)
    for old, new in pred.ids.items():
        if new not in ids:
            problems.append(((*loc, "ids", old), f"neue Frage-Id {new!r} gibt es nicht{suggest(new, ids)}"))
    for new, mapping in pred.values.items():
        if new not in ids:
            problems.append(((*loc, "values", new), f"Frage-Id {new!r} gibt es nicht{suggest(new, ids)}"))
            continue
        values = {o.value for o in questionnaire.options_for(questionnaire.question_by_id[new])}
        for old_value, new_value in mapping.items():
            if new_value not in values:
                problems.append(
                    (
                        (*loc, "values", new, old_value),
                        f"Frage {new!r}: Wert {new_value} ist keine Option (vorhanden: {sorted(values)})",
                    )
                )
    return problems


def _question_problems(questionnaire: Questionnaire) -> list[tuple[Loc, str]]:
    """Each question's id, stage, dimensions, actor, horizon, options and condition resolve."""
    problems: list[tuple[Loc, str]] = []
    stage_ids = {s.id for s in questionnaire.stages}
    dims = {d.id for d in questionnaire.dimensions}
    actors = {a.id for a in questionnaire.actors}
    horizons = {h.id for h in questionnaire.horizons}
    seen_q: set[str] = set()
    for i, q in enumerate(questionnaire.questions):
        loc: Loc = ("questions", i)
        if q.id in seen_q:
            problems.append(((*loc, "id"), f"Frage-Id {q.id!r} kommt doppelt vor"))
        seen_q.add(q.id)
        if q.stage not in stage_ids:
            problems.append(
                (
                    (*loc, "stage"),
                    f"Frage {q.id!r}: Stufe {q.stage} gibt es nicht (vorhanden: {sorted(stage_ids)})",
                )
            )
        for j, d in enumerate(q.dimensions):
            if d not in dims:
                problems.append(
                    (
                        (*loc, "dimensions", j),
                        f"Frage {q.id!r}: unbekannte Dimension {d!r}{suggest(d, dims)}",
                    )
                )
        if q.actor is not None and q.actor not in actors:
            problems.append(
                (
                    (*loc, "actor"),
                    f"Frage {q.id!r}: unbekannte Ebene {q.actor!r}{suggest(q.actor, actors)}",
                )
            )
        if q.horizon is not None and q.horizon not in horizons:
            problems.append(
                (
                    (*loc, "horizon"),
                    f"Frage {q.id!r}: unbekannter Horizont {q.horizon!r}{suggest(q.horizon, horizons)}",
                )
            )
        if q.options is not None:
            problems += _option_problems(q.options, (*loc, "options"))
        problems += _follow_up_problems(questionnaire, i, q)
    return problems


def _option_problems(options: list[Option], loc: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    seen: set[int] = set()
    for i, opt in enumerate(options):
        if opt.value in seen:
            problems.append(((*loc, i, "value"), f"Optionswert {opt.value} kommt doppelt vor"))
        elif seen and opt.value < max(seen):
            problems.append(
                (
                    (*loc, i, "value"),
                    f"Optionswerte müssen aufsteigen (ein höherer Wert ist immer der bessere Zustand): "
                    f"{opt.value} steht nach {max(seen)}",
                )
            )
        seen.add(opt.value)
    if options and max(o.value for o in options) == 0:
        problems.append(
            (
                loc,
                "mindestens eine Option braucht einen Wert größer als 0 (der größte Wert heißt: voll erreicht)",
            )
        )
    if len(options) < 2:
        problems.append((loc, "mindestens zwei Optionen nötig"))
    return problems
