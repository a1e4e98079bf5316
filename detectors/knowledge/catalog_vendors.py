"""Which catalog vendor a variable name names: ``algoliaToken``, ``NEW_RELIC_KEY``.

The keyword net (``generic-secret``) finds a random value under a secret name and knows
no provider. When the name itself names a vendor the catalog has rules for, the value is
that vendor's credential as far as a reviewer can tell (the design's context
attribution: a Railway token is a bare UUID named ``RAILWAY_TOKEN``), so the candidate
names the vendor; its token kind stays unknown, so its reach is "unknown" as before, now
under the vendor's name. The value's shape is not checked against the vendor's current
format: vendors change formats (Atlassian's 24-character tokens predate ``ATATT``) and
an old token is a token.

A vendor is named when consecutive words of the name (camelCase, ``_``, ``-``, ``.``
split; ``ETSYToken`` → ``etsy`` ``token``) spell its provider id (``new-relicToken`` →
``newrelic``), or one of its rules' alphabetic keywords that is part of that id (``sumo``
for Sumo Logic, ``meraki`` for Cisco Meraki). Short ids (``age``, ``box``, ``npm``) and
vendors named after ordinary words of code (a pagination ``cursorToken``, an email
``resendToken``) name nothing: too often they mean the word. A name that spells two
vendors names neither.
Providers blastscan's own detectors know (``catalog_map.OWN_PROVIDERS``) are left out:
their resolvers read kinds this attribution cannot give.
"""

from __future__ import annotations

import functools
import re

from blastscan.detectors.knowledge.catalog import catalog
from blastscan.detectors.knowledge.catalog_map import OWN_PROVIDERS, OWN_RULES, provider_and_kind
from blastscan.detectors.knowledge.catalog_model import Catalog

_MIN_LENGTH = 4  # ``age``, ``box``, ``lob``, ``npm``: three letters are a word, not a vendor
_MAX_WORDS = 3  # ``canadian digital service notify`` is the one longer name, and rare
#: Vendor ids that are ordinary words in code, picked by reading the catalog's vendor ids;
#: on the secret names of 30,000 files (the noise trees, two site-packages) every other
#: name that spelled a vendor meant it (UNCERTAIN beyond): a ``cursorToken`` pages an
#: API, a ``renderKey`` keys a React list, ``segment``/``square``/``linear``/``polar``/
#: ``temporal`` are maths and time, ``resend``/``replicate``/``checkout``/``proof`` are
#: actions, ``docker`` and ``elastic`` name self-hosted software more often than the
#: hosted service, and a ``vault_password`` is Ansible Vault's as often as HashiCorp's
#: (ansible-core's tests).
COMMON_WORDS = frozenset({
    "apollo", "brave", "checkout", "crates", "cursor", "deno", "devin", "docker",
    "elastic", "hunter", "instantly", "ionic", "kimi", "lark", "linear", "llama",
    "mercury", "monday", "neon", "octopus", "persona", "polar", "poly", "proof", "ramp",
    "readme", "render", "replicate", "resend", "retell", "segment", "square",
    "stability", "temporal", "unkey", "vault",
})
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _spelling(provider: str) -> str:
    return provider.replace("-", "").lower()


def vendor_words(source: Catalog) -> dict[str, str]:
    """Spelling (lowercase, no separators) → provider id, from every rule the catalog
    holds, run or left out (an identifier rule still names its vendor)."""
    ids = [r.id for r in source.rules] + [rule_id for rule_id, _ in source.skipped]
    providers = {provider_and_kind(i)[0] for i in ids if i not in OWN_RULES} - OWN_PROVIDERS
    words = {_spelling(p): p for p in providers}
    for rule in source.rules:  # ``sumo`` for ``sumologic``, ``meraki`` for ``ciscomeraki``
        for keyword in rule.keywords:
            if keyword.isalpha() and keyword in _spelling(rule.provider):
                words.setdefault(keyword, rule.provider)
    return {w: p for w, p in words.items()
            if len(w) >= _MIN_LENGTH and w not in COMMON_WORDS and p in providers}


@functools.cache
def _installed() -> dict[str, str]:
    return vendor_words(catalog())


@functools.lru_cache(maxsize=4096)
def vendor_named(name: str, words: tuple[tuple[str, str], ...] | None = None) -> str | None:
    """The one vendor ``name`` spells, or ``None``. ``words``: (spelling, provider) pairs
    to use instead of the installed catalog's (for tests)."""
    table = _installed() if words is None else dict(words)
    parts = [w.lower() for w in _WORDS.findall(name)]
    named = {table[joined] for i in range(len(parts))
             for j in range(i + 1, min(len(parts), i + _MAX_WORDS) + 1)
             if (joined := "".join(parts[i:j])) in table}
    return named.pop() if len(named) == 1 else None
