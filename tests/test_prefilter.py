"""The keyword prefilter loses nothing: a gated detector finds what an ungated one does.

Every detector runs only on documents holding one of its keywords (registry.py); the
keywords are a speed-up, never a rule. These tests run each detector's samples, a set
of database URL spellings and odd Unicode through ``scan_document`` twice, gated and
with the gate removed, and require identical results; and they check that both engines
of the keyword index, and the fast paths beside it, answer exactly as the plain ones:
regexes tried only where their openings occur, assignments found from the names that
hold a word, AWS secrets from runs of 40 bytes, kubeconfig sections from the lines that
name them, line numbers counted rather than looked up.
"""

from __future__ import annotations

import bisect
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from string import ascii_lowercase

import pytest
from detect_secrets.filters.heuristic import is_indirect_reference

from blastscan.detectors import registry
from blastscan.detectors.base import LOWERS_TO_ASCII, Detector, Document, Sample
from blastscan.detectors.evidence import usage
from blastscan.detectors.knowledge.loader import load
from blastscan.detectors.match import assign, prefix
from blastscan.detectors.match.keywords import KeywordIndex, MatchEnds, TextStarts
from blastscan.detectors.providers import (
    aws,
    commands,
    connection_string,
    database_url,
    generic,
    http_auth,
    kubeconfig,
    markup,
    supabase,
    url_token,
)
from blastscan.detectors.providers.agent_config import AGENT_CONFIG_FILES, is_agent_config
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


def test_the_keyword_lookup_picks_exactly_the_open_gates_in_registry_order() -> None:
    rng = random.Random(5)
    words = sorted({k for d in registry.DETECTORS for k in d.keywords})
    for size in (0, 1, 2, 3, 8, 40):
        for _ in range(30):
            present = frozenset(rng.sample(words, size))
            expected = [d for d in registry.DETECTORS
                        if not d.keywords or not present.isdisjoint(d.keywords)]
            assert list(registry._chosen(registry.DETECTORS, present, ())) == expected


def test_a_name_satisfies_a_file_keyword_exactly_when_it_ends_so() -> None:
    suffixes = registry._file_suffixes(registry.DETECTORS)
    assert suffixes  # .pgpass and the like
    for suffix in suffixes:
        for path in (f"ops/{suffix}", f"ops/X{suffix.upper()}", f"ops/{suffix}.bak"):
            expected = {registry.FILE_KEYWORD + s for s in suffixes
                        if path.rsplit("/", 1)[-1].lower().endswith(s)}
            assert registry.named_present(path) == expected


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
    atoms = [*_KEYWORDS, "\n", " ", "\u0130", "\u017f", "\u212a", "é", "\U0001f600", "\ud800",
             "x", ":", "KEY", "Token"]
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


def test_present_in_reads_the_documents_bytes_as_present_reads_the_text() -> None:
    fast = KeywordIndex(_KEYWORDS)
    for text in _random_texts(seed=43, count=200):
        doc = Document.of("a.txt", text)
        assert fast.present_in(doc) == fast.present(doc.lowered)
        odd = any(c in text for c in LOWERS_TO_ASCII)
        assert doc.folded == (doc.lowered if odd else text).encode("utf-8", "surrogatepass")


