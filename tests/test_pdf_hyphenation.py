"""German hyphenation patterns for the PDF come from the user's cache: the same breaks, any fault falls back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stufenplan_cli.render.hyphenation import preload_patterns
from tests.test_render import DATA, scored

pyphen = pytest.importorskip("pyphen")

WORDS = [
    "Digitalisierungsbeauftragte",
    "Verwaltungsspitze",
    "Onlinezugangsgesetz",
    "Haushaltsstelle",
    "Stufe",
]


@pytest.fixture
def fresh_pyphen(monkeypatch: pytest.MonkeyPatch) -> dict[object, object]:
    """pyphen as in a new process: no parsed pattern file in its own cache."""
    cache: dict[object, object] = {}
    monkeypatch.setattr(pyphen, "hdcache", cache)
    monkeypatch.delenv("STUFENPLAN_NO_CACHE", raising=False)
    return cache


def cached_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "stufenplan" / "hyphenation").glob("*.marshal"))


def breaks(dictionary: object) -> list[list[int]]:
    return [list(dictionary.positions(word)) for word in WORDS]  # type: ignore[attr-defined]


def test_patterns_read_back_from_the_cache_hyphenate_as_parsed_ones(
    fresh_pyphen: dict[object, object],
) -> None:
    path = pyphen.LANGUAGES[pyphen.language_fallback("de")]
    parsed = breaks(pyphen.HyphDict(path))
    preload_patterns()
    assert len(cached_files()) == 1 and breaks(fresh_pyphen[path]) == parsed
    fresh_pyphen.clear()
    preload_patterns()  # now from the file
    assert breaks(fresh_pyphen[path]) == parsed and parsed[0]  # "Digitalisierungsbeauftragte" has breaks
    assert breaks(pyphen.Pyphen(lang="de").hd) == parsed  # WeasyPrint's way in finds them


def test_a_broken_or_unsafe_cache_only_costs_the_parsing(
    fresh_pyphen: dict[object, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    preload_patterns()
    (cached,) = cached_files()
    cached.write_bytes(b"\xff not marshal")
    fresh_pyphen.clear()
    preload_patterns()  # parsed again and written anew
    assert fresh_pyphen and cached.stat().st_size > 100_000
    if os.name == "posix":  # a folder others may write to is not read
        cached.parent.chmod(0o777)
        cached.write_bytes(b"\xff not marshal")
        fresh_pyphen.clear()
        preload_patterns()  # left to pyphen, which parses when WeasyPrint asks
        assert not fresh_pyphen and cached.read_bytes() == b"\xff not marshal"
        cached.parent.chmod(0o700)
    monkeypatch.setenv("STUFENPLAN_NO_CACHE", "1")
    cached.unlink()
    fresh_pyphen.clear()
    preload_patterns()
    assert not fresh_pyphen and cached_files() == []  # pyphen parses as before, when WeasyPrint asks


def test_the_pdf_is_the_same_with_and_without_the_cache(
    fresh_pyphen: dict[object, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("weasyprint")
    from stufenplan_cli.render import render

    result, q = scored(DATA / "roadmap-sheet.yaml")
    monkeypatch.setenv("STUFENPLAN_NO_CACHE", "1")
    parsed = render(result, q, "pdf")
    monkeypatch.delenv("STUFENPLAN_NO_CACHE")
    fresh_pyphen.clear()
    preload_patterns()  # writes the cache
    fresh_pyphen.clear()
    assert render(result, q, "pdf") == parsed and cached_files()
