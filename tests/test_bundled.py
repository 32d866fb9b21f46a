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
SEED_FILES = {
    "000_a1fd7b558f4512cf.txt",
    "001_85218e6d427696c5.txt",
    "002_86e8b16d5b739cff.txt",
    "003_21ddb5148861c3c5.txt",
    "004_f67a2f033a136e30.txt",
}
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
    for question in q.questions:
        assert question.help and question.recommendation and question.source, question.id
        assert any(seed in question.source for seed in SEED_FILES), question.id
        assert question.source.split(" ")[0] in {r.id for r in q.references}, question.id
        assert question.actor in q.actor_by_id and question.horizon in q.horizon_by_id, question.id
        options = q.options_for(question)
        assert question.options is not None and len(options) >= 3, question.id
        for option in options:
            assert option.label.lower() not in VAGUE_LABELS, (question.id, option.label)
            assert option.description and len(option.description) > 30, (question.id, option.value)
        if question.example:
            assert any(m in question.example for m in (*MODEL_MUNICIPALITIES, "Südwestfalen")), question.id
    assert q.description and "keine" in q.description and "Kriterien" in q.description
    assert sorted(r.id for r in q.references) == sorted(SEED_FILES)


def test_stufenplan_size_and_coverage(catalog: Catalog) -> None:
    q = catalog.by_id("stufenplan")
    assert [s.id for s in q.stages] == [1, 2, 3, 4]
    assert len(q.questions) >= 40
    per_stage = Counter(question.stage for question in q.questions)
    assert min(per_stage[s.id] for s in q.stages) >= 8
    per_dimension = Counter(d for question in q.questions for d in question.dimensions)
    assert min(per_dimension[d.id] for d in q.dimensions) >= 3
    assert all(any(question.key for question in q.questions_of_stage(s.id)) for s in q.stages)
    examples = " ".join(question.example or "" for question in q.questions)
    for municipality in MODEL_MUNICIPALITIES:
        assert municipality in examples


def test_dimensions_are_the_ten_difu_tips_plus_grounded_extras(catalog: Catalog) -> None:
    q = catalog.by_id("stufenplan")
    tips = [d for d in q.dimensions if (d.description or "").startswith("Difu-Tipp")]
    assert len(tips) == 10
    for extra in (d for d in q.dimensions if d not in tips):
        assert any(seed[:3] in (extra.description or "") for seed in SEED_FILES), extra.id


def test_kurzcheck_is_short_and_shares_the_frame(catalog: Catalog) -> None:
    short, full = catalog.by_id("kurzcheck"), catalog.by_id("stufenplan")
    assert 12 <= len(short.questions) <= 16
    assert {question.stage for question in short.questions} == {1, 2, 3, 4}
    assert short.stages == full.stages
    assert short.dimensions == full.dimensions


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_quotes_in_sources_are_verbatim_in_the_seeds(catalog: Catalog, qid: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    texts = {name: " ".join((SEEDS / name).read_text(encoding="utf-8").split()) for name in SEED_FILES}
    everything = " ".join(texts.values())
    for question in catalog.by_id(qid).questions:
        for quote in re.findall(r"„([^“]+)“", question.source or ""):
            normalised = " ".join(quote.split()).rstrip(".…")
            parts = [p.strip() for p in re.split(r"\s*(?:…|\.\.\.)\s*", normalised) if p.strip()]
            for part in parts:
                assert part in everything, (question.id, part)


# The action is the measure's name in the roadmap and in the council's resolution ("Die Verwaltung wird
# beauftragt, folgende Maßnahmen umzusetzen: …"): a short infinitive group, no address, no full stop.
ACTION_MAX = 70
VERB_ENDINGS = ("en", "ern", "eln")


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_every_question_names_its_measure_in_a_short_infinitive_group(catalog: Catalog, qid: str) -> None:
    q = catalog.by_id(qid)
    for question in q.questions:
        action = question.action
        assert action, question.id
        assert len(action) <= ACTION_MAX, (question.id, len(action))
        assert not re.search(r"\b(Sie|Ihre?[mnrs]?)\b", action), (question.id, action)
        assert not action.endswith((".", "!", ":", ";")), (question.id, action)
        assert action[0].isupper(), (question.id, action)
        assert action.split()[-1].endswith(VERB_ENDINGS), (question.id, action)
        assert " zu " not in f" {action.split()[-2]} ", (question.id, action)
    # every measure has a name of its own within a questionnaire
    actions = [question.action for question in q.questions]
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