def test_the_unicode_space_regex_is_pythons_whitespace_in_utf8() -> None:
    # Every code point on its own: a match exactly where ``str.isspace`` (Python's \s).
    from blastscan.detectors.match.keywords import UNICODE_SPACE

    ends = MatchEnds((f"^{UNICODE_SPACE}$",))
    wrong = [hex(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000
             and ends.found_in(Document.of("a", chr(code))) is not chr(code).isspace()]
    assert wrong == []


def test_text_starts_are_where_the_texts_occur() -> None:
    pytest.importorskip("hyperscan")
    texts = ("ab", "bab", "c:", "abc")
    starts = TextStarts(texts)
    rng = random.Random(53)
    atoms = ["a", "b", "c", ":", "AB", "é", "\U0001f600", "\ud800", "\n", "\u0130", "\u212a"]
    for _ in range(500):
        doc = Document.of("a", "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12))))
        expected = sorted({i for t in texts for i in range(len(doc.lowered))
                           if doc.lowered.startswith(t, i)})
        assert starts.starts(doc) == expected, doc.lowered


def test_match_ends_are_where_some_match_ends() -> None:
    pytest.importorskip("hyperscan")
    expression = r"(?:key|auth)[a-z_]*[ \t]*[:=]"
    ends = MatchEnds([expression])
    pattern = re.compile(expression)
    rng = random.Random(47)
    atoms = ["key", "KEY", "auth", "_x", " ", "\t", ":", "=", "é", "\U0001f600", "\ud800", "\n",
             "\u0130", "\u212a", "Auth"]
    for _ in range(500):
        doc = Document.of("a", "".join(rng.choice(atoms) for _ in range(rng.randint(0, 10))))
        text = doc.lowered
        expected = [e for e in range(len(text) + 1)
                    if any(pattern.fullmatch(text, s, e) for s in range(e))]
        assert ends.ends(doc) == expected, text


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


_WORDS = ("token", "secret", "passw", "key", "auth", "credential", "pwd")
# Names, operators, quotes, blanks and values in the shapes the assignment regex reads,
# and the ways one match hides the next (``x=token=…``: the token is x's value).
_ASSIGN_ATOMS = ("token", "Secret", "API_KEY", "pass", "w", "x", "a.b-c", "_", "9", "=",
                 ":", ":=", "=>", " ", "\t", "\n", '"', "'", "`", "]", "[", "f", "(", ")",
                 ",", ";", "#", "}", "v4lue", "Sj6xrWmPqcgSUWcVZV7vwrdjo7WAsrDr", "a" * 79,
                 "\u212a", "\u0130", "\u00e9", "x=token=", "key: ", " = ", "\"k\": \"")


class _NoHyperscan:
    def ends(self, doc: Document) -> None:
        return None


def _named_by_regex(doc: Document, keep: Callable[[str, str], bool]) -> list[assign.Assignment]:
    """What generic-secret read before: every assignment on the lines holding a word."""
    return [a for a in assign.assignments(doc, near=_WORDS)
            if any(w in a.name.lower() for w in _WORDS) and keep(a.name, a.value)]


@pytest.mark.parametrize("hyperscan", [True, False])
def test_named_assignments_are_the_ones_every_position_finds(
        hyperscan: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hyperscan:
        monkeypatch.setattr(assign, "_name_ends", lambda words: _NoHyperscan())
    rng = random.Random(17)
    for keep in (lambda name, value: True, lambda name, value: len(value) % 2 == 0):
        for _ in range(3000):
            text = "".join(rng.choice(_ASSIGN_ATOMS) for _ in range(rng.randint(0, 24)))
            doc = Document.of("a.env", text)
            assert list(assign.named(doc, _WORDS, keep)) == _named_by_regex(doc, keep), text


def test_named_assignments_on_the_samples() -> None:
    texts = [s.text for d in registry.DETECTORS for s in (*d.positives, *d.negatives)]
    texts += [s.text for p in load().values() for s in p.samples]
    for text in texts:
        doc = Document.of("a.env", text)
        assert list(assign.named(doc, _WORDS, lambda n, v: True)) == _named_by_regex(
            doc, lambda n, v: True)


def test_secret_name_and_value_caches_answer_as_the_regexes() -> None:
    names = ["NextToken", "apiKey", "primaryKey", "db_password", "csrf_token", "KEY_ID",
             "credentialsId", "AUTH_TOKEN", "x_pwd", "publicKey", "authorId", "sortKey"]
    for name in names:
        camel = bool(generic._CAMEL_KEY.search(name)) and not generic._DATA_KEY.search(name)
        says = (assign.is_secret_name(name) or camel) and not generic._NOT_SECRET_NAME.search(
            name)
        assert generic._secret_name(name) == (says, says and bool(
            generic._PASSWORD_NAME.search(name)))


def test_indirect_reference_needs_brackets() -> None:
    rng = random.Random(19)
    atoms = ["token", " = ", "==", ":=", "get", "(", ")", "[", "]", "'k'", ".", "\n", "x"]
    for _ in range(2000):
        line = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        assert generic._is_indirect(line) == is_indirect_reference(line), line


def test_aws_secret_starts_are_the_regex_matches() -> None:
    rng = random.Random(23)
    atoms = ["A" * 39, "b", "/", "+", "=", "9", " ", "\n", "é", "\ud800", "\U0001f600", "\u212a",
             "\u0130", "-", "cm9d0HUNFbhnDYG4Sqhva3oc6MPUZgn/iPYmFThw"]
    for _ in range(2000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 10)))
        assert list(aws._secret_starts(text)) == [m.start() for m in aws._SECRET.finditer(text)]


def test_aws_secret_names_need_the_text_the_lowered_check_looks_for() -> None:
    rng = random.Random(29)
    atoms = ["aws", "AWS", "secret", "SECRET", "_", "-", ".", "access", "Access", "key", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 8)))
        lowered = text.lower()
        assert aws._may_name_aws_secret(lowered) == bool(aws._AWS_SECRET_LOWERED.search(lowered))
        if aws._AWS_SECRET_NAME.search(text):  # (names are ASCII)
            assert aws._may_name_aws_secret(lowered), text


