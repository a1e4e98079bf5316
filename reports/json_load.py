"""A saved JSON report read back into the model, so it renders again without a rescan.

``blastscan report REPORT.json --format …`` (issue 21) renders SARIF, Markdown and the
job summary from the one scan the Action ran. The file is hostile: it comes from a job
that scanned a pull request, or from anyone. So it is read through the bounded reader of
:mod:`blastscan.scanner.config.named_files`, and every field the reporters use is checked
for its type and, for enumerations, its value; the first bad one is an error naming the
field (``credentials[3].scope``), never the value it holds.

What cannot round-trip, precisely: a string other than a ``path`` field and a source hop
(a ``why`` reason, a label/scope mismatch note) that quotes a file name which is not
UTF-8 is written readable in the JSON (U+FFFD for each undecodable byte), so ``report``
shows U+FFFD where ``scan`` showed the ``\\xNN`` escape. Everything else renders byte for
byte as the scan did (tests/test_report_command.py).

A merged report's ``organisation`` section and a report's ``references`` are read by
the engine's own reader of them (:mod:`blastscan.scanner.org.section`, which ``merge``
uses too), so ``blastscan report merged.json`` renders the organisation again.

Fields a newer schema_version 1 writer adds are ignored (the contract grows only by
adding fields). Fields this reader needs but an older report lacks (``facts``,
``label_scope_mismatch``, a location's ``column``) read as empty. Locations and facts are sorted as
:func:`blastscan.scanner.pipeline.credentials.merge` sorts them, so the reporters see
the order a scan hands them and print the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path as FilePath
from typing import Any, TypeVar

from blastscan.reports.json_report import SCHEMA_VERSION, TOOL_NAME
from blastscan.scanner import names
from blastscan.scanner.config import named_files
from blastscan.scanner.errors import ReportError
from blastscan.scanner.models import (
    Acceptance,
    BaselineSummary,
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
    Provenance,
    Reach,
    ResolvedCredential,
    ScanResult,
    Scope,
    Severity,
    SkipReason,
    SourceKind,
    StaleEntry,
    Summary,
)
from blastscan.scanner.org import section
from blastscan.scanner.org.fields import Field

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


class _Field:
    """One JSON value and where it sits in the document, for one-line errors."""

    def __init__(self, value: Any, where: str) -> None:
        self.value, self.where = value, where

    def fail(self, expected: str) -> ReportError:
        return ReportError(f"{self.where}: expected {expected}")

    def __getitem__(self, key: str) -> _Field:
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        if key not in self.value:
            raise ReportError(f"{self.where}: missing '{key}'")
        return _Field(self.value[key], f"{self.where}.{key}")

    def get(self, key: str) -> _Field:
        """``key``, or null when an older writer did not write it."""
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        return _Field(self.value.get(key), f"{self.where}.{key}")

    def text(self) -> str:
        if not isinstance(self.value, str):
            raise self.fail("a string")
        return self.value

    def opt_text(self) -> str | None:
        return None if self.value is None else self.text()

    def count(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise self.fail("a count")
        return self.value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("true or false")
        return self.value

    def opt_flag(self) -> bool | None:
        return None if self.value is None else self.flag()

    def enum(self, kind: type[_E]) -> _E:
        try:
            return kind(self.text())
        except ValueError:
            raise self.fail("one of " + ", ".join(m.value for m in kind)) from None

    def list(self, read: Callable[[_Field], _T], *, optional: bool = False) -> tuple[_T, ...]:
        if optional and self.value is None:
            return ()
        if not isinstance(self.value, list):
            raise self.fail("a list")
        return tuple(read(_Field(v, f"{self.where}[{i}]")) for i, v in enumerate(self.value))

    def texts(self) -> tuple[str, ...]:
        return self.list(_Field.text)

    def path(self) -> str:
        """``path``, or the lossless ``path_escaped`` of a name that is not UTF-8."""
        escaped = self.get("path_escaped")
        return names.unescaped(escaped.text()) if escaped.value is not None else self["path"].text()


def load(file: FilePath) -> ScanResult:
    """The report in ``file``, or :class:`ReportError`."""
    where = f"report {named_files.shown(file)}"
    text = named_files.read_text(file, error=ReportError, where=where,
                                 limit=named_files.REPORT_LIMIT)
    return parse(named_files.parse_json(text, where, ReportError), where)


def parse(document: Any, where: str = "report") -> ScanResult:
    root = _Field(document, where)
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(f"{where}: not a blastscan JSON report"
                          f" (expected schema_version {SCHEMA_VERSION})")
    if root["tool"]["name"].value != TOOL_NAME:
        raise ReportError(f"{where}: not a blastscan JSON report (tool.name)")
    credentials = root["credentials"].list(_resolved)
    _unique(root["credentials"], [rc.credential.id for rc in credentials])
    paths = tuple((_lossless_sources(p, credentials), a) for p, a in root["paths"].list(_path))
    _unique(root["paths"], [p.id for p, _ in paths])
    known = {rc.credential.id for rc in credentials}
    for index, (path, _) in enumerate(paths):
        if path.credential_id not in known:  # every path starts at a listed credential
            raise ReportError(f"{root['paths'].where}[{index}].credential: no such credential")
    return ScanResult(
        target=root["target"].text(),
        tool_version=root["tool"]["version"].text(),
        summary=_summary(root["summary"]),
        credentials=credentials,
        paths=tuple(p for p, _ in paths),
        gate=_gate(root["gate"], paths),
        examples=root.get("examples").list(_example, optional=True),
        provenance=_provenance(root.get("provenance")),
        fingerprint_scheme=root.get("fingerprint_scheme").opt_text() or "",
        # merge's reader of the sections ``merge`` adds, so both read them alike
        references=section.references(Field(document.get("references"), f"{where}.references",
                                            ReportError)),
        organisation=section.organisation(Field(document.get("organisation"),
                                                f"{where}.organisation", ReportError)),
    )


def _provenance(field: _Field) -> Provenance | None:
    """The revision the scan read; the time and command line are not in the JSON (it is
    the same bytes however it was asked for), so a re-rendered HTML report says so."""
    if field.value is None:
        return None
    return Provenance(field["commit"].opt_text(), field["branch"].opt_text())


def _unique(field: _Field, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise ReportError(f"{field.where}[{index}].id: a duplicate id")
        seen.add(ident)


def _summary(field: _Field) -> Summary:
    skipped = field["files_skipped"]
    if not isinstance(skipped.value, dict):
        raise skipped.fail("an object")
    counts = tuple(sorted((_Field(k, f"{skipped.where} key").enum(SkipReason), skipped[k].count())
                          for k in skipped.value))
    baseline = field["baseline"]
    return Summary(
        files_scanned=field["files_scanned"].count(), files_skipped=counts,
        suppressed=field["suppressed"].count(), filtered=field["filtered"].count(),
        history_blobs=field["history_blobs"].count(), excluded=field["excluded"].count(),
        baseline=None if baseline.value is None else BaselineSummary(
            baseline["accepted"].count(), baseline["expired"].count(),
            baseline["stale"].list(_stale)),
        examples=field.get("examples").count() if field.get("examples").value is not None else 0,
    )


def _stale(field: _Field) -> StaleEntry:
    return StaleEntry(field["fingerprint"].text(), field.path(), field["action"].text(),
                      field["environment"].text(), field["owner"].text(), field["reason"].text())


def _location(field: _Field) -> Location:
    line = field["line"].count()
    column, end = field.get("column"), field.get("end_column")
    return Location(field.path(), line, field["source"].enum(SourceKind),
                    field["commit"].opt_text(), 0 if column.value is None else column.count(),
                    0 if end.value is None else end.count())


def _locations(field: _Field) -> tuple[Location, ...]:
    found = field.list(_location)
    if not found:
        raise field.fail("at least one location")
    return tuple(sorted(set(found)))


def _evidence(field: _Field) -> Evidence:
    return Evidence(field.path(), field["line"].count(), field["reason"].text())


def _fact(field: _Field) -> tuple[str, str]:
    return field["key"].text(), field["value"].text()


def _capability(field: _Field) -> Capability:
    return Capability(field["action"].text(), field["resource"].text(),
                      field["destructive"].flag(), field["backups_in_blast_radius"].opt_flag(),
                      field["why"].texts(), field["mitigations"].texts())


def _resolved(field: _Field) -> ResolvedCredential:
    provider, kind = field["provider"].text(), field["kind"].text()
    credential = Credential(
        id=field["id"].text(), fingerprint=field["fingerprint"].text(),
        redacted=field["redacted"].text(), provider=provider, kind=kind,
        detectors=field["detectors"].texts(), locations=_locations(field["locations"]),
        facts=tuple(sorted(set(field.get("facts").list(_fact, optional=True)))))
    reach = Reach(
        provider=provider, kind=kind, scope=field["scope"].enum(Scope),
        environments=field["environments"].list(lambda f: f.enum(Environment)),
        confidence=field["confidence"].enum(Confidence),
        capabilities=field["capabilities"].list(_capability),
        evidence=field["evidence"].list(_evidence), why=field["why"].texts(),
        mismatch=field.get("label_scope_mismatch").opt_text())
    return ResolvedCredential(credential, reach)


def _acceptance(field: _Field, path_id: str, *, expired: bool) -> Acceptance | None:
    if field.value is None:
        return None
    return Acceptance(path_id, field["reason"].text(), field["owner"].text(),
                      field["expires"].opt_text(), expired)


def _path(field: _Field) -> tuple[Path, Acceptance | None]:
    ident = field["id"].text()
    path = Path(
        id=ident, severity=field["severity"].enum(Severity),
        credential_id=field["credential"].text(),
        environment=field["environment"].enum(Environment), resource=field["resource"].text(),
        action=field["action"].text(), destructive=field["destructive"].flag(),
        backups_in_blast_radius=field["backups_in_blast_radius"].opt_flag(),
        hops=field["hops"].list(lambda h: Hop(h["kind"].text(), h["label"].text())),
        why=field["why"].texts(), mitigations=field["mitigations"].texts(),
        mismatch=field["label_scope_mismatch"].opt_text())
    accepted = _acceptance(field["accepted"], ident, expired=False)
    expired = _acceptance(field["baseline_expired"], ident, expired=True)
    if accepted is not None and expired is not None:
        raise field.fail("'accepted' or 'baseline_expired', not both")
    return path, accepted or expired


def _lossless_sources(path: Path, credentials: tuple[ResolvedCredential, ...]) -> Path:
    """``path`` with each source hop that names a file which is not UTF-8 in the lossless
    form the scan had: JSON holds such a label readable (U+FFFD, :mod:`json_text`), but
    the hop is the label of one of the credential's locations, which do round-trip."""
    resolved = next((rc for rc in credentials if rc.credential.id == path.credential_id), None)
    if resolved is None or all(names.is_utf8(loc.path) for loc in resolved.credential.locations):
        return path
    lossless = {names.readable(label): label for label in
                (loc.source_label() for loc in resolved.credential.locations)}
    hops = tuple(Hop(h.kind, lossless.get(h.label, h.label)) if h.kind == "source" else h
                 for h in path.hops)
    return replace(path, hops=hops)


def _gate(field: _Field, paths: tuple[tuple[Path, Acceptance | None], ...]) -> Gate:
    """The gate as saved. The CLI decides it again from the paths
    (:func:`blastscan.scanner.verdict.gate.regate`): a file's ``status`` is its word only."""
    verdicts = [a for _, a in paths if a is not None]
    return Gate(
        failed=field["status"].enum(_Status) is _Status.FAIL,
        fail_on=field["fail_on"].enum(Severity),
        failing_paths=tuple(sorted(field["failing_paths"].texts())),
        accepted=tuple(a for a in verdicts if not a.expired),
        expired=tuple(a for a in verdicts if a.expired),
        review_only=tuple(sorted(field.get("review_only").list(_Field.text, optional=True))),
    )


class _Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"


def _example(field: _Field) -> Example:
    credential = Credential(
        id=field["id"].text(), fingerprint=field["fingerprint"].text(),
        redacted=field["redacted"].text(), provider=field["provider"].text(),
        kind=field["kind"].text(), detectors=field["detectors"].texts(),
        locations=_locations(field["locations"]))
    return Example(credential, field["why"].texts())
