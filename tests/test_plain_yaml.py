"""The fast reader of plain sheets (files/plain_yaml.py) reads exactly what the full reader reads, or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stufenplan_cli.errors import InputError
from stufenplan_cli.files.reading import PLAIN_READER

if not PLAIN_READER:  # Python 3.10: its patterns do not compile; load() reads every sheet with libyaml
    pytest.skip("the plain reader needs Python 3.11 or later", allow_module_level=True)

from stufenplan_cli.files import plain_yaml
from stufenplan_cli.files.plain_yaml import plain_data
from stufenplan_cli.files.reading import load, parse
from tests.conftest import DATA, ROOT
from tests.test_bad_input import CASES
from tests.test_speed import TRICKY


def typed(value: object) -> object:
    """The data with every scalar's type, so that 1 and "1" and True differ."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def agrees(text: str) -> bool:
    """Whether the fast reader gives the full reader's data (same types), or leaves the text to it.

    Returns whether the fast reader read it, so a test can also say the subset really is covered.
    """
    fast = plain_data(text)
    try:
        full: object = parse(text, "x.yaml").data
    except InputError:
        full = "refused"
    if fast is None:
        return False
    assert typed(fast) == typed(full), text
    return True


NEAR = [
    "a: 1\n",
    "a: 1",
    "a:\n",
    "a:\nb: 2\n",
    "a:\n  b: 1\n  c:\n    d: x\ne: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "a:\n  b: 1\n c: 2\n",
    " a: 1\n",
    "a: 1\n  b: 2\n",
    "a: x\n  y\n",
    "a: x\n\n  y\n",
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "a: {b: 1,}\n",
    "a: {b}\n",
    "a: {}\n",
    "a: { b: 1 , c: x y  }\n",
    "a: {b: 1} # c\n",
    "a: {b: 1}x\n",
    "a: {b: {c: 1}}\n",
    "a: {b: [1]}\n",
    "a: {b: 'x'}\n",
    'a: {b: "x", c: "y,z}"}\n',
    "a: {b:1}\n",
    "a: {b: x:y}\n",
    "a: {b: x?}\n",
    "a: b # c\n",
    "a: b#c\n",
    "a: b: c\n",
    "a:b\n",
    "a: 'x'\n",
    'a: "x\\"y"\n',
    'a: "x\\ty"\n',
    'a: "x" y\n',
    'a: "x\n',
    '"a": 1\n',
    "a: -1\nb: +1\nc: 010\nd: 0x1F\ne: 1_000\nf: 12:30\ng: 1.5\nh: .inf\ni: 1e3\n",
    "name: 12:30\nnote: 010\nversion: 2.0\ntitle: yes\nkind: 2026-01-01\nstate: ~\ngroup: 7\n",
    "a: yes\nb: No\nc: true\nd: off\ne: ~\nf: null\ng: Null\nh: NULL\n",
    "a: 2026-02-30\nb: 1899-12-31\nc: 2101-01-01\nd: 2026-3-5\ne: 2026-03-05 10:00\nf: 2026-03-05\n",
    "a: 0\nb: 00\nc: 0123\nd: 123456789012345678901234567890\ne: 1234567890123456789012345678901\n",
    "1: a\n",
    "true: a\n",
    "null: a\n",
    "y: a\n",
    "n: a\n",
    "a.b: 1\n",
    "1.5: a\n",
    "2026-01-01: a\n",
    "_x: 1\n",
    "a-b_c: 1\n",
    "- a\n- b\n",
    "a:\n- b\n",
    "a:\n  - b\n",
    "? a\n: b\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  x\n",
    "a: >\n  x\n",
    "a: [1, 2]\n",
    "a: @x\n",
    "a: `x`\n",
    "a: %x\n",
    "a: ,x\n",
    "a: ?x\n",
    "a: :x\n",
    "a: x\tb\n",
    "\ta: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\r\n",
    "a: x\r\r\n",
    "a: 1\r\nb: 2\n",
    "a: 1\nb: 2\r\n",
    'a: "x\r\ny"\r\n',
    "# c\r\na:\r\n  b: 1 \r\n",
    "\r\na: 1\r\n",
    "a: 1\rb: 2\n",
    "a:\t1\n",
    "a: x\u00a0\nb: \u00a0x\n",
    "a: x\u2028y\n",
    "# a\u2028b: 1\nc: 2\n",
    "a: 1\n\ufeffb: 2\n",
    "\ufeffa: 1\n",
    "a: x\x85y\n",
    "# \x1b\na: 1\n",
    'a: "\x1b"\n',
    "a: \x7f\n",
    "a: \ufffe\n",
    "a: \U0001f600\n",
    "name: \u0055\u0308ber\nnote: \u0055\u0308ber\nid: \u0055\u0308\nkind: \u0055\u0308\n",
    'name: "\u0055\u0308ber"\nnote: "\u2f00"\nquestionnaire: "\u2f00"\n',
    "a: weiß nicht\nb: nicht zutreffend\nc: n/a\nd: unknown\ne: Beratung Müller & Partner\n",
    'a: it\'s\nb: x "y"\nc: a, b\nd: x{y}\ne: x[y]\nf: x - y\ng: x*y&z!\n',
    "a: 1   \nb:    2\nc: x  y  \n",
    "# c\n\n   \n  # c\na: 1\n  # c\n\n# c",
    "",
    "# nur ein Kommentar\n",
    "\n\n",
    "".join(f"{' ' * (2 * i)}k{i}:\n" for i in range(20)) + " " * 40 + "x: 1\n",
]


