"""The JSON report: the machine-readable contract (schema_version 1) in design.md.

Everything that integrates with blastscan reads this format, so it changes only by
adding fields; anything else bumps :data:`SCHEMA_VERSION`. Fields beyond the contract
(additive, schema_version 1): ``summary.suppressed``, ``summary.filtered``,
``summary.excluded`` (files left out by include/exclude globs), ``summary.baseline``
(null without a baseline; else accepted and expired counts and the ``stale`` entries no
longer found), per credential ``detectors``, ``why`` and ``capabilities``, and per path
``accepted`` and ``baseline_expired`` (null, or the entry's reason, owner and expiry);
per credential ``facts`` (the detector's non-secret observations) and
``label_scope_mismatch``; ``summary.examples`` and the top-level ``examples`` list
(credentials read as documentation examples: id, fingerprint, redacted, provider, kind,
detectors, locations, why; never in ``credentials`` nor on a path); per path
``remediation``, the id of an entry of the top-level ``remediations`` list (id, the
``narrower`` credential to use instead or null when the scope is already narrow, the
``steps`` with action, why, sources and uncertain, and every ``sources`` entry they rest
on). Paths share entries: a scan's thousands of paths repeat a few shapes, and the advice
is kilobytes of text. Top-level ``fingerprint_scheme`` (``hmac-sha256:<key id>``:
fingerprints are keyed, and reports join only under one key); top-level ``organisation``
on a merged report only (repositories, skipped reports, the credential ranking and the
cross-repository paths, then those joined only by a variable name); top-level
``references`` when any (workflow secrets named but not held: name, path, line,
environments), which ``merge`` joins by name.

Key order is fixed by construction (dicts are built in contract order and dumped in
that order by :mod:`blastscan.scanner.json_text`); list order is the one documented in
:mod:`blastscan.reports.common`, and ``gate.failing_paths`` is sorted by id. The
output ends with a newline. Only the fingerprint and the redacted preview of a secret
are ever written: the model holds nothing else.
"""

from __future__ import annotations

import hashlib
from typing import Any

from blastscan.reports.common import (
    severity_counts,
    skipped_counts,
    sorted_capabilities,
    sorted_credentials,
    sorted_environments,
    sorted_examples,
    sorted_locations,
    sorted_paths,
)
from blastscan.reports.remediation import Remediation, remediation_for
from blastscan.scanner import json_text
from blastscan.scanner.models import (
    Acceptance,
    BaselineSummary,
    Capability,
    Credential,
    Example,
    Gate,
    Path,
    ResolvedCredential,
    ScanResult,
)
from blastscan.scanner.organisation import Organisation

SCHEMA_VERSION = 1
TOOL_NAME = "blastscan"

# ``Any`` because this is the one place a nested dict is allowed: the JSON boundary.
JsonObject = dict[str, Any]


def render_json(result: ScanResult) -> str:
    """Render ``result`` as the schema_version 1 JSON document."""
    by_id = {rc.credential.id: rc for rc in result.credentials}
    paths = sorted_paths(result.paths)
    # One entry per distinct remediation, in the order the (sorted) paths first use it.
    fixes = {p.id: remediation_for(p, by_id.get(p.credential_id)) for p in paths}
    ids: dict[Remediation, str] = {}
    for fix in fixes.values():
        if fix not in ids:  # hash each distinct remediation once, not once per path
            ids[fix] = remediation_id(fix)
    remediations = {key: fix for fix, key in ids.items()}
    document: JsonObject = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "target": result.target,
        "fingerprint_scheme": result.fingerprint_scheme,
        "gate": {
            "status": "fail" if result.gate.failed else "pass",
            "fail_on": str(result.gate.fail_on),
            "failing_paths": sorted(result.gate.failing_paths),
            "review_only": sorted(result.gate.review_only),
        },
        "summary": _summary(result),
        "credentials": [_credential(rc) for rc in sorted_credentials(result.credentials)],
        "paths": [_path(p, result.gate, ids[fixes[p.id]]) for p in paths],
        "examples": [_example(e) for e in sorted_examples(result.examples)],
        "remediations": [{"id": key, **remediation_json(fix)}
                         for key, fix in remediations.items()],
    }
    provenance = result.provenance
    if provenance is not None and (provenance.commit or provenance.branch):
        # Additive (schema_version 1), and only when a revision is known: the revision
        # scanned. Not the time or the command line: the same input must give
        # byte-identical JSON however it was asked for.
        document["provenance"] = {"commit": provenance.commit,
                                  "branch": provenance.branch}
    if result.references:
        # Additive, and only when there are any (so reports without them stay as they
        # were): workflow secrets named here but held by no credential of this scan.
        document["references"] = [{"name": r.name, "path": r.path, "line": r.line,
                                   "environments": list(r.environments)}
                                  for r in result.references]
    if result.organisation is not None:
        document["organisation"] = organisation_json(result.organisation)
    return json_text.dumps(document)


