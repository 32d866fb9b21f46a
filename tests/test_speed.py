"""The shortcuts taken for speed give exactly what the long way gives: data, lines, files, questionnaires."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import InputError, NotFound
from stufenplan_cli.files import catalog as catalog_module
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.inputs import expand
from stufenplan_cli.files.reading import _Builder, _line_map, _Loader, parse
from stufenplan_cli.render.blank_sheet import blank_sheet
from tests.conftest import DATA, ROOT
from tests.test_bad_input import CASES


def both_builds(text: str) -> tuple[object, object]:
    """What the fast builder and the located builder make of a text: data or the error's message and line."""
    results = []
    for located in (False, True):
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return "syntax", "syntax"
        finally:
            loader.dispose()
        if node is None:
            return None, None
        builder = _Builder("x.yaml", loader)
        try:
            results.append(builder.build(node, ()) if located else builder.plain(node))
        except InputError:
            results.append("refused")
    return results[0], results[1]


TRICKY = [
    "a: 1\na: 2\n",
    "? [a]\n: 1\n",
    "<<: {a: 1}\n",
    "a: !!python/name:os.system x\n",
    "a: !!str 5\nb: !!int '7'\nc: !!map {x: 1}\nd: !!seq [1]\n",
    "a: !!str [1]\n",
    "a: !!int [1]\n",
    "a: !!map x\n",
    "a: 007\nb: 0x1F\nc: 1_000\nd: -3\ne: +4\nf: 2026-03-15\ng: 2026-03-15T10:00:00\nh: ~\ni: yes\n",
    "1: a\n2.5: b\ntrue: c\nnull: d\n0x10: e\n",
    "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
    "s1-x: {value: weiß nicht, note: 'a: b'}\n",
]


@pytest.mark.parametrize("text", [c[1].decode("utf-8", "replace") for c in CASES] + TRICKY)
def test_fast_builder_makes_or_refuses_what_the_located_one_does(text: str) -> None:
    fast, located = both_builds(text)
    assert fast == located


def containers(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    keys = st.text(max_size=6) | st.integers(0, 9)
    return st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(allow_nan=False) | st.text(max_size=12),
    containers,
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(yaml_values, st.sampled_from([None, True, False]))
def test_fast_builder_agrees_on_any_yaml(value: object, flow: bool | None) -> None:
    text = yaml.safe_dump({"data": value}, allow_unicode=True, default_flow_style=flow)
    fast, located = both_builds(text)
    assert fast == located


def test_line_map_is_built_only_when_asked_and_equals_the_located_one() -> None:
    text = (DATA / "mini-sheet.yaml").read_text(encoding="utf-8")
    doc = parse(text, "mini-sheet.yaml")
    assert doc._lines is None  # nothing needed it yet
    loader = _Loader(text)
    node = loader.get_single_node()
    builder = _Builder("mini-sheet.yaml", loader)
    builder.build(node, ())
    assert doc.lines == builder.lines == _line_map(text, "mini-sheet.yaml")
    assert doc.line_of(("answers", "pilot", "value")) == builder.lines[("answers", "pilot")]


def test_reading_errors_say_what_is_wrong(tmp_path: Path) -> None:
    from stufenplan_cli.files.reading import read_text

    cases = {
        tmp_path / "fehlt.yaml": "Datei nicht gefunden",
        tmp_path / "x.yaml" / "unter-einer-datei.yaml": "Datei nicht gefunden",
        tmp_path: "ist ein Verzeichnis, keine Datei",
    }
    (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "kreis.yaml").symlink_to(tmp_path / "kreis.yaml")
    cases[tmp_path / "kreis.yaml"] = "Datei nicht gefunden"
    for path, message in cases.items():
        with pytest.raises(InputError) as caught:
            read_text(path)
        assert caught.value.message == message, path


def make_tree(root: Path) -> None:
    for name in ["a/x.yaml", "a/b/y.YML", "a/b/z.txt", ".hid/h.yaml", "c/.h.yaml", "c/k.yml", "a-b.yaml"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("a: 1\n", encoding="utf-8")
    (root / "c" / "linkdir").symlink_to(root / "a")
    (root / "lx.yaml").symlink_to(root / "a" / "x.yaml")
    (root / "d.yaml").mkdir()
    (root / "d.yaml" / "q.yaml").write_text("a: 1\n", encoding="utf-8")


def test_directories_are_walked_in_path_order_without_hidden_files_or_linked_directories(
    tmp_path: Path,
) -> None:
    make_tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])]
    # "a/…" sorts before "a-b.yaml" as paths do; lx.yaml is a second name of a/x.yaml and counts once.
    assert found == ["a/b/y.YML", "a/x.yaml", "a-b.yaml", "c/k.yml", "d.yaml/q.yaml"]
    again = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path / "lx.yaml", tmp_path])]
    assert again == ["lx.yaml", "a/b/y.YML", "a-b.yaml", "c/k.yml", "d.yaml/q.yaml"]


def counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loaded: list[str] = []
    real = catalog_module.load

    def load(path: Path) -> object:
        loaded.append(path.name)
        return real(path)

    real_compiled = catalog_module.from_compiled

    def from_compiled(path: Path) -> object:
        loaded.append(f"compiled {path.name}")
        return real_compiled(path)

    monkeypatch.setattr(catalog_module, "load", load)
    monkeypatch.setattr(catalog_module, "from_compiled", from_compiled)
    return loaded


def test_one_questionnaire_is_read_for_one_id(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = counting_loads(monkeypatch)
    cat = Catalog()
    assert cat.by_id("kurzcheck").id == "kurzcheck"
    assert cat.by_id("kurzcheck") is cat.by_id("kurzcheck")
    assert loaded == ["compiled kurzcheck.yaml"]  # its compiled form; the YAML itself is not parsed


def test_the_first_questionnaire_with_an_id_wins_as_before(tmp_path: Path) -> None:
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "mini.yaml").write_text(text.replace("Mini-Fragebogen", "Erster"), encoding="utf-8")
    # flow style: no id line to read it from, so it is loaded to find out
    (first / "flow.yaml").write_text('{id: "mini", version: "1"}\n', encoding="utf-8")
    (second / "mini.yaml").write_text(text.replace("Mini-Fragebogen", "Zweiter"), encoding="utf-8")
    assert Catalog(extra_dirs=[first, second]).by_id("mini").title.startswith("Erster")
    assert Catalog(extra_dirs=[second, first]).by_id("mini").title.startswith("Zweiter")
    broken = tmp_path / "kaputt"
    broken.mkdir()
    (broken / "mini.yaml").write_text("id: mini\nversion: 1\nquestions: []\n", encoding="utf-8")
    assert Catalog(extra_dirs=[broken, second]).by_id("mini").title.startswith("Zweiter")
    with pytest.raises(NotFound, match="fehlerhaft"):
        Catalog(extra_dirs=[broken]).by_id("mini")
    with pytest.raises(NotFound, match="Verzeichnis nicht gefunden"):
        Catalog(extra_dirs=[second, tmp_path / "fehlt"]).by_id("mini")


