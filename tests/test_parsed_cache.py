"""The JSON copy of parsed TOML in the user's cache: the same data, or a fresh parse."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli

from blastscan.detectors.cache import parsed_via_cache
from blastscan.detectors.knowledge import loader


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "blastscan"


def _counting() -> tuple[list[int], Callable[[int, str], Any]]:
    calls: list[int] = []

    def parse(index: int, text: str) -> Any:
        calls.append(index)
        return tomli.loads(text)
    return calls, parse


def test_a_second_read_is_the_first_parse_without_parsing(cache: Path) -> None:
    texts = ['a = 1\nb = ["x", 2.5, true]\n[t]\nc = "é"\n', "d = inf\n"]
    calls, parse = _counting()
    first = parsed_via_cache("t", "v1", texts, parse)
    second = parsed_via_cache("t", "v1", texts, parse)
    assert first == second == [tomli.loads(t) for t in texts]
    assert calls == [0, 1]  # parsed once
    assert len(list(cache.glob("t-*.json"))) == 1
    parsed_via_cache("t", "v1", [texts[0], "d = 2\n"], parse)
    parsed_via_cache("t", "v2", texts, parse)
    assert calls == [0, 1, 0, 1, 0, 1]  # other texts, another parser: parsed again


def test_a_tampered_copy_is_parsed_again(cache: Path) -> None:
    calls, parse = _counting()
    parsed_via_cache("t", "v1", ["a = 1\n"], parse)
    (copy,) = cache.glob("t-*.json")
    data = copy.read_bytes()  # a SHA-256 of the body, then the body
    copy.write_bytes(data[:32] + data[32:].replace(b"1", b"2"))
    assert parsed_via_cache("t", "v1", ["a = 1\n"], parse) == [{"a": 1}]
    assert calls == [0, 0]


def test_data_json_cannot_hold_is_not_cached_and_errors_write_nothing(cache: Path) -> None:
    calls, parse = _counting()
    dated = ["when = 2026-12-08\n"]
    for _ in range(2):
        assert parsed_via_cache("t", "v1", dated, parse) == [
            {"when": datetime.date(2026, 12, 8)}]
    assert calls == [0, 0]
    with pytest.raises(tomli.TOMLDecodeError):
        parsed_via_cache("t", "v1", ["= broken"], parse)
    assert list(cache.glob("t-*.json")) == []


def test_the_knowledge_base_reads_the_same_from_its_copy(cache: Path) -> None:
    loader.load.cache_clear()
    try:
        fresh = loader.load()
        assert list(cache.glob("knowledge-*.json"))
        loader.load.cache_clear()
        assert loader.load() == fresh
    finally:
        loader.load.cache_clear()
