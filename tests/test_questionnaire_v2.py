"""Questionnaire format 2.0: follow-up questions, per-level next steps, efforts, predecessors, and their checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import ValidationFailed
from stufenplan_cli.files.reading import parse
from stufenplan_cli.files.validation import questionnaire_from

BASE: dict[str, Any] = {
    "id": "folge",
    "version": 2.0,
    "title": "Folgefragen",
    "predecessors": [
        {"version": 1.0, "ids": {"alt-strategie": "strategie"}, "values": {"strategie": {0: 0, 1: 2}}}
    ],
    "efforts": [
        {"id": "gering", "title": "Gering", "staff_days": [1, 10], "cost_eur": [0, 5000]},
        {"id": "hoch", "title": "Hoch", "fte": [0.5, 1], "cost_eur_per_year": [20000, 60000]},
    ],
    "scale": [{"value": 0, "label": "nein"}, {"value": 1, "label": "teils"}, {"value": 2, "label": "ja"}],
    "stages": [{"id": 1, "title": "Eins", "threshold": 0.5}],
    "dimensions": [{"id": "d", "title": "D"}],
    "actors": [{"id": "politik", "title": "Politik"}],
    "horizons": [{"id": "kurz", "title": "Kurzfristig", "months": 6}],
    "references": [{"id": "difu", "title": "Difu 2023"}],
    "questions": [
        {
            "id": "strategie",
            "stage": 1,
            "dimensions": ["d"],
            "text": "Gibt es eine Strategie?",
            "refs": ["difu"],
            "effort": "gering",
            "options": [
                {"value": 0, "label": "keine", "next": {"action": "Strategie erarbeiten", "text": "Die …"}},
                {
                    "value": 1,
                    "label": "Entwurf",
                    "next": {
                        "action": "Beschluss fassen",
                        "text": "Der Rat …",
                        "effort": "hoch",
                        "actor": "politik",
                    },
                },
                {"value": 2, "label": "beschlossen"},
            ],
        },
        {
            "id": "umsetzung",
            "stage": 1,
            "dimensions": ["d"],
            "text": "Wird die Strategie umgesetzt?",
            "when": {"question": "strategie", "min": 1},
        },
    ],
}


def _problems(data: dict[str, Any]) -> str:
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with pytest.raises(ValidationFailed) as exc:
        questionnaire_from(parse(text, "q.yaml"))
    return "\n".join(f"{p.line}: {p.message}" for p in exc.value.problems)


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def test_the_2_0_fields_validate_and_resolve() -> None:
    q = Questionnaire.model_validate(BASE)
    assert q.version == "2.0"
    pred = q.predecessor("1.0")
    assert pred is not None and pred.ids == {"alt-strategie": "strategie"}
    assert pred.values == {"strategie": {0: 0, 1: 2}}
    assert q.effort_by_id["gering"].staff_days == (1, 10)
    assert q.effort_by_id["hoch"].staff_days is None
    assert q.horizon_by_id["kurz"].months == 6
    follow = q.question_by_id["umsetzung"]
    assert follow.when is not None and (follow.when.question, follow.when.min) == ("strategie", 1)
    assert q.follow_ups == {"strategie": ["umsetzung"]}
    first = q.question_by_id["strategie"]
    assert first.options is not None and first.options[1].next is not None
    assert first.options[1].next.effort == "hoch" and first.options[1].next.actor == "politik"


def test_a_1_0_questionnaire_needs_none_of_the_new_fields(mini: Questionnaire) -> None:
    assert mini.predecessors == [] and mini.efforts == []
    assert all(q.when is None and q.refs == [] and q.effort is None for q in mini.questions)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][1].update(when={"question": "umsetzung", "min": 1}),
            "Frage 'umsetzung': when verweist auf sich selbst",
        ),
        (
            lambda d: d["questions"][0].update(when={"question": "umsetzung", "min": 1}),
            "Frage 'strategie': when-Frage 'umsetzung' steht erst später im Fragebogen",
        ),
        (
            lambda d: d["questions"][1].update(when={"question": "strategy", "min": 1}),
            "Frage 'umsetzung': when-Frage 'strategy' gibt es nicht – meinten Sie 'strategie'?",
        ),
        (
            lambda d: d["questions"][1].update(when={"question": "strategie", "min": 5}),
            "Frage 'umsetzung': min 5 ist kein Optionswert von 'strategie' (vorhanden: [0, 1, 2])",
        ),
        (lambda d: d["questions"][0].update(refs=["difo"]), "unbekannte Quelle 'difo' – meinten Sie 'difu'?"),
        (
            lambda d: d["questions"][0].update(effort="mittel"),
            "Frage 'strategie': unbekannter Aufwand 'mittel'",
        ),
        (
            lambda d: d["questions"][0]["options"][0]["next"].update(effort="grob"),
            "Frage 'strategie': unbekannter Aufwand 'grob'",
        ),
        (
            lambda d: d["questions"][0]["options"][0]["next"].update(actor="rat"),
            "Frage 'strategie': unbekannte Ebene 'rat'",
        ),
        (
            lambda d: d["questions"][0]["options"][1].pop("next"),
            "Frage 'strategie': Option 1 braucht next (andere Optionen haben einen)",
        ),
        (
            lambda d: d["questions"][0]["options"][2].update(next={"action": "a", "text": "b"}),
            "Frage 'strategie': die beste Option 2 hat keinen nächsten Schritt",
        ),
        (
            lambda d: d["questions"][0]["options"].reverse(),
            "Optionswerte müssen aufsteigen (ein höherer Wert ist immer der bessere Zustand): 1 steht nach 2",
        ),
        (lambda d: d["efforts"][0].update(cost_eur=[5000, 0]), "Spanne [5000, 0]: erwartet 0 ≤ von ≤ bis"),
        (lambda d: d["predecessors"][0].update(version="2.0"), "Vorgänger '2.0' ist diese Version selbst"),
        (
            lambda d: d["predecessors"][0]["ids"].update(alt="strategy"),
            "neue Frage-Id 'strategy' gibt es nicht – meinten Sie 'strategie'?",
        ),
        (
            lambda d: d["predecessors"][0]["values"]["strategie"].update({2: 7}),
            "Frage 'strategie': Wert 7 ist keine Option (vorhanden: [0, 1, 2])",
        ),
        (lambda d: d["efforts"].append({"id": "gering", "title": "x"}), "Id 'gering' kommt doppelt vor"),
    ],
)
def test_each_broken_cross_reference_is_reported_with_its_line(change: Any, message: str) -> None:
    out = _problems(_with(change))
    assert message in out
    line = next(row for row in out.splitlines() if message in row).split(":")[0]
    assert line != "None"


def test_range_must_have_two_numbers() -> None:
    out = _problems(_with(lambda d: d["efforts"][0].update(staff_days=[1, 2, 3])))
    assert "staff_days" in out or "Eintr" in out