def test_one_sheet_reads_its_questionnaire_once_and_starts_no_pool() -> None:
    code = (
        "import sys\n"
        "from stufenplan_cli.files import catalog\n"
        "from stufenplan_cli.cli.app import app\n"
        "read = []\n"
        "real = catalog.load\n"
        "catalog.load = lambda p: read.append(p.name) or real(p)\n"
        "compiled = catalog.from_compiled\n"
        "catalog.from_compiled = lambda p: read.append('compiled ' + p.name) or compiled(p)\n"
        "try:\n"
        f"    app(['score', {str(ROOT / 'examples' / 'musterstadt.yaml')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(read, 'concurrent.futures.process' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "['compiled stufenplan.yaml'] False"


def test_compiled_templates_are_kept_in_the_users_cache_only_when_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stufenplan_cli.render import templating

    monkeypatch.delenv("STUFENPLAN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    templating._bytecode_cache.cache_clear()
    try:
        mini = Catalog(extra_dirs=[DATA]).by_id("mini")
        first = blank_sheet(mini)
        cached = list((tmp_path / "stufenplan").glob("*/*/*.cache"))
        assert len(cached) == 1
        templating._bytecode_cache.cache_clear()
        assert blank_sheet(mini) == first  # now from the cache
        monkeypatch.setenv("STUFENPLAN_NO_CACHE", "1")
        templating._bytecode_cache.cache_clear()
        assert blank_sheet(mini) == first
        monkeypatch.delenv("STUFENPLAN_NO_CACHE")
        # a cache directory others may write to is not trusted: bytecode is code
        cached[0].parent.chmod(0o777)
        templating._bytecode_cache.cache_clear()
        assert templating.environment().bytecode_cache is None
        templating._bytecode_cache.cache_clear()
        assert templating._bytecode_cache(cached[0].parent.name) is None
    finally:
        templating._bytecode_cache.cache_clear()


QIDS = ["beschluss", "verantwortung", "qualifizierung", "pilot", "werkzeuge", "kooperation"]
answer_values = st.sampled_from(
    [0, 1, 2, 3, 4, -1, "2", " 3 ", "weiß nicht", " Weiß  Nicht ", "unknown", "n/a", "nicht zutreffend",
     "NICHT ZUTREFFEND", "viel", "²", 2.0, 1.5, True, None, [1], {"a": 1}]
)  # fmt: skip
answer_items = (
    answer_values
    | st.fixed_dictionaries(
        {"value": answer_values}, optional={"note": st.sampled_from(["Stabsstelle", "  mit Rand  ", 5, None])}
    )
    | st.fixed_dictionaries({"value": answer_values, "extra": st.just(1)})
    | st.just({"note": "ohne Wert"})
)
answer_maps = st.dictionaries(st.sampled_from([*QIDS, "beschlus", 7]), answer_items, max_size=6)
municipalities = st.sampled_from(
    [
        {"name": "Musterhausen"},
        {"name": "  Musterhausen  ", "ags": "09162000", "population": 1200, "kind": "Stadt"},
        {"name": "X", "ags": 9162000},
        {"name": "X", "population": "viele"},
        {"name": "X", "population": "1200"},
        {"kind": "Gemeinde"},
        {"name": "X", "plz": "12345"},
    ]
)
sheets = st.fixed_dictionaries(
    {"questionnaire": st.sampled_from(["mini", " mini ", "kurzcheck"]), "municipality": municipalities},
    optional={
        "answers": answer_maps | st.none() | st.just([1]),
        "questionnaire_version": st.sampled_from(["1.0", 1.0, 2, None]),
        "assessed_on": st.sampled_from(["2026-03-15", "31.12.2025", None]),
        "target": st.sampled_from([{"stage": 2, "year": 2030}, {"stage": 9}, {"stage": "zwei"}]),
        "assessor": st.sampled_from(["Hauptamt", "  Hauptamt ", 3]),
    },
)


@settings(max_examples=400, deadline=None)
@given(sheets)
def test_quick_sheet_accepts_only_what_the_model_accepts_and_reads_it_alike(data: dict[str, object]) -> None:
    from stufenplan_cli.errors import ValidationFailed
    from stufenplan_cli.files.validation import quick_sheet, sheet_from

    mini = Catalog(extra_dirs=[DATA]).by_id("mini")
    text = yaml.safe_dump(data, allow_unicode=True).replace("'2026-03-15'", "2026-03-15")
    doc = parse(text, "bogen.yaml")
    try:
        full = sheet_from(doc, mini)
    except ValidationFailed:
        full = None
    quick = quick_sheet(doc, mini)
    if full is None:
        assert quick is None, text  # and the full validator reports, as ever
        return
    assert quick is not None, text  # every sheet the model accepts is plain enough for the fast path
    sheet, values = quick
    assert values == {qid: answer.value for qid, answer in full.answers.items()}
    assert sheet == full.model_copy(update={"answers": {}})
    assert sheet.model_fields_set == full.model_fields_set - {"answers"}


def test_a_plain_sheet_takes_the_fast_path() -> None:
    from stufenplan_cli.files.validation import quick_sheet

    mini = Catalog(extra_dirs=[DATA]).by_id("mini")
    quick = quick_sheet(parse((DATA / "mini-sheet.yaml").read_text(encoding="utf-8"), "x.yaml"), mini)
    assert quick is not None
    assert quick[1] == {
        "beschluss": 3,
        "verantwortung": 2,
        "qualifizierung": "unknown",
        "pilot": 2,
        "werkzeuge": "n/a",
    }


def test_cached_templates_give_the_same_reports_and_each_flavour_its_own_cache(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("STUFENPLAN_NO_CACHE", None)
    sheet = str(ROOT / "examples" / "musterstadt.yaml")

    def report(fmt: str) -> str:
        command = [sys.executable, "-m", "stufenplan_cli", "report", sheet, "-f", fmt]
        return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout

    cold = {fmt: report(fmt) for fmt in ("md", "html")}
    warm = {fmt: report(fmt) for fmt in ("html", "md")}
    assert warm == cold
    kinds = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "stufenplan").glob("jinja2-*/*"))
    assert kinds == ["report-html-Environment-escaped", "report-md-Environment-raw"]


# ----- the fast path of batch scoring gives what the full path gives -----

SPECIAL = ["unknown", "n/a"]


def answer_sets(q: Questionnaire) -> st.SearchStrategy[dict[str, object]]:
    """Answers to any subset of the questions: an option value, unknown or n/a, sometimes with a note."""
    per_question = {
        question.id: st.sampled_from([o.value for o in q.options_for(question)] + SPECIAL)
        for question in q.questions
    }
    return st.fixed_dictionaries({}, optional=per_question)  # type: ignore[arg-type]


def check_fast_equals_full(q: Questionnaire, values: dict[str, object], version: str | None) -> None:
    from stufenplan_cli.domain.models.sheet import AnswerSheet
    from stufenplan_cli.domain.scoring import evaluate_values, score
    from stufenplan_cli.services.tabular import row
    from tests import reference_scoring as reference

    head = {"questionnaire": q.id, "municipality": {"name": "Musterhausen"}, "questionnaire_version": version}
    sheet = AnswerSheet.model_validate(
        {**head, "answers": {k: {"value": v, "note": "n"} for k, v in values.items()}}
    )
    bare = AnswerSheet.model_validate(head)
    full = score(q, sheet, file="b.yaml")
    fast = score(q, bare, file="b.yaml", values=values, questions=False)  # type: ignore[arg-type]
    assert fast == full.model_copy(update={"questions": []})
    assert row(fast) == row(full)
    assert fast.score_record() == full.score_record()
    # the rule written out question by question gives the same numbers, to the last bit
    assert (full.stages, full.dimensions, full.deciding) == reference.scores(q, values)  # type: ignore[arg-type]
    assert [r.status for r in full.questions] == [i.status for i in evaluate_values(q, values)]  # type: ignore[arg-type]
    # the possible placement, the long way: every open answer at its best option, all stages evaluated again
    possible = reference.evaluate_possible(q, values)  # type: ignore[arg-type]
    for stage, result in zip(q.stages, full.stages, strict=True):
        _, key_failed, score_met = reference.criteria(stage, [r for r in possible if r.stage == stage.id])
        assert result.reached_possible == (score_met and not key_failed)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fast_scoring_equals_full_scoring_with_follow_ups(data: st.DataObject) -> None:
    mini2 = Catalog(extra_dirs=[DATA / "v2"]).resolve(str(DATA / "v2" / "mini.yaml"))
    values = data.draw(answer_sets(mini2))
    version = data.draw(st.sampled_from([None, mini2.version, "1.0", "0.9"]))
    check_fast_equals_full(mini2, values, version)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fast_scoring_equals_full_scoring_for_the_bundled_questionnaires(data: st.DataObject) -> None:
    q = Catalog().by_id(data.draw(st.sampled_from(["stufenplan", "kurzcheck"])))
    check_fast_equals_full(q, data.draw(answer_sets(q)), None)


def corpus(folder: Path) -> list[Path]:
    """Every documented bad input, and valid sheets in every shape a consultant writes them."""
    from tests.test_bad_input import GOOD_HEAD

    folder.mkdir()
    paths = []
    for name, content, _, _ in CASES:
        paths.append(folder / f"bad-{name}.yaml")
        paths[-1].write_bytes(content)
    valid = {
        "plain": "answers:\n  beschluss: 3\n  verantwortung: 2\n  pilot: 1\n",
        "notes": "answers:\n  beschluss: {value: 2, note: 'Beschluss: 2025'}\n  pilot: {value: weiß nicht}\n",
        "aliases": "answers:\n  beschluss: ' Weiß  Nicht '\n  pilot: '2'\n  werkzeuge: nicht zutreffend\n",
        "blank": "answers:\n  beschluss:\n  pilot: n/a\n",
        "empty-answers": "answers:\n",
        "no-answers": "",
        "version": 'questionnaire_version: "0.9"\nanswers:\n  beschluss: 3\n',
        "full": "  ags: '09162000'\n  kind: Stadt\n  population: 1200\nassessed_on: 2026-03-01\n"
        "assessor: Hauptamt\ntarget: {stage: 2, year: 2030}\nanswers:\n  beschluss: 3\n  kooperation: 1\n",
        "lax": "  population: '1200'\nanswers:\n  beschluss: 3.0\n",
        "int-key": "answers:\n  7: 2\n",
        "merged": "merged: {method: median, sources: [{file: a.yaml, group: A}]}\nanswers:\n  pilot: 2\n",
    }
    for name, tail in valid.items():
        paths.append(folder / f"ok-{name}.yaml")
        paths[-1].write_text(GOOD_HEAD + tail, encoding="utf-8")
    return paths


@pytest.mark.parametrize("workers", [1, 2])
def test_fast_and_full_path_write_the_same_bytes_and_messages(tmp_path: Path, workers: int) -> None:
    import io

    from stufenplan_cli.services.batch import Settings, score_many
    from stufenplan_cli.services.exports import json_item, row_item, write_csv, write_json

    paths = corpus(tmp_path / "bögen") * 3  # enough for the pool to take chunks
    written = {}
    for fast in (True, False):
        settings = Settings(extra_dirs=(DATA,), fast=fast)
        csv_out, json_out = io.StringIO(), io.StringIO()
        write_csv(score_many(paths, settings, row_item, workers, serial_below=2), csv_out, bom=True)
        write_json(score_many(paths, settings, json_item, workers, serial_below=2), json_out)
        problems = [o.problems for o in score_many(paths, settings, workers=workers, serial_below=2)]
        written[fast] = (csv_out.getvalue(), json_out.getvalue(), problems)
    assert written[True] == written[False]
    assert sum(1 for p in written[True][2] if not p) == 3 * 9  # the valid ones really were scored


def test_plain_sheets_take_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stufenplan_cli.services import batch
    from stufenplan_cli.services.exports import row_item

    taken: list[bool] = []
    real = batch.score_plain
    monkeypatch.setattr(batch, "score_plain", lambda *a: taken.append(real(*a) is not None) or real(*a))
    paths = [p for p in corpus(tmp_path / "bögen") if p.name.startswith("ok-")]
    list(batch.score_many(paths, batch.Settings(extra_dirs=(DATA,)), row_item, workers=1))
    # all but "version" (another version: the full path may read it differently), "lax" and "int-key"
    assert taken.count(True) == len(paths) - 3


@pytest.mark.parametrize("qid", ["stufenplan", "kurzcheck"])
def test_benchmark_sheets_score_alike_the_fast_and_the_full_way(tmp_path: Path, qid: str) -> None:
    """The realistic mix (notes, weiß nicht, follow-ups answered that fall away, a broken sheet) both ways."""
    import io

    from stufenplan_cli.services.batch import Settings, score_many
    from stufenplan_cli.services.exports import json_item, row_item, write_csv, write_json

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from sheets import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    paths = generate(Catalog().by_id(qid), tmp_path / qid, 120, seed=5)
    paths[7].write_text(paths[7].read_text(encoding="utf-8") + "  s1-x: 1\n", encoding="utf-8")
    written = {}
    for fast in (True, False):
        csv_out, json_out = io.StringIO(), io.StringIO()
        write_csv(score_many(paths, Settings(fast=fast), row_item, 2, serial_below=2), csv_out, bom=True)
        write_json(score_many(paths, Settings(fast=fast), json_item, 1, serial_below=2), json_out)
        written[fast] = (csv_out.getvalue(), json_out.getvalue())
    assert written[True] == written[False]
    assert "ignoriert" in written[True][1] and "Zeile" in written[True][0]
    from stufenplan_cli.domain.scoring import answer_values, score
    from stufenplan_cli.errors import StufenplanError
    from stufenplan_cli.files.sheets import load_sheet
    from tests import reference_scoring as reference

    catalog, compared = Catalog(), 0
    for path in paths:  # and the rule written out question by question gives the same numbers
        try:
            loaded = load_sheet(path, catalog)
        except StufenplanError:
            continue
        result = score(loaded.questionnaire, loaded.sheet)
        expected = reference.scores(loaded.questionnaire, answer_values(loaded.sheet))
        assert (result.stages, result.dimensions, result.deciding) == expected
        compared += 1
    assert compared > 100


def floats_in(value: object) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in floats_in(v)]
    if isinstance(value, list):
        return [f for v in value for f in floats_in(v)]
    return []


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(0, 1)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_the_fast_json_writer_writes_what_json_dumps_writes(record: dict[str, object]) -> None:
    import json

    from stufenplan_cli.services.exports import record_json

    assert record_json(record, floats_in(record)) == json.dumps(record, ensure_ascii=False, indent=2)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_record_floats_names_every_float_of_the_score_record(data: st.DataObject) -> None:
    from stufenplan_cli.domain.models.sheet import AnswerSheet
    from stufenplan_cli.domain.scoring import score
    from stufenplan_cli.services.exports import record_floats

    q = Catalog().by_id(data.draw(st.sampled_from(["stufenplan", "kurzcheck"])))
    sheet = AnswerSheet.model_validate({"questionnaire": q.id, "municipality": {"name": "X"}})
    result = score(q, sheet, values=data.draw(answer_sets(q)), questions=False)  # type: ignore[arg-type]
    assert sorted(floats_in(result.score_record())) == sorted(
        f for f in record_floats(result) if f is not None
    )


