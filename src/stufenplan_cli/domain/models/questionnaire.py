"""The questionnaire format: stages, dimensions, questions and their options."""

from functools import cached_property
from typing import Annotated

from pydantic import Field, ValidationInfo, model_validator

from stufenplan_cli.domain.models.common import Loc, Slug, Strict, Text, report
from stufenplan_cli.domain.models.questionnaire_checks import reference_problems


def _version_text(value: object) -> object:
    """``version: 1.0`` in YAML is a float; the formats want a string and the user meant "1.0"."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Range = Annotated[
    tuple[float, float],
    Field(description="Spanne [von, bis] mit von ≤ bis"),
]


class Next(Strict):
    """What moves a municipality from this option's level to the next one: the measure for this level."""

    action: Text = Field(
        description="Kurzname der Maßnahme als Infinitivgruppe ohne „zu“, unpersönlich (z. B. „Lenkungskreis einrichten“)"
    )
    text: Text = Field(
        description="Was zu tun ist, um von dieser Stufe der Antwort zur nächsten zu kommen: 1–3 Sätze, unpersönlich"
    )
    effort: Slug | None = Field(
        default=None, description="Id der Aufwandsklasse (efforts); ersetzt effort der Frage"
    )
    actor: Slug | None = Field(
        default=None, description="Id der handelnden Ebene (actors); ersetzt actor der Frage"
    )


class Option(Strict):
    """One answer option; the largest value of a question means fully achieved."""

    value: Annotated[
        int, Field(ge=0, description="Punktwert der Option; der größte Wert heißt: voll erreicht")
    ]
    label: Text = Field(description="Kurze, beobachtbare Beschreibung des Zustands")
    description: str | None = Field(default=None, description="Ausführlicher Verhaltensanker")
    next: Next | None = Field(
        default=None,
        description="Nächster Schritt von diesem Zustand aus; jede Option außer der besten hat ihn, sobald eine ihn hat",
    )


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
    months: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description="Monate ab dem Datum der Einschätzung, bis wann eine Maßnahme dieses Horizonts fällig ist",
    )


class Effort(Strict):
    """An effort class of measures, so that a council sees the financial consequences (staff time, money)."""

    id: Slug
    title: Text = Field(description="z. B. „Geringer Aufwand“")
    description: str | None = Field(default=None, description="Was die Klasse ausmacht")
    staff_days: Range | None = Field(
        default=None, description="Einmaliger Personalaufwand in Personentagen [von, bis]"
    )
    cost_eur: Range | None = Field(default=None, description="Einmalige Sachkosten in Euro [von, bis]")
    fte: Range | None = Field(
        default=None, description="Dauerhafte Stellen in Vollzeitäquivalenten [von, bis]"
    )
    cost_eur_per_year: Range | None = Field(
        default=None, description="Laufende Kosten in Euro je Jahr [von, bis]"
    )

    def range_problems(self) -> list[tuple[str, str]]:
        """Ranges whose low end exceeds the high end or that are negative, as (field, message)."""
        problems: list[tuple[str, str]] = []
        for name in ("staff_days", "cost_eur", "fte", "cost_eur_per_year"):
            value: tuple[float, float] | None = getattr(self, name)
            if value is None:
                continue
            low, high = value
            if low < 0 or low > high:
                problems.append((name, f"Spanne [{low:g}, {high:g}]: erwartet 0 ≤ von ≤ bis"))
        return problems


class Predecessor(Strict):
    """An older version of this questionnaire whose answer sheets are read by mapping ids and values."""

    version: Annotated[str, Field(min_length=1, description='Die ältere Version, z. B. "1.0"')]
    ids: dict[Slug, Slug] = Field(
        default={},
        description="Umbenannte Fragen: alte Id → neue Id; alte Ids, die weder hier stehen noch vorkommen, entfallen",
    )
    values: dict[Slug, dict[int, int]] = Field(
        default={},
        description="Antwortwerte mit neuer Bedeutung, je NEUER Frage-Id: alter Wert → neuer Wert",
    )

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, data: object) -> object:
        if isinstance(data, dict) and "version" in data:
            data = {**data, "version": _version_text(data["version"])}
        return data