def organisation_json(org: Organisation) -> JsonObject:
    """``blastscan merge`` only (additive): locations and evidence above are prefixed with
    their repository's name."""
    return {
        "fingerprint_scheme": org.fingerprint_scheme,
        "repositories": [{"name": r.name, "target": r.target, "gate": r.gate,
                          "credentials": r.credentials, "paths": r.paths}
                         for r in org.repositories],
        "skipped": [{"file": s.file, "reason": s.reason} for s in org.skipped],
        "ranking": [{"credential": c.credential_id, "fingerprint": c.fingerprint,
                     "redacted": c.redacted, "provider": c.provider, "kind": c.kind,
                     "repositories": list(c.repositories), "paths": c.paths,
                     "production_paths": c.production_paths} for c in org.ranking],
        "cross_repository_paths": [
            {"repository": x.repository, "path": x.path_id, "credential": x.credential_id,
             "severity": x.severity, "environment": x.environment, "action": x.action,
             "proven_in": list(x.proven_in)} for x in org.cross],
        # Below the fingerprint joins: a shared variable name, not a proven shared value.
        "cross_repository_by_reference": [
            {"repository": x.repository, "credential": x.credential_id, "name": x.name,
             "environment": x.environment, "evidence": x.evidence,
             "found_in": list(x.found_in), "why": x.why} for x in org.by_reference],
    }


def _summary(result: ScanResult) -> JsonObject:
    summary = result.summary
    return {
        "files_scanned": summary.files_scanned,
        "files_skipped": {str(k): v for k, v in skipped_counts(summary).items()},
        "credentials": len(result.credentials),
        "paths": len(result.paths),
        "by_severity": {str(k): v for k, v in severity_counts(result.paths).items()},
        "suppressed": summary.suppressed,
        "filtered": summary.filtered,
        "history_blobs": summary.history_blobs,
        "excluded": summary.excluded,
        "baseline": _baseline(summary.baseline),
        "examples": summary.examples,
    }


def _baseline(baseline: BaselineSummary | None) -> JsonObject | None:
    if baseline is None:
        return None
    return {
        "accepted": baseline.accepted,
        "expired": baseline.expired,
        "stale": [{"fingerprint": e.fingerprint, "path": e.path, "action": e.action,
                   "environment": e.environment, "owner": e.owner, "reason": e.reason}
                  for e in baseline.stale],
    }


def _acceptance(acceptance: Acceptance | None, *, expired: bool) -> JsonObject | None:
    if acceptance is None or acceptance.expired is not expired:
        return None
    return {"reason": acceptance.reason, "owner": acceptance.owner,
            "expires": acceptance.expires}


def _locations(cred: Credential) -> list[JsonObject]:
    # column/end_column: additive (schema_version 1), null when the detector did not see
    # them (the model's 0); written so a saved report renders SARIF regions again.
    return [{"path": loc.path, "line": loc.line, "source": str(loc.source), "commit": loc.commit,
             "column": loc.column or None, "end_column": loc.end_column or None}
            for loc in sorted_locations(cred.locations)]


def _example(example: Example) -> JsonObject:
    cred = example.credential
    return {
        "id": cred.id,
        "fingerprint": cred.fingerprint,
        "redacted": cred.redacted,
        "provider": cred.provider,
        "kind": cred.kind,
        "detectors": sorted(cred.detectors),
        "locations": _locations(cred),
        "why": list(example.why),
    }


def _credential(resolved: ResolvedCredential) -> JsonObject:
    cred, reach = resolved.credential, resolved.reach
    return {
        "id": cred.id,
        "fingerprint": cred.fingerprint,
        "redacted": cred.redacted,
        # The resolver's conclusion, not the detector's first guess, is what reaches the user.
        "provider": reach.provider,
        "kind": reach.kind,
        "scope": str(reach.scope),
        "environments": [str(e) for e in sorted_environments(reach.environments)],
        # Where a decoded credential was wrapped (issue 20): container kind and key.
        "decoded_from": sorted(cred.facts_for("container")),
        # Additive (issue 21): what the HTML report shows, so ``blastscan report`` can
        # render it again from this file. Facts are the detector's non-secret observations.
        "facts": [{"key": k, "value": v} for k, v in cred.facts],
        "label_scope_mismatch": reach.mismatch,
        "confidence": str(reach.confidence),
        "locations": _locations(cred),
        "evidence": [{"path": e.path, "line": e.line, "reason": e.reason} for e in reach.evidence],
        "detectors": sorted(cred.detectors),
        "why": list(reach.why),
        "capabilities": [_capability(c) for c in sorted_capabilities(reach.capabilities)],
    }


def _capability(capability: Capability) -> JsonObject:
    return {
        "action": capability.action,
        "resource": capability.resource,
        "destructive": capability.destructive,
        "backups_in_blast_radius": capability.backups_in_blast_radius,
        "why": list(capability.why),
        "mitigations": list(capability.mitigations),
    }


def remediation_id(fix: Remediation) -> str:
    """A stable id for ``fix``: a hash of its content, so equal advice shares one entry."""
    text = json_text.dumps(remediation_json(fix))
    return "r-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def remediation_json(fix: Remediation) -> JsonObject:
    """An entry of ``remediations`` (without its id)."""
    return {
        "narrower": fix.narrower,
        "steps": [{"action": s.action, "why": s.why, "sources": list(s.sources),
                   "uncertain": s.uncertain} for s in fix.steps],
        "sources": list(fix.sources),
    }


def _path(path: Path, gate: Gate, remediation: str) -> JsonObject:
    acceptance = gate.acceptance(path.id)
    return {
        "id": path.id,
        "severity": str(path.severity),
        "credential": path.credential_id,
        "environment": str(path.environment),
        "resource": path.resource,
        "action": path.action,
        "destructive": path.destructive,
        "backups_in_blast_radius": path.backups_in_blast_radius,
        "hops": [{"kind": hop.kind, "label": hop.label} for hop in path.hops],
        "why": list(path.why),
        "mitigations": list(path.mitigations),
        "label_scope_mismatch": path.mismatch,
        "accepted": _acceptance(acceptance, expired=False),
        "baseline_expired": _acceptance(acceptance, expired=True),
        "remediation": remediation,
    }