ONE_LINE = [f"{line}\n" for text in NEAR for line in text.splitlines() if ":" in line]


@pytest.mark.parametrize(
    "text",
    [c[1].decode("utf-8", "replace") for c in CASES] + TRICKY + NEAR + ONE_LINE,
    ids=lambda t: repr(t)[:40],
)
def test_the_fast_reader_reads_what_the_full_reader_reads_or_leaves_it(text: str) -> None:
    agrees(text)


def test_the_plain_subset_is_read_fast() -> None:
    assert agrees("a: 1\r\nb: {c: x}\r\n# c\r\n\r\nd:\r\n  e: x y\r\n")  # saved on Windows
    assert agrees('a: 1\nb: {c: x, note: "y: z"}\nd:\n  e: 2026-03-01\n  f:\n  # c\ng: weiß nicht\n')
    assert agrees("name: 1230\nnote: 010\ngroup: 7\nversion: 2.0\ntitle: yes\nstate: ~\n")


def sheet_files() -> list[Path]:
    found = [
        *sorted((ROOT / "examples").glob("*.yaml")),
        *sorted((ROOT / "tests" / "calibration").rglob("*.yaml")),
    ]
    return found + sorted(DATA.rglob("*.yaml"))


def test_real_files_read_alike() -> None:
    read = sum(agrees(path.read_text(encoding="utf-8")) for path in sheet_files())
    assert read >= 20  # the calibration sheets and the example are plain


