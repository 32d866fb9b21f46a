"""The bundled questionnaires validate and meet the content rules: grounded, anchored, complete."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import parse
from stufenplan_cli.files.validation import questionnaire_from, sheet_from
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
MODEL_MUNICIPALITIES = (
    "Detmold",
    "Ulm",
    "Eichenzell",
    "Mayen-Koblenz",
    "Braunschweig",
    "Süderbrarup",
    "Bielefeld",
    "Hagenow",
    "Grevesmühlen",
    "Menden",
    "Ilzer Land",
    "München",
    "Meißen",
)
VAGUE_LABELS = {"wenig", "mehr", "viel", "etwas", "teilweise", "ein bisschen", "gering", "hoch", "mittel"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_bundled_questionnaires_are_listed_and_valid(catalog: Catalog) -> None:
    entries = catalog.entries()
    assert {e.questionnaire.id for e in entries if e.questionnaire} >= {"stufenplan", "kurzcheck"}
    assert [e.error for e in entries if e.error] == []


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_every_question_is_grounded_and_actionable(catalog: Catalog, qid: str) -> None:
    q = catalog.by_id(qid)
    references = {r.id for r in q.references}
    for question in q.questions:
        assert question.help and question.source and question.refs, question.id
        assert ".txt" not in question.source, question.id  # sources in words, never a file name
        assert set(question.refs) <= references, question.id
        assert question.actor in q.actor_by_id and question.horizon in q.horizon_by_id, question.id
        assert question.effort in q.effort_by_id, question.id
        options = q.options_for(question)
        assert question.options is not None and len(options) >= 3, question.id
        values = [o.value for o in options]
        assert values == sorted(values) and values[0] == 0, question.id  # a higher value is a better state
        for option in options:
            assert option.label.lower() not in VAGUE_LABELS, (question.id, option.label)
            assert option.description and len(option.description) > 30, (question.id, option.value)
        # every level below the top says what moves the municipality on; the top needs nothing
        *below, top = options
        assert top.next is None, question.id
        for option in below:
            assert option.next and option.next.action and option.next.text, (question.id, option.value)
            assert not re.search(r"\b(Sie|Ihre?[mnrs]?)\b", option.next.text), (question.id, option.value)
        if question.example:
            assert any(m in question.example for m in (*MODEL_MUNICIPALITIES, "Südwestfalen")), question.id
    assert q.description and "keine" in q.description and "Kriterien" in q.description
    for reference in q.references:
        assert re.fullmatch(r"[a-z0-9-]+", reference.id) and len(reference.title) > 20, reference.id


def _asked_when_everything_is_zero(q: Questionnaire) -> int:
    """How many questions a municipality at the very start answers: follow-ups of a 0 are skipped."""
    given: dict[str, int] = {}
    for question in q.questions:
        if question.when is not None and given.get(question.when.question, 0) < question.when.min:
            continue
        given[question.id] = 0
    return len(given)


def test_stufenplan_size_and_coverage(catalog: Catalog) -> None:
    q = catalog.by_id("stufenplan")
    assert [s.id for s in q.stages] == [1, 2, 3, 4]
    assert len(q.questions) >= 60
    assert _asked_when_everything_is_zero(q) <= 35
    per_stage = Counter(question.stage for question in q.questions)
    assert min(per_stage[s.id] for s in q.stages) >= 8
    per_dimension = Counter(d for question in q.questions for d in question.dimensions)
    assert min(per_dimension[d.id] for d in q.dimensions) >= 2
    assert all(any(question.key for question in q.questions_of_stage(s.id)) for s in q.stages)
    examples = " ".join(question.example or "" for question in q.questions)
    for municipality in MODEL_MUNICIPALITIES:
        assert municipality in examples
    # stage 3 turns on joint use of applications (the Stufenplan's definition), not on paperwork
    assert [x.id for x in q.questions_of_stage(3) if x.key] == ["s3-gemeinsame-anwendungen"]


def test_dimensions_are_the_ten_difu_tips_plus_grounded_extras(catalog: Catalog) -> None:
    q = catalog.by_id("stufenplan")
    tips = [d for d in q.dimensions if (d.description or "").startswith("Difu-Tipp")]
    assert len(tips) == 10
    for extra in (d for d in q.dimensions if d not in tips):
        assert extra.description and len(extra.description) > 60, extra.id
        assert ".txt" not in extra.description, extra.id


def test_kurzcheck_is_a_short_subset_with_the_same_key_questions(catalog: Catalog) -> None:
    short, full = catalog.by_id("kurzcheck"), catalog.by_id("stufenplan")
    assert 12 <= len(short.questions) <= 16
    assert _asked_when_everything_is_zero(short) <= 16
    assert {question.stage for question in short.questions} == {1, 2, 3, 4}
    # the same stages; the kurzcheck's thresholds are its own, calibrated so both place alike (docs/calibration.md)
    assert [(s.id, s.title, s.goal) for s in short.stages] == [(s.id, s.title, s.goal) for s in full.stages]
    for question in short.questions:  # the same question, word for word, so both place alike
        assert question == full.question_by_id[question.id], question.id
    assert {x.id for x in short.questions if x.key} == {x.id for x in full.questions if x.key}
    assert {d.id for d in short.dimensions} <= {d.id for d in full.dimensions}


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_quotes_in_sources_are_verbatim_in_the_seeds(catalog: Catalog, qid: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    texts = {path.name: " ".join(path.read_text(encoding="utf-8").split()) for path in SEED_FILES}
    everything = " ".join(texts.values())
    q = catalog.by_id(qid)
    for question in q.questions:
        # a quoted title of a law or standard stands in the title of one of the question's references
        titles = " ".join(" ".join(q.reference_by_id[r].title.split()) for r in question.refs)
        for quote in re.findall(r"„([^“]+)“", question.source or ""):
            normalised = " ".join(quote.split()).rstrip(".…")
            parts = [p.strip() for p in re.split(r"\s*(?:…|\.\.\.)\s*", normalised) if p.strip()]
            for part in parts:
                assert part in everything or part in titles, (question.id, part)


# The action is the measure's name in the roadmap and in the council's resolution ("Die Verwaltung wird
# beauftragt, … zu …"): an infinitive group without "zu", no address, no full stop; headings capitalise it.
ACTION_MAX = 100
VERB_ENDINGS = ("en", "ern", "eln")


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_every_next_step_names_its_measure_in_a_short_infinitive_group(catalog: Catalog, qid: str) -> None:
    q = catalog.by_id(qid)
    actions = []
    for question in q.questions:
        for option in q.options_for(question):
            if option.next is None:
                continue
            action = option.next.action
            where = (question.id, option.value, action)
            actions.append(action)
            assert len(action) <= ACTION_MAX, where
            assert not re.search(r"\b(Sie|Ihre?[mnrs]?)\b", action), where
            assert not action.endswith((".", "!", ":", ";")), where
            assert action.split()[-1].endswith(VERB_ENDINGS), where
            assert " zu " not in f" {action.split()[-2]} ", where
    # every measure has a name of its own within a questionnaire
    assert len(set(actions)) == len(actions), Counter(actions).most_common(3)


def test_umlauts_are_written_as_umlauts() -> None:
    for path in (ROOT / "questionnaires").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for word in ("Maßnahmen", "Bürger", "Städte", "Förder"):
            assert word in text or path.name == "kurzcheck.yaml", (path.name, word)
        for wrong in ("Massnahmen", "Buerger", "Staedte", "Foerder", "fuer ", "koennen", "muessen"):
            assert wrong not in text, (path.name, wrong)


def _yaml_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_documented_example_sheet_is_valid_for_the_bundled_questionnaire(catalog: Catalog) -> None:
    [block] = _yaml_blocks("answer-sheet-format.md")
    sheet_from(parse(block, "answer-sheet-format.md"), catalog.by_id("stufenplan"))


def test_documented_example_questionnaire_is_valid() -> None:
    [block] = _yaml_blocks("questionnaire-format.md")
    q: Questionnaire = questionnaire_from(parse(block, "questionnaire-format.md"))
    assert q.questions[0].key
    assert yaml.safe_load(block)["id"] == "mein-check"
