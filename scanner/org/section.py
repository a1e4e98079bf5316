"""The organisation section and the workflow references, read back from a JSON report.

Two readers need them: ``blastscan merge`` reads each repository's ``references``
(:mod:`reading`), and ``blastscan report merged.json`` renders a merged report again
(:mod:`blastscan.reports.json_load`, which may import this layer; this layer may not
import reports). Each field is checked against what
:func:`blastscan.reports.json_report.organisation_json` writes, and a bad one raises the
:class:`Field`'s error naming its position, never its value.
"""

from __future__ import annotations

from blastscan.scanner.models import Environment, Severity
from blastscan.scanner.org.fields import Field
from blastscan.scanner.organisation import (
    CrossPath,
    Organisation,
    Reference,
    ReferencedPath,
    Repository,
    SharedCredential,
    SkippedReport,
)

_ENVIRONMENTS = tuple(Environment)


def references(doc: Field) -> tuple[Reference, ...]:
    """``doc``: the top-level ``references`` (absent reads as none)."""
    return tuple(Reference(r.get("name").text(), r.get("path").text(), r.get("line").integer(),
                           tuple(e.choice(_ENVIRONMENTS) for e in r.get("environments").items()))
                 for r in doc.items())


def organisation(doc: Field) -> Organisation | None:
    """``doc``: the top-level ``organisation``, on a merged report only."""
    if doc.value is None:
        return None
    return Organisation(
        fingerprint_scheme=doc.get("fingerprint_scheme").text(allow_empty=True),
        repositories=tuple(_repository(r) for r in doc.get("repositories").items()),
        skipped=tuple(SkippedReport(s.get("file").text(allow_empty=True),
                                    s.get("reason").text(allow_empty=True))
                      for s in doc.get("skipped").items()),
        ranking=tuple(_shared(c) for c in doc.get("ranking").items()),
        cross=tuple(_cross(x) for x in doc.get("cross_repository_paths").items()),
        # Absent from a merged report written before joins by reference.
        by_reference=tuple(_referenced(x)
                           for x in doc.optional("cross_repository_by_reference").items()))


def _names(doc: Field) -> tuple[str, ...]:
    return tuple(n.text() for n in doc.items())


def _repository(doc: Field) -> Repository:
    return Repository(doc.get("name").text(), doc.get("target").text(allow_empty=True),
                      doc.get("gate").choice(("pass", "fail")),
                      doc.get("credentials").integer(), doc.get("paths").integer())


def _shared(doc: Field) -> SharedCredential:
    return SharedCredential(
        doc.get("credential").text(), doc.get("fingerprint").text(), doc.get("redacted").text(),
        doc.get("provider").text(), doc.get("kind").text(), _names(doc.get("repositories")),
        doc.get("paths").integer(), doc.get("production_paths").integer())


def _cross(doc: Field) -> CrossPath:
    return CrossPath(
        doc.get("repository").text(), doc.get("path").text(), doc.get("credential").text(),
        doc.get("severity").choice(tuple(Severity)), doc.get("environment").choice(_ENVIRONMENTS),
        doc.get("action").text(), _names(doc.get("proven_in")))


def _referenced(doc: Field) -> ReferencedPath:
    return ReferencedPath(
        doc.get("repository").text(), doc.get("credential").text(), doc.get("name").text(),
        doc.get("environment").choice(_ENVIRONMENTS), doc.get("evidence").text(),
        _names(doc.get("found_in")), doc.get("why").text())
