"""The file pass's one caseless keyword pass and the gates that read it.

Every collector's gate words are found in one Hyperscan pass over a document's bytes
(``filescan._VOCABULARY``); each collector reads its own off the document. These tests
pin what that relies on: which bytes are scanned (the text itself unless lowering could
turn a character into ASCII), that each gate's answer equals ``word in text.lower()``,
and that the gates added with it (JSON keys, Railway mutations, IaC texts) never hide
what the readers would find.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from blastscan.detectors import registry
from blastscan.detectors.base import LOWERS_TO_ASCII, Document
from blastscan.detectors.evidence import code, iac, usage
from blastscan.detectors.evidence.code import config
from blastscan.detectors.evidence.code.parsers import parse
from blastscan.detectors.providers import agent_config
from blastscan.scanner.pipeline import filescan

_FIXTURES = Path(__file__).parent / "fixtures"
_INDEXES = (registry.INDEX, code.GATES, usage.GATES, iac.GATES)


def test_only_the_listed_characters_lower_to_ascii_or_change_length() -> None:
    odd = tuple(c for c in map(chr, range(0x80, sys.maxunicode + 1))
                if (low := c.lower()) != c and (len(low) != 1 or low.isascii()))
    assert odd == LOWERS_TO_ASCII


def test_the_vocabulary_holds_every_gate_word() -> None:
    for index in _INDEXES:
        assert index.words <= filescan._VOCABULARY.words
    assert all(w.isascii() and w == w.lower() for w in filescan._VOCABULARY.words)


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    words = sorted(filescan._VOCABULARY.words)
    atoms = [*rng.sample(words, 60), "\u0130", "\u212a", "\u017f", "é", "\U0001f600", "\ud800",
             "\n", " ", "KEY", "Token", "Authorization", '"Env"', "AWS::", "Kind:"]
    return ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_each_gate_reads_off_the_shared_pass_what_the_lowered_text_holds() -> None:
    for text in _texts(seed=3, count=300):
        doc = Document.of("a.json", text)
        filescan._VOCABULARY.present_in(doc)
        lowered = text.lower()
        for index in _INDEXES:
            assert index.present_in(doc) == frozenset(w for w in index.words if w in lowered)


def test_non_ascii_text_is_scanned_unlowered_unless_a_character_lowers_to_ascii() -> None:
    assert Document.of("a", "é Token").folded == "é Token".encode()
    assert Document.of("a", "\u212a").folded == b"k"
    # The Kelvin sign is ``k`` to a lowered search: the keyword is found either way.
    assert "key" in registry.INDEX.present_in(Document.of("a", "\u212aEY = 1"))


# --- JSON: no key a rule reads, no parse --------------------------------------------------


def _json_files() -> list[Path]:
    return sorted(p for p in _FIXTURES.rglob("*.json") if p.stat().st_size < 1_000_000)


@pytest.mark.parametrize("text", [
    '{"headers": {"Authorization": "Bearer ${TOKEN}"}}',
    '{"mcpServers": {"x": {"Env": {"API_KEY": "${RAILWAY_TOKEN}"}}}}',
    '{"jobs": {"a": {"environment": "production", "run": "railway up"}}}',
    '{"X-Custom-Token": "${T}"}',
])
def test_json_with_a_key_a_rule_reads_is_parsed(text: str) -> None:
    doc = Document.of("cfg.json", text)
    assert code.need(doc) is not code.Need.NONE
    assert list(code.collect(doc))


def test_json_without_such_keys_yields_nothing_when_parsed_anyway() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in _json_files()]
    texts.append(json.dumps({"operations": {"DeleteBucket": {"http": {"method": "DELETE"}},
                                            "Environment": "x", "token": "${T}"}}))
    gated = 0
    for text in texts:
        doc = Document.of("model.json", text)
        if code.GATES.present_in(doc).isdisjoint(config.JSON_KEYS):
            gated += 1
            assert code.need(doc) is code.Need.NONE
            tree = parse("json", text.encode())
            assert tree is None or not list(config.usages(tree, doc)), text[:200]
    assert gated >= 2
    # package.json's scripts are read whatever the keys.
    assert code.need(Document.of("package.json", '{"scripts": {"x": "curl -X DELETE u"}}')) \
        is not code.Need.NONE


# --- usage and IaC gates -----------------------------------------------------------------


def test_every_railway_mutation_has_its_own_gate() -> None:
    names = re.sub(r"\(\?:Force\)\?", "", usage._MUTATION.pattern)[3:-3].split("|")
    assert {n.lower() for n in names} <= usage.GATES.words
    for name in names:  # "delete" is no longer needed: a restore alone is found
        found = list(usage.collect(Document.of("a.graphql", f"mutation {{ {name}(id: 1) }}")))
        assert [u.value for u in found if u.kind == "operation"] == [name]


def test_every_iac_text_is_a_gate_word_lowered() -> None:
    texts = [*iac._TF_GATES, *iac._K8S_GATES, "AWSTemplateFormatVersion", "Resources", "AWS::",
             '"Statement"', "kind:"]
    assert {t.lower() for t in texts} <= iac.GATES.words


# --- files without any gate word ---------------------------------------------------------


def _samples() -> list[tuple[str, str]]:
    from test_code_evidence import CASES  # the code readers' own samples

    found = [(s.path, s.text) for d in registry.DETECTORS for s in (*d.positives, *d.negatives)]
    found += [(path, source) for path, source, _ in CASES]
    found += [(p.relative_to(_FIXTURES).as_posix(), p.read_text(errors="replace"))
              for p in sorted(_FIXTURES.rglob("*")) if p.is_file()]
    return found


def test_every_detector_has_gate_words() -> None:
    # A detector without keywords would run on every document, the fast path's included.
    assert all(d.keywords for d in registry.DETECTORS)


def test_whatever_a_file_yields_a_gate_word_shows() -> None:
    """scan_text returns nothing at once for a file in which the vocabulary finds no word
    (and that is no agent configuration): every sample that yields anything, whatever the
    collector, holds a word."""
    yielding = 0
    for path, text in _samples():
        doc = Document.of(path, text)
        full = filescan._collect(doc, (), lazy=False)
        if full == filescan.FileResult():
            continue
        yielding += 1
        assert filescan._VOCABULARY.present_in(Document.of(path, text)) or (
            agent_config.is_agent_config(path) or registry.named_present(path)), (path, full)
    assert yielding > 150


def test_a_file_without_gate_words_yields_nothing() -> None:
    """Texts built from the samples' own tokens and lines (with what a reader's pattern may
    want between them), kept where the vocabulary finds no word: nothing is found."""
    shapes = ("-e", "-X", "DELETE", "DROP", "TABLE", "production", "prod", "staging", "--env",
              "$X", "${X}", "X=", "https://", "@", "-----BEGIN", "KEY-----", "eyJ", "0123456789")
    pieces = sorted({piece for _, text in _samples()
                     for piece in (*text.split(), *text.splitlines(), *shapes)
                     if not filescan._VOCABULARY.present_in(Document.of("a", piece))})
    rng = random.Random(11)
    tried = 0
    for _ in range(600):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 12))]
        text = "".join(part + rng.choice((" ", "\n", "=", ": ", "", "/")) for part in parts)
        for path in ("a.py", "a.json", "main.tf", "k8s.yaml", ".env", "a.sh", "q.sql", "a.js"):
            doc = Document.of(path, text)
            if not filescan._VOCABULARY.present_in(doc):
                tried += 1
                assert filescan._collect(doc, (), lazy=False) == filescan.FileResult(), text
    assert tried > 1000
