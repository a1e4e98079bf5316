"""Detectors declared by a repository's configuration, added to the registry for one scan.

Two sources, one shape: ``[[tool.blastscan.detector]]`` tables (an id, a regex, the
provider and token kind the match is, prefilter keywords) and the ``[[format]]`` tables
of extra provider files named in ``providers = [...]``. Like the knowledge base's
formats, a regex has at most one capture group (the secret) and runs only on documents
holding one of its lowercase keywords; a detector without keywords runs on every file.
Instances hold only strings and a compiled pattern, so they pickle into scan workers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.knowledge.model import Provider
from blastscan.detectors.match import prefix
from blastscan.detectors.match.names import assigned_name
from blastscan.scanner.models import Candidate


@dataclass(frozen=True, slots=True)
class CustomDetector:
    id: str
    provider: str
    kind: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...] = ()
    # Configured detectors bring no samples: the scan itself is their test.
    positives: tuple[Sample, ...] = ()
    negatives: tuple[Sample, ...] = ()

    def detect(self, doc: Document) -> Iterator[Candidate]:
        group = 1 if self.regex.groups else 0
        for match in prefix.finditer(self.regex, doc.text):
            secret, start = match.group(group), match.start(group)
            if not secret:
                continue
            facts = [("format", self.id)]
            if name := assigned_name(doc, start):
                facts.append(("name", name))
            yield Candidate(self.id, self.provider, self.kind, secret, doc.location(start),
                            tuple(sorted(facts)))


def from_provider(provider: Provider) -> tuple[CustomDetector, ...]:
    """One detector per ``[[format]]`` of an extra provider file (id ``kb-format``, the
    built-in id for knowledge-base formats, so suppression rules carry over)."""
    return tuple(CustomDetector("kb-format", provider.id, f.kind, f.regex, f.keywords)
                 for f in provider.formats)
