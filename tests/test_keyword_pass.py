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

from blastscan.detectors import code, iac, registry, usage
from blastscan.detectors.base import LOWERS_TO_ASCII, Document
from blastscan.detectors.code import config
from blastscan.detectors.code.parsers import parse
from blastscan.scanner import filescan

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
