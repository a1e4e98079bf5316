"""``kb-format``: token formats from the provider knowledge base, for providers that have
no detector of their own.

Each ``[[format]]`` of a provider file (providers.md §11 to §22: Vercel ``vcp_``, Fly.io
``fo1_``, Doppler ``dp.st.``, Vault ``hvs.``, Anthropic ``sk-ant-``, ...) is a regex
(compiled on first use) with lowercase keywords. A format runs only on documents whose
lowercased text holds one of its keywords, so most files never reach its regex.
``context`` formats (bare UUIDs and hex, which prove nothing on their own: Heroku and
Docker Hub legacy keys, Datadog keys) count only when a keyword sits within 40
characters before the match, as trufflehog's ``PrefixRegex`` does. Providers listed in
``NATIVE`` are skipped: a dedicated detector (or the detect-secrets adapter) already
finds them, and their formats are documentation plus samples.
"""

from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.knowledge.loader import Format, load
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.detectors.match.names import assigned_name
from blastscan.scanner.models import Candidate

#: Providers found by another detector (native ones, then the detect-secrets adapter).
#: Discord is not listed: the adapter finds its bot tokens, its file's formats the rest.
NATIVE = (
    "railway", "aws", "github", "stripe", "supabase", "postgres", "mysql", "mongodb",
    "redis", "kubernetes", "generic",
    "sendgrid", "openai", "pypi", "gitlab", "telegram",
    "mailchimp", "artifactory", "square",
)
_CONTEXT_WINDOW = 40


def _formats() -> tuple[tuple[str, Format], ...]:
    return tuple((p.id, f) for p in load().values() if p.id not in NATIVE for f in p.formats)


def _samples(secret: bool) -> tuple[Sample, ...]:
    return tuple(Sample(s.path, s.text) for p in load().values() if p.id not in NATIVE
                 for s in p.samples if s.secret is secret)


class KbFormatDetector:
    id = "kb-format"

    def __init__(self) -> None:
        self._formats = _formats()
        self.keywords = tuple(sorted({k for _, f in self._formats for k in f.keywords}))
        self._index = KeywordIndex(self.keywords)
        self.positives = _samples(secret=True)
        self.negatives = _samples(secret=False)

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # One pass finds every format's keywords: testing each format's with ``in`` was
        # hundreds of scans of a large document.
        present = self._index.present_in(doc)
        for provider, fmt in self._formats:
            if present.isdisjoint(fmt.keywords):
                continue
            regex = fmt.regex
            for m in prefix.finditer_in(regex, doc):
                group = 1 if regex.groups else 0
                start, secret = m.start(group), m.group(group)
                if not secret or (fmt.context and not _keyword_before(doc, m.start(), fmt)):
                    continue
                facts = [("format", fmt.label)]
                if name := assigned_name(doc, start):
                    facts.append(("name", name))
                if fmt.target is not None and (named := fmt.target.search(doc.text)):
                    facts.append(("target_name", named.group(1)))
                yield Candidate(self.id, provider, fmt.kind, secret, doc.location(start),
                                tuple(sorted(facts)))


def _keyword_before(doc: Document, offset: int, fmt: Format) -> bool:
    window = doc.lowered[max(0, offset - _CONTEXT_WINDOW):offset]
    return any(k in window for k in fmt.keywords)


def identify(value: str) -> tuple[str, str] | None:
    """The provider and kind whose format the whole of ``value`` is (native providers'
    formats included), for a token a container held (a Docker ``auth``, a Kubernetes
    Secret): ``ghp_…`` is a GitHub classic PAT wherever it was decoded from. Context
    formats (bare UUIDs, hex) prove nothing alone and are not tried."""
    for provider in load().values():
        for fmt in provider.formats:
            if fmt.context:
                continue
            m = fmt.regex.search(value)
            group = 1 if fmt.regex.groups else 0
            if m is not None and m.group(group) == value:
                return provider.id, fmt.kind
    return None