def test_kubeconfig_checks_are_the_regexes() -> None:
    rng = random.Random(31)
    atoms = ["clusters", "users", "contexts", "kind", "config", ":", " ", "\n", "\t", '"', "'",
             "x", "- ", "\u2028", "Config"]
    for _ in range(4000):
        lowered = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 14))).lower()
        sections = set(kubeconfig._SECTIONS.findall(lowered))
        assert kubeconfig._has_sections(lowered) == (sections == {"clusters", "users", "contexts"})
        assert kubeconfig._is_config(lowered) == bool(kubeconfig._KIND_CONFIG.search(lowered))


@pytest.mark.parametrize(("text", "config"), [
    ("kind: Config\n", True),
    ("users: []\n# clusters are listed below\nclusters: []\ncontexts: []\n", True),
    ("users: []\nclusters: x # contexts: y\n", False),
    ("'users':\n\n  \"clusters\" :\n\n\ncontexts:", True),
    ("users:\n  - clusters:\ncontexts:\n", False),
])
def test_kubeconfig_is_read_where_the_regexes_say(text: str, config: bool) -> None:
    lowered = text.lower()
    sections = set(kubeconfig._SECTIONS.findall(lowered))
    by_regex = bool(kubeconfig._KIND_CONFIG.search(lowered)) or len(sections) == 3
    assert by_regex is config
    assert (kubeconfig._is_config(lowered) or kubeconfig._has_sections(lowered)) is config


@pytest.mark.parametrize("digit", "0123456789")
def test_mailchimp_keys_pass_the_gate_for_every_datacenter(digit: str) -> None:
    """The keywords are ``-us`` and a digit: the regex's own ending, for every digit."""
    (detector,) = [d for d in registry.DETECTORS if d.id == "detect-secrets"]
    text = f"MAILCHIMP = 'f2b9c1e7a8d3406b9e5c4a1d2f3e4b5c-us{digit}{digit}'\n"
    gated, ungated = _both("mail.py", text, detector)
    assert [c.provider for c in gated.candidates] == ["mailchimp"]
    assert gated == ungated


