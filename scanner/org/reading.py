"""Read one blastscan JSON report back into a :class:`ScanResult`, treating it as hostile.

``blastscan merge`` takes reports uploaded by each repository's own CI job, and the
repository is the pull request's: a report can be forged, truncated, nested a million
deep or a FIFO. It is read like every named file (:mod:`named_files`: a regular file,
bounded, strict UTF-8) and then checked field by field against the schema_version 1
contract; the first field that does not fit raises :class:`ReportError` naming the field
by its position (``credentials[3].locations[0].line``), never quoting a value. The caller
skips that report with the reason.
"""

from __future__ import annotations

from pathlib import Path as FilePath

from blastscan.scanner.config import named_files
from blastscan.scanner.errors import ReportError
from blastscan.scanner.models import (
    Acceptance,
    Capability,
    Confidence,
    Credential,
    Environment,
    Evidence,
    Example,
    Gate,
    Hop,
    Location,
    Path,
    Reach,
    ResolvedCredential,
    ScanResult,
    Scope,
    Severity,
    SkipReason,
    SourceKind,
    Summary,
)
from blastscan.scanner.org import section
from blastscan.scanner.org.fields import Field

LEGACY_SCHEME = "sha256"  # a report written before fingerprints were keyed


def read(file: FilePath) -> ScanResult:
    where = named_files.shown(file)
    text = named_files.read_text(file, error=ReportError, limit=named_files.REPORT_LIMIT)
    root = Field(named_files.parse_json(text, where, ReportError), "", ReportError)
    if root.get("schema_version").integer() != 1:
        raise ReportError("schema_version: expected 1")
    if root.get("tool").get("name").text() != "blastscan":
        raise ReportError("tool.name: not a blastscan report")
    credentials = tuple(_credential(c) for c in root.get("credentials").items())
    gate = root.get("gate")
    paths = tuple(_path(p) for p in root.get("paths").items())
    accepted = tuple(a for p in root.get("paths").items() if (a := _acceptance(p)) is not None)
    return ScanResult(
        target=root.get("target").text(allow_empty=True),
        tool_version=root.get("tool").get("version").text(),
        summary=_summary(root.get("summary")),
        credentials=credentials,
        paths=paths,
        gate=Gate(failed=gate.get("status").choice(("pass", "fail")) == "fail",
                  fail_on=Severity(gate.get("fail_on").choice(tuple(Severity))),
                  failing_paths=tuple(f.text() for f in gate.get("failing_paths").items()),
                  accepted=tuple(a for a in accepted if not a.expired),
                  expired=tuple(a for a in accepted if a.expired),
                  review_only=tuple(f.text() for f in gate.optional("review_only").items())),
        examples=tuple(_example(e) for e in root.optional("examples").items()),
        fingerprint_scheme=root.optional("fingerprint_scheme").text(default=LEGACY_SCHEME),
        references=section.references(root.optional("references")),
    )


def _summary(doc: Field) -> Summary:
    skipped = doc.get("files_skipped")
    counts = {reason: skipped.optional(str(reason)).integer(default=0) for reason in SkipReason}
    return Summary(
        files_scanned=doc.get("files_scanned").integer(),
        files_skipped=tuple(sorted(counts.items())),
        suppressed=doc.optional("suppressed").integer(default=0),
        filtered=doc.optional("filtered").integer(default=0),
        history_blobs=doc.optional("history_blobs").integer(default=0),
        excluded=doc.optional("excluded").integer(default=0),
        examples=doc.optional("examples").integer(default=0),
    )


def _locations(doc: Field) -> tuple[Location, ...]:
    found = tuple(Location(loc.get("path").text(), loc.get("line").integer(),
                           SourceKind(loc.get("source").choice(tuple(SourceKind))),
                           loc.get("commit").text_or_none())
                  for loc in doc.get("locations").items())
    if not found:
        raise ReportError(f"{doc.where}.locations: empty")
    return found


def _bare(doc: Field) -> Credential:
    ident = doc.get("id").text()
    return Credential(
        id=ident, fingerprint=doc.get("fingerprint").text(), redacted=doc.get("redacted").text(),
        provider=doc.get("provider").text(), kind=doc.get("kind").text(),
        detectors=tuple(d.text() for d in doc.optional("detectors").items()),
        locations=_locations(doc),
        facts=_facts(doc))


def _facts(doc: Field) -> tuple[tuple[str, str], ...]:
    """``facts`` (the variable name joins references), or on an older report only the
    containers ``decoded_from`` lists."""
    facts = doc.optional("facts")
    if facts.value is None:
        return tuple(("container", c.text()) for c in doc.optional("decoded_from").items())
    return tuple((f.get("key").text(), f.get("value").text(allow_empty=True))
                 for f in facts.items())


def _credential(doc: Field) -> ResolvedCredential:
    reach = Reach(
        provider=doc.get("provider").text(), kind=doc.get("kind").text(),
        scope=Scope(doc.get("scope").choice(tuple(Scope))),
        environments=tuple(Environment(e.choice(tuple(Environment)))
                           for e in doc.get("environments").items()),
        confidence=Confidence(doc.get("confidence").choice(tuple(Confidence))),
        capabilities=tuple(_capability(c) for c in doc.optional("capabilities").items()),
        evidence=tuple(Evidence(e.get("path").text(), e.get("line").integer(),
                                e.get("reason").text(allow_empty=True))
                       for e in doc.get("evidence").items()),
        why=tuple(w.text(allow_empty=True) for w in doc.optional("why").items()),
    )
    return ResolvedCredential(_bare(doc), reach)


def _capability(doc: Field) -> Capability:
    return Capability(
        action=doc.get("action").text(), resource=doc.get("resource").text(),
        destructive=doc.get("destructive").boolean(),
        backups_in_blast_radius=doc.get("backups_in_blast_radius").boolean_or_none(),
        why=tuple(w.text(allow_empty=True) for w in doc.optional("why").items()),
        mitigations=tuple(m.text(allow_empty=True) for m in doc.optional("mitigations").items()))


def _path(doc: Field) -> Path:
    return Path(
        id=doc.get("id").text(), severity=Severity(doc.get("severity").choice(tuple(Severity))),
        credential_id=doc.get("credential").text(),
        environment=Environment(doc.get("environment").choice(tuple(Environment))),
        resource=doc.get("resource").text(), action=doc.get("action").text(),
        destructive=doc.get("destructive").boolean(),
        backups_in_blast_radius=doc.get("backups_in_blast_radius").boolean_or_none(),
        hops=tuple(Hop(h.get("kind").text(), h.get("label").text(allow_empty=True))
                   for h in doc.get("hops").items()),
        why=tuple(w.text(allow_empty=True) for w in doc.get("why").items()),
        mitigations=tuple(m.text(allow_empty=True) for m in doc.optional("mitigations").items()),
        mismatch=doc.optional("label_scope_mismatch").text_or_none())


def _acceptance(doc: Field) -> Acceptance | None:
    for key, expired in (("accepted", False), ("baseline_expired", True)):
        entry = doc.optional(key)
        if entry.value is not None:
            return Acceptance(doc.get("id").text(), entry.get("reason").text(allow_empty=True),
                              entry.get("owner").text(allow_empty=True),
                              entry.get("expires").text_or_none(), expired)
    return None


def _example(doc: Field) -> Example:
    return Example(_bare(doc), tuple(w.text(allow_empty=True) for w in doc.get("why").items()))