def test_benchmark_sheets_read_alike_and_all_fast(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from sheets import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from stufenplan_cli.files.catalog import Catalog

    for qid in ("stufenplan", "kurzcheck"):
        for path in generate(Catalog().by_id(qid), tmp_path / qid, 60, seed=3):
            assert agrees(path.read_text(encoding="utf-8")), path
            assert agrees(path.read_text(encoding="utf-8").replace("\n", "\r\n")), path  # saved on Windows
            assert load(path, plain=True).data == load(path).data


def test_load_with_the_fast_reader_gives_the_same_document(tmp_path: Path) -> None:
    path = tmp_path / "bogen.yaml"
    path.write_bytes(b"\xef\xbb\xbfquestionnaire: mini\nmunicipality: {name: X}\nanswers:\n  pilot: 2\n")
    fast, full = load(path, plain=True), load(path)
    assert fast.data == full.data and fast.lines == full.lines and fast.file == full.file
    path.write_bytes(b"- a\n")
    with pytest.raises(InputError, match="Zuordnung"):
        load(path, plain=True)


@given(st.from_regex(r"[0-9]{1,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9a-z:._+-]{1,8}", fullmatch=True))
def test_digits_and_dates_resolve_as_yaml_resolves_them(text: str) -> None:
    expected = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    assert plain_yaml._plain_tag(text) == expected
    agrees(f"a: {text}\nnote: {text}\n")


KEYS = ["a", "b", "name", "note", "id", "version", "kind", "value", "yes", "1", "a.b", "s1-x", "null", "<<"]
TEXTS = [
    "x", "x y", "weiß nicht", "n/a", "0", "2", "17", "010", "0x1F", "1_000", "12:30", "1.5", ".inf", "-3",
    "+4", "2026-03-15", "2026-02-30", "2026-3-5", "yes", "No", "~", "null", "", "a # b", "a: b", "a:b",
    "it's", '"q"', "[x]", "{y}", "&a", "*a", "!t", "|", ">", "%", "@", "`", " lead", "trail ", "\t",
    "x\u00a0y", "\u2028", "\x1b", "\ufeff", "u\u0308", "\u2f00", "a,b", "a?", "-", "- x", "#", "'",
]  # fmt: skip
# Mostly what the subset holds (so that most documents are read fast), sometimes anything.
SAFE = [
    "x", "x y", "weiß nicht", "n/a", "0", "2", "17", "010", "08", "1_000", "1.5", "2026-03-15", "2026-02-30",
    "1899-01-01", "yes", "No", "~", "null", "it's", "a,b", "x\u00a0y", "u\u0308", "\u2f00", "Müller & Partner",
]  # fmt: skip
scalars = (
    st.sampled_from(SAFE) | st.sampled_from(SAFE) | st.sampled_from(SAFE) | st.sampled_from(TEXTS)
).flatmap(lambda t: st.sampled_from([t] * 6 + [f'"{t}"'] * 3 + [f"'{t}'", f'"{t}\\"x"']))
keys = st.sampled_from([*"cdefghijklmnopqrstuvw", *KEYS[:8]]) | st.sampled_from(KEYS)
flows = st.lists(st.tuples(keys, scalars), min_size=1, max_size=4).map(
    lambda entries: "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Block mappings in and near the plain subset: nesting, comments, blank lines, odd indentation."""
    lines: list[str] = []
    depth = 0
    width = draw(st.sampled_from([2, 2, 4, 3]))
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(
            st.sampled_from(["pair"] * 5 + ["open", "close", "comment", "blank", "flow", "flow", "odd"])
        )
        indent = " " * (depth * width + draw(st.sampled_from([0] * 20 + [1, -1])))
        key = draw(keys)
        if kind == "pair":
            lines.append(f"{indent}{key}: {draw(scalars)}")
        elif kind == "flow":
            lines.append(f"{indent}{key}: {draw(flows)}")
        elif kind == "open":
            lines.append(f"{indent}{key}:")
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "comment":
            lines.append(" " * draw(st.integers(0, 6)) + "# " + draw(st.sampled_from(TEXTS)))
        elif kind == "blank":
            lines.append(" " * draw(st.integers(0, 3)))
        else:
            lines.append(
                indent + draw(st.sampled_from(["- x", "? x", "x", "---", f"{key} : 1", f"{key}: 1 # c"]))
            )
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))
    ending = draw(st.sampled_from(["\n"] * 6 + ["\r\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        return text.replace("\n", ending)
    return text.replace("\n", ending, 1)  # only the first line: mixed line endings


@settings(max_examples=1000, deadline=None)
@given(documents())
def test_any_document_near_the_subset_reads_alike(text: str) -> None:
    agrees(text)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.text(max_size=8) | st.integers(-5, 5000) | st.none() | st.booleans() | st.dates(),
        lambda c: st.dictionaries(st.text(max_size=6), c, max_size=4),
        max_leaves=12,
    )
)
def test_any_dumped_mapping_reads_alike(value: object) -> None:
    for style in (False, None):
        agrees(yaml.safe_dump({"data": value}, allow_unicode=True, default_flow_style=style))


def test_caches_stay_bounded() -> None:
    for i in range(plain_yaml._CACHE_MAX + 10):
        plain_data(f"a{i}: v{i}\n")
    assert len(plain_yaml._tags) <= plain_yaml._CACHE_MAX
    assert len(plain_yaml._simple_values) <= plain_yaml._CACHE_MAX