def test_line_numbers_counted_or_indexed_agree() -> None:
    rng = random.Random(37)
    for text in _random_texts(seed=41, count=100):
        doc, indexed = Document.of("a.txt", text), Document.of("a.txt", text)
        indexed._starts()  # builds the index: every lookup bisects
        for _ in range(30):  # past the counting budget, into the index
            offset = rng.randint(0, len(text) + 2)
            assert doc.line_no(offset) == indexed.line_no(offset)
            assert doc.line_no(offset) == bisect.bisect_right(indexed._starts(), offset)


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


@pytest.mark.parametrize(("pattern", "texts", "shifts", "folded", "boundary"), [
    (r"\b(s\.(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{24})\b", ("s.",), (0,), False, True),
    (r"(?<![\w-])(?=x)(dckr_pat_[a-z]{4})", ("dckr_pat_",), (0,), False, False),
    (r"\A(?:ab)(c)d+", ("abc",), (0,), False, False),  # the repeat ends the text
    (r"(?!ab)ac", ("ac",), (0,), False, False),
    (r"(?i)AIza[\w-]{35}", ("aiza",), (0,), True, False),  # lowercase, for lowered text
    (r"x(?i:abc)", (), (0,), False, False),  # one letter is too little to search for
    (r"ab|cd", ("ab", "cd"), (0,), False, False),
    (r"a*bc", (), (0,), False, False),  # no bound on where the text starts
    (r"\bAIza[\w-]{35}", ("AIza",), (0,), False, True),
    (r"\b((?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16})\b", ("A3T", "AKIA", "ASIA"), (0,), False,
     False),
    (r"\b([0-9a-f]{8}-[0-9a-f]{4})\b", ("-",), (8,), False, False),  # fixed width first
    (r"(?:^|\s)(?:-u|--user)\s*x", ("--user", "-u"), (0, 1), False, False),
    (r"\d{15,16}(?:\||%7[cC])", ("%7C", "%7c", "|"), (15, 16), False, False),
    (r"\b(xox[ar]-\d)", ("xox",), (0,), False, True),  # one common start, not two texts
    (r"(?i)jdbc:(?:postgresql|mysql)://", ("jdbc:",), (0,), True, False),
    (r"(?i:abc)d", ("abc",), (0,), True, False),  # ``d`` is case-sensitive: not folded
    (r"\d{1,9}ab", (), (0,), False, False),  # too many places the text may start
    (r"(?:ab|\d+)cd", (), (0,), False, False),
    (r"(?:ab\d|cd)e", ("ab", "cde"), (0,), False, False),  # ``ab`` stops, ``cd`` goes on
])
def test_openings(pattern: str, texts: tuple[str, ...], shifts: tuple[int, ...],
                  folded: bool, boundary: bool) -> None:
    assert prefix.openings(re.compile(pattern)) == prefix.Openings(
        texts, shifts, folded, boundary)


def _patterns() -> list[re.Pattern[str]]:
    """Every regex the detectors run through ``prefix.finditer``."""
    return [*(f.regex for p in load().values() for f in p.formats), aws._KEY_ID,
            http_auth._HEADER, http_auth._CURL_USER, database_url._URL, database_url._JDBC,
            kubeconfig._KIND_CONFIG, *(p for _, _, p in usage._PATTERNS), usage._MUTATION,
            usage._CLI, commands._SQL, commands._FLAGS, markup._ELEMENT, markup._PW_KEY,
            url_token._QUERY, connection_string._PASSWORD, supabase._JWT, supabase._PAT,
            supabase._SECRET, supabase._PROJECT_URL, *map(re.compile, _SHAPES)]


# Shapes no format has yet: texts that stop early, sets, folding, fixed widths.
_SHAPES = (r"(?:ab\d|cd)e", r"\b(?:x[0-9a-f]{2}|yz)-q", r"(?i)(?:ab|c\d)d", r"[ab]{2}cd[ef]g",
           r"(?<!\w)(?i:SKI)\b", r"(?:^|[\s:])\d{2,3}KI", r"(?:Ab|cD\d)e")