def test_excel_rows_with_plain_values_give_the_same_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain values handed to openpyxl as they are, and one percent cell for every score, make the same
    workbook as a cell object per value."""
    import io
    import zipfile

    from stufenplan_cli.services import exports
    from stufenplan_cli.services.batch import Outcome
    from stufenplan_cli.services.tabular import DATE_COLUMN, QUESTIONNAIRE_COLUMN

    head = ("Datei", "Kommune", "AGS", DATE_COLUMN, QUESTIONNAIRE_COLUMN, "Stufe", "Score", "Text", "Score 2")
    texts = ["", "=", "=1+1", "#N/A", "#DIV/0!", "x\x1by", "-1", "+", "@x", "ä\u202e", "'", '=HYPERLINK("x")']
    rows = [
        ("a.yaml", text, "09162000", day, "mini", stage, score, text, 0.25)
        for text in texts
        for day, stage, score in [("2026-03-01", 1, 0.5), ("", 0, None), ("01.03.2026", 2, 0.0)]
    ]
    outcomes = [Outcome(i, f"{i}.yaml", value=(head, row)) for i, row in enumerate(rows)]

    def every_value_a_cell(
        sheet: object, names: tuple[str, ...], values: tuple[object, ...], percent: object
    ) -> list[object]:
        cells = []
        for name, value in zip(names, values, strict=True):
            cell = exports._xlsx_cell(sheet, exports._xlsx_value(name, value))
            if isinstance(value, float):
                cell.number_format = "0%"
            elif name == DATE_COLUMN and value:
                cell.number_format = "DD.MM.YYYY"
            cells.append(cell)
        return cells

    books = []
    for row in (exports._xlsx_row, every_value_a_cell):
        monkeypatch.setattr(exports, "_xlsx_row", row)
        out = io.BytesIO()
        exports.write_xlsx(iter(outcomes), out)
        with zipfile.ZipFile(out) as book:
            books.append({n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"})
    assert books[0] == books[1]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text("aAb-._ ä0/", min_size=1, max_size=4).filter(lambda t: "/" not in t),
            min_size=1,
            max_size=3,
        ),
        max_size=30,
    )
)
def test_the_sort_key_of_found_sheets_sorts_as_paths_do(parts: list[list[str]]) -> None:
    from stufenplan_cli.files.inputs import _path_order

    found = [(Path("bögen", *p), None) for p in parts]
    assert [p for p, _ in sorted(found, key=_path_order)] == sorted(p for p, _ in found)


def test_row_items_share_their_column_names_and_name_the_columns_of_their_sheet() -> None:
    from stufenplan_cli.domain.models.sheet import AnswerSheet
    from stufenplan_cli.domain.scoring import score
    from stufenplan_cli.services.exports import row_item
    from stufenplan_cli.services.tabular import header

    heads = []
    for q in [
        Catalog().by_id("stufenplan"),
        Catalog(extra_dirs=[DATA]).by_id("mini"),
        Catalog().by_id("kurzcheck"),
    ] * 2:
        result = score(q, AnswerSheet.model_validate({"questionnaire": q.id, "municipality": {"name": "X"}}))
        head, _ = row_item(result)
        assert head == tuple(header([result]))
        heads.append(head)
    assert heads[0] is heads[3] and heads[1] is heads[4] and heads[0] != heads[1] != heads[2]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_visible_skips_its_pattern_only_where_it_would_change_nothing(text: str, keep_lines: bool) -> None:
    from stufenplan_cli.domain import text as module

    pattern = module._SHOWN_RAW if keep_lines else module._CONTROL_OR_BREAK
    assert module.visible(text, keep_lines) == pattern.sub(lambda m: module._escape(m.group()), text)


def test_the_entry_point_tunes_garbage_collection_before_typer_is_imported_and_skips_pydantic_plugins() -> (
    None
):
    from stufenplan_cli.cli import GC_THRESHOLD

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '\nstufenplan = "stufenplan_cli.cli:main"\n' in pyproject  # the installed command starts there too
    code = (
        "import gc, sys\n"
        "import stufenplan_cli.cli as cli\n"
        "seen = []\n"
        "real = gc.set_threshold\n"
        "gc.set_threshold = lambda *a: (seen.append('typer' in sys.modules), real(*a))\n"
        "sys.argv = ['stufenplan', '--version']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "import os\n"
        "print(seen, gc.get_threshold(), os.environ.get('PYDANTIC_DISABLE_PLUGINS'), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stderr.strip().splitlines()[-1] == f"[False] {GC_THRESHOLD} __all__"
    env["PYDANTIC_DISABLE_PLUGINS"] = "logfire"  # the user's own choice stays
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stderr.strip().splitlines()[-1].endswith(" logfire")


def test_the_command_leaves_its_objects_to_the_exit_uncollected() -> None:
    code = (
        "import gc, sys\n"
        "from stufenplan_cli.cli.app import main\n"
        "sys.argv = ['stufenplan', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_freeze_count() > 1000, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "True"
