"""The keyword prefilter loses nothing: a gated detector finds what an ungated one does.

Every detector runs only on documents holding one of its keywords (registry.py); the
keywords are a speed-up, never a rule. These tests run each detector's samples, a set
of database URL spellings and odd Unicode through ``scan_document`` twice, gated and
with the gate removed, and require identical results; and they check that both engines
of the keyword index, and the fast paths beside it, answer exactly as the plain ones.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import pytest
from detect_secrets.filters.heuristic import is_indirect_reference

from blastscan.detectors import assign, generic, prefix, registry
from blastscan.detectors.agent_config import AGENT_CONFIG_FILES, is_agent_config
from blastscan.detectors.base import Detector, Document, Sample
from blastscan.detectors.keywords import KeywordIndex
from blastscan.detectors.knowledge import load
from blastscan.scanner.models import Candidate


@dataclass(frozen=True)
class _Ungated:
    """A detector with its keywords removed: it runs on every document."""

    inner: Detector
    keywords: tuple[str, ...] = ()
    positives: tuple[Sample, ...] = ()
    negatives: tuple[Sample, ...] = ()

    @property
    def id(self) -> str:
        return self.inner.id

    def detect(self, doc: Document) -> Iterator[Candidate]:
        return self.inner.detect(doc)


_UNGATED = tuple(_Ungated(d) for d in registry.DETECTORS)


def _both(path: str, text: str, detector: Detector) -> tuple[registry.Detection, ...]:
    doc = Document.of(path, text)
    return (registry.scan_document(doc, (detector,)),
            registry.scan_document(doc, (_Ungated(detector),)))


def _samples(attr: str) -> list[tuple[Detector, Sample]]:
    return [(d, s) for d in registry.DETECTORS for s in getattr(d, attr)]


def _id(value: object) -> str:
    return value.path if isinstance(value, Sample) else str(getattr(value, "id", value))


@pytest.mark.parametrize(("detector", "sample"), _samples("positives"), ids=_id)
def test_gate_keeps_every_positive(detector: Detector, sample: Sample) -> None:
    gated, ungated = _both(sample.path, sample.text, detector)
    assert gated.candidates
    assert gated == ungated


@pytest.mark.parametrize(("detector", "sample"), _samples("negatives"), ids=_id)
def test_negatives_stay_empty_with_and_without_gate(detector: Detector, sample: Sample) -> None:
    gated, ungated = _both(sample.path, sample.text, detector)
    assert not gated.candidates
    assert gated == ungated


@pytest.mark.parametrize("sample", [s for d in registry.DETECTORS
                                    for s in (*d.positives, *d.negatives)], ids=_id)
def test_whole_registry_gated_equals_ungated(sample: Sample) -> None:
    doc = Document.of(sample.path, sample.text)
    assert registry.scan_document(doc) == registry.scan_document(doc, _UNGATED)


# --- database-url: its keywords are the scheme forms its regexes require --------------

_PASSWORD = "Gl297da0jHT2hfj9wghd"
_BASES = ("postgres", "postgresql", "mysql", "mysql2", "mariadb", "mongodb", "redis", "rediss")
_CASES = (str.lower, str.upper, str.title)


def _url_texts() -> list[str]:
    texts = [f"DB={case(base)}{driver}://svc:{_PASSWORD}@db.example.net:5432/app\n"
             for base in _BASES for driver in ("", "+asyncpg", "+SRV") for case in _CASES]
    texts += [f"url={case('jdbc:' + base)}://db.example.net/app?user=svc&password={_PASSWORD}\n"
              for base in ("postgresql", "mysql", "mariadb") for case in _CASES]
    return texts


@pytest.mark.parametrize("text", _url_texts())
def test_every_scheme_spelling_passes_the_gate(text: str) -> None:
    (detector,) = [d for d in registry.DETECTORS if d.id == "database-url"]
    gated, ungated = _both(".env", text, detector)
    assert gated.candidates
    assert gated == ungated


# IGNORECASE matches long s, dotless i and dotted capital I for s and i; str.lower keeps
# them, so these spellings pass no keyword. They are not schemes: nothing is reported (a
# KeyError on the provider table, before), whether or not a bare name occurs elsewhere.
_ODD = ("po\u017ftgres", "mar\u0131adb", "mar\u0130adb", "redi\u017f", "jdbc:my\u017fql")


@pytest.mark.parametrize("scheme", _ODD)
@pytest.mark.parametrize("elsewhere", ["", "# see the postgres and redis docs\n"])
def test_case_folding_characters_are_not_schemes(scheme: str, elsewhere: str) -> None:
    (detector,) = [d for d in registry.DETECTORS if d.id == "database-url"]
    text = f"{elsewhere}DB={scheme}://svc:{_PASSWORD}@db.example.net/app?password={_PASSWORD}\n"
    gated, ungated = _both(".env", text, detector)
    assert gated == ungated
    assert not gated.candidates


# --- the keyword index: two engines, one answer ---------------------------------------

_KEYWORDS = sorted({k for d in registry.DETECTORS for k in d.keywords})


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    atoms = [*_KEYWORDS, "\n", " ", "\u0130", "\u017f", "é", "\U0001f600", "\ud800", "x", ":"]
    return ["".join(rng.choice(atoms)[: rng.randint(1, 12)] for _ in range(rng.randint(0, 40)))
            for _ in range(count)]


def test_both_engines_find_exactly_the_keywords_present() -> None:
    fast, plain = KeywordIndex(_KEYWORDS), KeywordIndex(_KEYWORDS, fast=False)
    assert plain.engine == "automaton"
    for text in _random_texts(seed=7, count=400):
        lowered = text.lower()
        expected = frozenset(k for k in _KEYWORDS if k in lowered)
        assert fast.present(lowered) == expected
        assert plain.present(lowered) == expected


def test_hyperscan_is_used_where_it_loads() -> None:
    pytest.importorskip("hyperscan")
    assert KeywordIndex(["token"]).engine == "hyperscan"


@pytest.mark.parametrize("fast", [True, False])
def test_no_keywords_and_the_empty_keyword_are_never_present(fast: bool) -> None:
    assert KeywordIndex([], fast=fast).present("token") == frozenset()
    assert KeywordIndex(["", "key"], fast=fast).present("a key") == frozenset({"key"})


# --- the fast paths keep the answers of the plain code they replace --------------------


def _lines_by_regex(doc: Document, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """The line selection generic-secret used before (one alternation regex)."""
    near, text, end, found = re.compile("|".join(words)), doc.text, -1, []
    for hit in near.finditer(doc.lowered):
        if hit.start() <= end:
            continue
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.start())
        end = len(text) if end == -1 else end
        found.append((start, end))
    return found


def test_generic_lines_are_the_ones_the_regex_found() -> None:
    rng = random.Random(11)
    words = ("token", "secret", "passw", "key", "auth", "credential", "pwd")
    atoms = [*words, "secretoken", "\n", " ", "=", "x", "\u0130", "KEY", "\u017f"]
    for _ in range(500):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 30)))
        doc = Document.of("a.env", text)
        assert assign._lines_holding(doc, words) == _lines_by_regex(doc, words), text


def _agent_config_before(path: str) -> bool:
    """is_agent_config as written before its fast paths."""
    path = "/" + path.removeprefix("~/")
    if any(path.endswith("/" + name) for name in AGENT_CONFIG_FILES):
        return True
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    windsurf = ".windsurf" in parts and "mcp" in name
    return name.endswith(".json") and (
        windsurf or (".codeium" in parts and name == "mcp_config.json"))


_PATH_ATOMS = ("a", ".", "..", "", "~", "x.py", ".env", "c.tar.gz", "y.", ".windsurf",
               ".codeium", "mcp.json", "mcp_config.json", "opencode.json", ".cursor", "d..e")


def _paths() -> Iterator[str]:
    rng = random.Random(3)
    for _ in range(3000):
        path = "/".join(rng.choice(_PATH_ATOMS) for _ in range(rng.randint(1, 4)))
        yield rng.choice(("", "/", "./", "~/")) + path + rng.choice(("", "/", "/."))


def test_path_fast_paths_agree_with_pathlib() -> None:
    for path in _paths():
        assert generic._suffix(path) == PurePosixPath(path).suffix, path
        assert is_agent_config(path) == _agent_config_before(path), path


# --- prefix.finditer: the same matches as pattern.finditer -----------------------------


@pytest.mark.parametrize(("pattern", "opening"), [
    (r"\b(s\.(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{24})\b", "s."),
    (r"(?<![\w-])(?=x)(dckr_pat_[a-z]{4})", "dckr_pat_"),
    (r"\A(?:ab)(c)d+", "abc"),  # the repeat ends the text
    (r"(?!ab)ac", "ac"),
    (r"(?i)AIza[\w-]{35}", ""),  # case-insensitive: no opening text
    (r"x(?i:abc)", ""),  # one character is too little to search for
    (r"ab|cd", ""),
    (r"a*bc", ""),
    (r"\bAIza[\w-]{35}", "AIza"),
])
def test_leading_text(pattern: str, opening: str) -> None:
    assert prefix.leading_text(re.compile(pattern)) == opening


def _formats() -> list[re.Pattern[str]]:
    return [f.regex for p in load().values() for f in p.formats]


def test_prefix_finditer_matches_finditer_on_every_format() -> None:
    rng = random.Random(13)
    texts = [s.text for p in load().values() for s in p.samples]
    texts += [s.text for d in registry.DETECTORS for s in (*d.positives, *d.negatives)]
    for pattern in _formats():
        opening = prefix.leading_text(pattern)
        pieces = [*texts[:: max(1, len(texts) // 20)], opening * 2, opening, "\n", " ", "_", "."]
        cases = [*texts, *("".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
                           for _ in range(30))]
        for text in cases:
            fast = [(m.span(), m.groups()) for m in prefix.finditer(pattern, text)]
            assert fast == [(m.span(), m.groups()) for m in pattern.finditer(text)], pattern
    assert sum(bool(prefix.leading_text(p)) for p in _formats()) > 40  # the fast path runs


def test_line_spans_match_a_search_for_the_newline() -> None:
    for text in _random_texts(seed=5, count=200):
        doc = Document.of("a.txt", text)
        for number in range(0, text.count("\n") + 3):
            start = sum(len(x) + 1 for x in text.split("\n")[: number - 1])
            end = text.find("\n", start)
            expected = "" if not 1 <= number <= text.count("\n") + 1 else (
                text[start:] if end == -1 else text[start:end])
            assert doc.line(number) == expected


def test_long_lines_are_never_indirect_references() -> None:
    """generic-secret skips detect-secrets' check on lines over its cap without copying
    them; this pins the cap it relies on."""
    line = "token = get_token()"
    assert is_indirect_reference(line)
    assert is_indirect_reference(line + " " * (generic._INDIRECT_MAX - len(line)))
    assert not is_indirect_reference(line + " " * (generic._INDIRECT_MAX + 1 - len(line)))