class Condition(Strict):
    """When a follow-up question is asked: only if an earlier question is answered at least ``min``."""

    question: Slug = Field(description="Id einer früheren Frage")
    min: Annotated[int, Field(ge=0, description="Mindestwert der Antwort auf diese Frage (ein Optionswert)")]


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
    when: Condition | None = Field(
        default=None,
        description="Folgefrage: nur gestellt, wenn die genannte frühere Frage mindestens min hat; sonst übersprungen "
        "und mit der niedrigsten Option gewertet",
    )
    refs: list[str] = Field(
        default=[], description="Ids der Quellen (references), auf denen die Frage beruht"
    )
    effort: Slug | None = Field(default=None, description="Id der Aufwandsklasse (efforts) ihrer Maßnahmen")


class Questionnaire(Strict):
    """A whole questionnaire. Cross-references are checked after the fields."""

    id: Slug
    version: Annotated[str, Field(min_length=1)]
    title: Text
    description: str | None = None
    scale: Annotated[list[Option], Field(min_length=2, description="Standard-Optionen jeder Frage")]
    stages: Annotated[list[Stage], Field(min_length=1)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    actors: list[Actor] = Field(default=[])
    horizons: list[Horizon] = Field(default=[])
    references: list[Reference] = Field(
        default=[], description="Quellen, auf denen die Fragen beruhen (für den Methodenteil)"
    )
    efforts: list[Effort] = Field(
        default=[], description="Aufwandsklassen der Maßnahmen (für die finanziellen Auswirkungen)"
    )
    predecessors: list[Predecessor] = Field(
        default=[],
        description="Frühere Versionen, deren Antwortbögen weiter gelesen werden (Umbenennungen von Ids und Werten)",
    )
    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, data: object) -> object:
        if isinstance(data, dict) and "version" in data:
            data = {**data, "version": _version_text(data["version"])}
        return data

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> "Questionnaire":
        report(info, list(self._reference_problems()))
        return self

    def _reference_problems(self) -> list[tuple[Loc, str]]:
        return reference_problems(self)

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
    def lowest_value_by_id(self) -> dict[str, int]:
        """Each question's smallest option value (what a skipped follow-up counts), computed once."""
        return {q.id: min(o.value for o in self.options_for(q)) for q in self.questions}

    @cached_property
    def question_dimensions(self) -> list[tuple[str, ...]]:
        """Each question's dimension ids, in questionnaire order; a tag written twice counts once."""
        return [tuple(dict.fromkeys(q.dimensions)) for q in self.questions]

    @cached_property
    def option_values_by_id(self) -> dict[str, frozenset[int]]:
        """Each question's allowed option values, to check thousands of answers without listing options."""
        return {q.id: frozenset(o.value for o in self.options_for(q)) for q in self.questions}

    @cached_property
    def effort_by_id(self) -> dict[str, Effort]:
        return {e.id: e for e in self.efforts}

    @cached_property
    def reference_by_id(self) -> dict[str, Reference]:
        return {r.id: r for r in self.references}

    def predecessor(self, version: str) -> Predecessor | None:
        """The declared predecessor with this version, if any."""
        return next((p for p in self.predecessors if p.version == version), None)

    @cached_property
    def follow_ups(self) -> dict[str, list[str]]:
        """For each question, the ids of the follow-up questions whose ``when`` names it."""
        out: dict[str, list[str]] = {}
        for q in self.questions:
            if q.when is not None:
                out.setdefault(q.when.question, []).append(q.id)
        return out

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

    @cached_property
    def question_order(self) -> list[Question]:
        """Stage by stage, in file order within a stage: how the interview asks and numbers the questions
        and how a sheet lists its answers."""
        return [q for s in self.stages for q in self.questions_of_stage(s.id)]
