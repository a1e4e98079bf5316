"""Hyperscan databases kept in the user's cache: the same answers, or a fresh compile."""

from __future__ import annotations

from pathlib import Path

import pytest

from blastscan.detectors.base import Document
from blastscan.detectors.match import keywords
from blastscan.detectors.match.keywords import KeywordIndex

hyperscan = pytest.importorskip("hyperscan")

_WORDS = tuple(f"word{i:04d}x" for i in range(2000))  # slow enough to compile to be kept


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "blastscan"


def _found(index: KeywordIndex) -> frozenset[str]:
    return index.present(f"a {_WORDS[7]} b {_WORDS[1999]} c word")


def test_a_slow_database_is_kept_and_read_back_with_the_same_answers(cache: Path) -> None:
    fresh = _found(KeywordIndex(_WORDS))
    assert fresh == {_WORDS[7], _WORDS[1999]}
    (kept,) = cache.glob("hs-*.db")
    assert _found(KeywordIndex(_WORDS)) == fresh
    kept.write_bytes(kept.read_bytes()[:32] + b"not a database")  # fails its SHA-256
    assert _found(KeywordIndex(_WORDS)) == fresh
    assert len(list(cache.glob("hs-*.db"))) == 1


def test_a_fast_database_is_not_kept(cache: Path) -> None:
    index = KeywordIndex(("alpha", "beta"))
    assert index.present_in(Document.of("a", "Alpha and gamma")) == {"alpha"}
    assert list(cache.glob("hs-*.db")) == []


def test_a_copy_that_cannot_scan_here_is_compiled_again(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    KeywordIndex(_WORDS).present("x")  # kept

    class Foreign:  # what another CPU's database does: loads, then refuses to scan
        def scan(self, *args: object, **kwargs: object) -> None:
            raise hyperscan.error("database was built for a different platform")

    monkeypatch.setattr(keywords, "_cached_database", lambda *args: Foreign())
    monkeypatch.setattr(keywords._Database, "_scratch", lambda self: None)
    database = keywords._Database(tuple(w.encode() for w in _WORDS), flags=0, literal=True)
    assert not isinstance(database._database, Foreign)