# IGNORECASE folds these onto ASCII letters, and ``str.lower`` changes or keeps them.
_FOLDING = ("\u0130", "\u0131", "\u017f", "\u212a", "I", "S", "K", "é", "\U0001f600")


def _cases(pattern: re.Pattern[str], texts: list[str], rng: random.Random) -> list[str]:
    found = prefix.openings(pattern)
    pieces = [*texts[:: max(1, len(texts) // 20)], *found.texts, *(t.upper() for t in found.texts),
              *_FOLDING, "\n", " ", "_", ".", "-", "0123456789abcdef"]
    cases = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(40)]
    # The same texts with a letter swapped for a character the regex folds onto it.
    swaps = {"i": "\u0131", "s": "\u017f", "k": "\u212a", "I": "\u0130"}
    for text in [*texts, *cases[:20]]:
        letters = [i for i, c in enumerate(text) if c in swaps]
        if letters:
            i = rng.choice(letters)
            cases.append(text[:i] + swaps[text[i]] + text[i + 1:])
    return [*texts, *cases]


def test_prefix_finditer_matches_finditer_on_every_pattern() -> None:
    rng = random.Random(13)
    texts = [s.text for p in load().values() for s in p.samples]
    texts += [s.text for d in registry.DETECTORS for s in (*d.positives, *d.negatives)]
    texts += _url_texts()
    for pattern in _patterns():
        for text in _cases(pattern, texts, rng):
            slow = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            for lowered in (text.lower(), None):
                fast = [(m.span(), m.groups()) for m in prefix.finditer(pattern, text, lowered)]
                assert fast == slow, (pattern, text)
            doc = Document.of("a.txt", text)
            assert [(m.span(), m.groups()) for m in prefix.finditer_in(pattern, doc)] == slow
    # The fast paths run: most formats have openings, several of each kind.
    found = [prefix.openings(p) for p in _patterns()]
    assert sum(bool(o.texts) for o in found) > 60
    assert sum(o.folded for o in found) > 10
    assert sum(o.boundary for o in found) > 30
    assert sum(o.shifts != (0,) for o in found) > 4


def test_the_caseless_text_spells_every_ascii_letter_ignorecase_matches() -> None:
    # Where a character lowers to more than one, or IGNORECASE folds it onto an ASCII
    # letter that ``str.lower`` does not give: the caseless text has that letter, in place.
    text = "".join(map(chr, range(sys.maxunicode + 1)))
    caseless = Document.of("a.txt", text).caseless
    assert len(caseless) == len(text)
    folding = list(re.finditer(r"[a-z]", text, re.IGNORECASE))
    assert len(folding) > 52  # the four odd ones among them
    for m in folding:
        letter = caseless[m.start()]
        assert letter in ascii_lowercase, m.group()
        assert re.fullmatch(letter, m.group(), re.IGNORECASE), m.group()


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(?:aab\d|ab)c", "aabc"),  # texts that overlap: ``ab`` inside ``aab``
    (r"(?:^|\s)(?:-u|--user)x", "--userx -ux\n-ux"),  # starts before the text
    (r"\d{2,3}(?:\||%7c)x", "1234|x 12%7cx"),
])
def test_overlapping_and_shifted_openings(pattern: str, text: str) -> None:
    regex = re.compile(pattern)
    assert [m.span() for m in prefix.finditer(regex, text)] == [
        m.span() for m in regex.finditer(text)]
    assert [m.span() for m in regex.finditer(text)]


@pytest.mark.parametrize("odd", ["\u0130", "\u0131", "\u017f"])
def test_folded_openings_fall_back_where_lowering_misses_a_spelling(odd: str) -> None:
    assert not prefix.folds_in_place(f"x{odd}", f"x{odd}".lower())
    assert prefix.folds_in_place("x\u212a\u00e9", "x\u212a\u00e9".lower())  # Kelvin: ``k``


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
