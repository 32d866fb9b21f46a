"""The questionnaire format: stages, dimensions, questions and their options."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import Field, ValidationInfo, model_validator

from stufenplan_cli.domain.models.common import Loc, Slug, Strict, Text, report, suggest


class Option(Strict):
    """One answer option; the largest value of a question means fully achieved."""

    value: Annotated[
        int, Field(ge=0, description="Punktwert der Option; der größte Wert heißt: voll erreicht")
    ]
    label: Text = Field(description="Kurze, beobachtbare Beschreibung des Zustands")
    description: str | None = Field(default=None, description="Ausführlicher Verhaltensanker")


class Stage(Strict):
    """A stage of the Stufenplan; stages are listed lowest first and numbered 1, 2, ..."""

    id: Annotated[int, Field(ge=1)]
    title: Text
    goal: str | None = Field(default=None, description="Was die Stufe im Stufenplan bedeutet")
    threshold: Annotated[float, Field(gt=0, le=1, description="Mindestwert des Stufen-Scores (0 < t ≤ 1)")]


class Dimension(Strict):
    """A cross-cutting view on the questions, e.g. one of the Difu tips."""

    id: Slug
    title: Text
    description: str | None = None


class Actor(Strict):
    """Who acts to close a gap (e.g. politisch-strategische Ebene, koordinierende Stelle, Fachämter)."""

    id: Slug
    title: Text
    description: str | None = None


class Horizon(Strict):
    """How long closing a gap typically takes (e.g. kurzfristig, mittelfristig, langfristig)."""

    id: Slug
    title: Text
    description: str | None = None


class Reference(Strict):
    """A publication the questions rest on; a question's ``source`` names it by its id."""

    id: Annotated[str, Field(min_length=1, description="Kurzname, mit dem eine Frage unter source zitiert")]
    title: Text = Field(description="Titel und Herausgeber, so dass Leserinnen und Leser die Quelle finden")
    description: str | None = Field(default=None, description="Wofür die Quelle herangezogen wird")


class Question(Strict):
    """One question; ``options`` override the questionnaire's ``scale``."""

    id: Slug
    stage: Annotated[int, Field(ge=1, description="Id der Stufe, zu der die Frage gehört")]
    dimensions: Annotated[list[Slug], Field(min_length=1, description="Ids der Dimensionen")]
    text: Text
    help: str | None = None
    weight: Annotated[
        float, Field(gt=0, le=1000, description="Gewicht im Mittelwert (größer als 0, höchstens 1000)")
    ] = 1.0
    key: bool = Field(default=False, description="Schlüsselfrage: muss mindestens halb erfüllt sein")
    options: list[Option] | None = Field(default=None, description="Ersetzt die Skala für diese Frage")
    action: str | None = Field(
        default=None,
        description="Kurzname der Maßnahme als Infinitivgruppe ohne „zu“ (für Roadmap-Übersicht und Beschlussvorschlag)",
    )
    recommendation: str | None = Field(default=None, description="Was zu tun ist, um die Lücke zu schließen")
    example: str | None = Field(default=None, description="Beispiel einer Modellkommune")
    source: str | None = Field(default=None, description="Quelle, auf der die Frage beruht")
    actor: Slug | None = Field(default=None, description="Id der handelnden Ebene (actors)")
    horizon: Slug | None = Field(default=None, description="Id des Zeithorizonts (horizons)")


class Questionnaire(Strict):
    """A whole questionnaire. Cross-references are checked after the fields."""

    id: Slug
    version: Annotated[str, Field(min_length=1)]
    title: Text
    description: str | None = None
    scale: Annotated[list[Option], Field(min_length=2, description="Standard-Optionen jeder Frage")]
    stages: Annotated[list[Stage], Field(min_length=1)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    actors: list[Actor] = Field(default_factory=list)
    horizons: list[Horizon] = Field(default_factory=list)
    references: list[Reference] = Field(
        default_factory=list, description="Quellen, auf denen die Fragen beruhen (für den Methodenteil)"
    )
    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, data: object) -> object:
        # ``version: 1.0`` in YAML is a float; the format wants a string and the user meant "1.0".
        if isinstance(data, dict) and isinstance(data.get("version"), int | float):
            data = {**data, "version": str(data["version"])}
        return data

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Questionnaire:
        report(info, list(self._reference_problems()))
        return self

    def _reference_problems(self) -> list[tuple[Loc, str]]:
        problems: list[tuple[Loc, str]] = []
        for i, stage in enumerate(self.stages):
            if stage.id != i + 1:
                problems.append(
                    (
                        ("stages", i, "id"),
                        f"Stufen müssen 1, 2, … fortlaufend nummeriert sein; erwartet {i + 1}, gefunden {stage.id}",
                    )
                )
        problems += _option_problems(self.scale, ("scale",))
        named: list[tuple[str, list[str]]] = [
            ("dimensions", [d.id for d in self.dimensions]),
            ("actors", [a.id for a in self.actors]),
            ("horizons", [h.id for h in self.horizons]),
        ]
        for name, ids in named:
            seen: set[str] = set()
            for i, item_id in enumerate(ids):
                if item_id in seen:
                    problems.append(((name, i, "id"), f"Id {item_id!r} kommt doppelt vor"))
                seen.add(item_id)
        stage_ids = {s.id for s in self.stages}
        dims = {d.id for d in self.dimensions}
        actors = {a.id for a in self.actors}
        horizons = {h.id for h in self.horizons}
        seen_q: set[str] = set()
        for i, q in enumerate(self.questions):
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
        return problems

    # ----- lookups used by scoring, rendering and the interview -----

    def options_for(self, question: Question) -> list[Option]:
        """The options that apply to a question: its own, else the scale."""
        return question.options if question.options is not None else self.scale

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def max_value_by_id(self) -> dict[str, int]:
        """Each question's largest option value (full points), computed once, not per scored sheet."""
        return {q.id: max(o.value for o in self.options_for(q)) for q in self.questions}

    @cached_property
    def stage_by_id(self) -> dict[int, Stage]:
        return {s.id: s for s in self.stages}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def horizon_by_id(self) -> dict[str, Horizon]:
        return {h.id: h for h in self.horizons}

    def questions_of_stage(self, stage_id: int) -> list[Question]:
        return [q for q in self.questions if q.stage == stage_id]


def _option_problems(options: list[Option], loc: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    seen: set[int] = set()
    for i, opt in enumerate(options):
        if opt.value in seen:
            problems.append(((*loc, i, "value"), f"Optionswert {opt.value} kommt doppelt vor"))
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
