"""The Hyperscan gate in front of the catalog's rules never rules out a rule that matches.

The gate may answer "possible" too often (prefilter mode), never too rarely: a rule it
drops is a credential nobody sees. So every test here is about the direction that loses
findings: a Python match the gate calls impossible.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blastscan.detectors.base import Document
from blastscan.detectors.knowledge.catalog import catalog
from blastscan.detectors.match import regex_gate
from blastscan.detectors.match.regex_gate import RegexGate
from blastscan.detectors.match.stand_in import MAX_REPLACED, reads_stand_ins, stand_in
from blastscan.scanner.models import SourceKind

hyperscan = pytest.importorskip("hyperscan")

# Shapes the catalog's rules use: keyword context, \b, \s, $, alternations, bounded
# repeats, caseless scopes; plus ones the gate must leave to Python.
_PATTERNS = (
    r"(?i)(?:sentry)(?:[ \t\w.-]{0,20})[\s'\"]{0,3}(?:=|:)[\x60'\"\s=]{0,5}([a-f0-9]{64})"
    r"(?:['\"\s;]|$)",
    r"\b(ATAT[A-Za-z0-9_\-=]{100,})(?:\\?['\"\x60]|[\s;]|\\[nr]|$)",
    r"(?:pat|sat)\.[a-zA-Z0-9_-]{22}\.[0-9a-f]{24}\.[a-zA-Z0-9]{20}",
    r"(?i:(?:poly.{0,20}private.{0,20}key)[ \t]{0,3})=\s*(0x[a-fA-F0-9]{64})",
    r"\bglpat-[0-9A-Za-z_-]{20}\b",
    r"token[ ]{,3}=[ ]*([a-z0-9]{8})",  # ``{,3}``: Python's repeat, PCRE's text
)
_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\t\n\r")
# Characters the engines read apart: accented letters, other scripts' digits, Unicode and
# ASCII separators, the IGNORECASE folds onto ASCII letters, symbols, controls.
_WIDE = _PRINTABLE | st.sampled_from(
    "\u00e9\u00df\u0663\u00bd\u00a0\u2003\x1c\x1f\x0b\x85\u0130\u0131\u017f\u212a"
    "\u2014\u0301\x00\x7f\u4e2d") | st.characters()


def _doc(text: str, path: str = "src/settings.py") -> Document:
    return Document(path, text, SourceKind.WORKTREE)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "blastscan"


def _gate(patterns: tuple[str, ...], name: str = "test-gate") -> RegexGate:
    return RegexGate(patterns, lambda: [re.compile(p) for p in patterns], name)


def _never_ruled_out(data: st.DataObject, gate: RegexGate,
                     patterns: tuple[re.Pattern[str], ...],
                     alphabet: st.SearchStrategy[str]) -> None:
    """A text drawn from one of ``patterns`` (after a line of anything) is never ruled out."""
    index = data.draw(st.integers(0, len(patterns) - 1))
    pattern = patterns[index]
    body = data.draw(st.from_regex(pattern, alphabet=alphabet))
    text = data.draw(st.text(alphabet, max_size=20)) + "\n" + body
    assert pattern.search(text)
    possible = gate.possible(_doc(text))
    assert possible is not None
    assert index in possible


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_python_match_is_never_ruled_out(data: st.DataObject) -> None:
    _never_ruled_out(data, _GATE, tuple(map(re.compile, _PATTERNS)), _WIDE)


_GATE = _gate(_PATTERNS, "property-gate")


def test_the_gate_rules_out_what_cannot_match(cache: Path) -> None:
    gate = _gate(_PATTERNS)
    possible = gate.possible(_doc("class Polymorphic:\n    cursor = None  # API-\n"))
    assert possible == {5}  # only the pattern the gate cannot read for Python


def test_wide_characters_are_read_through_their_stand_ins(cache: Path) -> None:
    gate = _gate((r"(?i)sentry[\w ]{0,20}=\s*([a-f0-9]{8})\b", r"[^a-z]{3}tok", r"xyz"))
    # ``é`` is \w and the separator \s to Python: the stand-in keeps both matches.
    assert gate.possible(_doc("SENTRY_\u00e9 =\x1c0123abcd\n")) == {0, 1}
    # The negated set would refuse the stand-in ``a`` for ``é``: it always runs there,
    assert gate.possible(_doc("author = 'Jos\u00e9'\n")) == {1}
    # and is ruled out like any other pattern in plain text.
    assert gate.possible(_doc("author = 'Jose'\n")) == frozenset()


def test_reads_stand_ins_refuses_only_what_a_stand_in_could_hide() -> None:
    assert reads_stand_ins(re.compile(r"\b(glpat-[\w-]{20})(?:['\"\s;]|$)"))
    assert reads_stand_ins(re.compile(r"[^\s'\"]{8}"))  # classes, not characters
    assert not reads_stand_ins(re.compile(r"[^a-z]x"))
    assert not reads_stand_ins(re.compile(r"(?i)[^A]x"))  # caseless: refuses ``a``
    assert not reads_stand_ins(re.compile(r"\u00e9t\u00e9"))  # names a wide character
    assert not reads_stand_ins(re.compile(r"[\u00c0-\u00ff]"))
    assert not reads_stand_ins(re.compile(r"x(?!y)"))


def test_a_stand_in_keeps_length_and_maps_by_class() -> None:
    text = "\u00e9\u0663\u2003\u212a\u2014a\x1c\x0b"
    assert stand_in(text, ascii_classes=False) == b"a0 k\x7fa  "
    assert stand_in(text, ascii_classes=True) == b"?????a\x7f "
    assert stand_in("\u00e9" * (MAX_REPLACED + 1), ascii_classes=False) is None


def test_the_database_is_cached_and_a_tampered_cache_is_compiled_again(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _gate(_PATTERNS).possible(_doc("x"))
    (stored,) = cache.glob("test-gate-*.hsdb")
    calls: list[int] = []
    real = regex_gate._compile

    def counting(items: list[tuple[int, bytes, int]]) -> object:
        calls.append(len(items))
        return real(items)

    monkeypatch.setattr(regex_gate, "_compile", counting)
    assert _gate(_PATTERNS).possible(_doc("sat." + "a" * 22)) is not None
    assert calls == []  # read from the cache
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0xFF
    stored.write_bytes(bytes(data))
    gate = _gate(_PATTERNS)
    assert gate.possible(_doc("glpat-" + "a" * 20)) is not None
    assert calls  # the damaged file was not loaded
    assert 4 in (gate.possible(_doc("glpat-" + "a" * 20)) or ())


def test_a_pattern_hyperscan_refuses_is_always_possible(cache: Path) -> None:
    # A lookbehind of unbounded width: Python refuses it too, so use one Hyperscan
    # refuses alone, an empty-matching pattern.
    gate = _gate((r"abc", r"x*"))
    assert gate.possible(_doc("nothing here")) == {1}


_RULES = tuple(r for r in catalog().rules if r.regex() is not None)
_CATALOG_GATE = RegexGate([r.pattern for r in _RULES], lambda: [r.regex() for r in _RULES],
                          "catalog-gate")


@pytest.mark.skipif(not _RULES, reason="no catalog installed (pip install 'blastscan[catalog]')")
@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_a_catalog_rule_matching_a_text_is_never_ruled_out(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(_RULES) - 1))
    regex = _RULES[index].regex()
    assert regex is not None
    sample = data.draw(st.from_regex(regex, alphabet=_WIDE))
    possible = _CATALOG_GATE.possible(_doc(sample))
    assert possible is not None
    assert index in possible, _RULES[index].id


_ASCII_BYTES = st.characters(max_codepoint=0x7F)  # controls included: no stand-in for these
_ASCII_PATTERNS = tuple(re.compile(p, re.ASCII) for p in _PATTERNS)
_ASCII_GATE = RegexGate([f"ascii:{p.pattern}" for p in _ASCII_PATTERNS],
                        lambda: _ASCII_PATTERNS, "ascii-property-gate")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_ascii_pattern_matching_ascii_text_with_controls_is_never_ruled_out(
        data: st.DataObject) -> None:
    # Every pattern re.ASCII: ASCII text is scanned as it is, controls and all.
    _never_ruled_out(data, _ASCII_GATE, _ASCII_PATTERNS, _ASCII_BYTES)


def test_a_database_hyperscan_cannot_scan_with_leaves_every_rule_to_run(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A home directory shared with a machine of another CPU can hold a database that
    # loads but does not scan here: the gate steps aside instead of failing the scan.
    gate = _gate(_PATTERNS)
    assert gate.possible(_doc("nothing")) is not None

    class Broken:
        def scan(self, *args: object, **kwargs: object) -> None:
            raise hyperscan.error("database was built for another platform")

    monkeypatch.setattr(gate, "_db", Broken())
    monkeypatch.setattr(gate._local, "scratch", object(), raising=False)
    assert gate.possible(_doc("nothing")) is None
    assert gate.possible(_doc("still nothing")) is None
