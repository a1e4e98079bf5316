"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.

One run, one result per path (rules in :mod:`blastscan.reports.sarif_rules`). A result
points at the credential's first location (the one the path enters through) and carries
the path's hops as a code flow. Repository files are ``artifactLocation`` URIs relative to
``%SRCROOT%``; a git-history location names the file and puts the commit in its
properties; ``~/…`` home stores and ``env:NAME`` variables are not repository files: they
get a ``logicalLocation``, plus the physical location GitHub requires of every result (the
first repository evidence of the credential's use, else the scanned directory).

``partialFingerprints["blastscan/v1"]`` hashes the rule id, the credential fingerprint,
the file and the path id (credential, environment, action), never a line number, so an
alert survives the secret moving within its file. Output is deterministic: sorted, no
timestamps, no absolute paths, no ``invocations``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from blastscan.reports.common import sorted_locations, sorted_paths
from blastscan.reports.json_report import organisation_json
from blastscan.reports.sarif_rules import LEVEL, build_rules, rule_id
from blastscan.scanner import json_text, names
from blastscan.scanner.models import (
    Acceptance,
    Location,
    Path,
    ResolvedCredential,
    ScanResult,
    SourceKind,
)
from blastscan.scanner.pipeline.sources import ENV_PREFIX, HOME_PREFIX

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/blastscan/blastscan"
FINGERPRINT_KEY = "blastscan/v1"
SRCROOT = "%SRCROOT%"
ROOT_ANCHOR = "."  # the scanned directory itself, when nothing in it can be named
_ARROW = " → "
_OUTSIDE_REPOSITORY = (SourceKind.HOME, SourceKind.ENVIRONMENT)
_OUTSIDE_PREFIXES = (HOME_PREFIX, ENV_PREFIX)
_REASONS_IN_MESSAGE = 2
_MAX_RELATED = 10
# GitHub code scanning rejects a run of more than 25,000 results (docs.github.com,
# "SARIF support for code scanning", upload limits); stay below it, keeping the worst.
MAX_RESULTS = 20_000


def over_limit(dropped: int, total: int) -> str:
    return (f"{dropped} of {total} paths left out of SARIF: GitHub code scanning accepts at most"
            f" 25,000 results per run; the {MAX_RESULTS} most severe are kept (the JSON report"
            " lists every path)")

JsonObject = dict[str, Any]  # the SARIF boundary, like the JSON report's


def render_sarif(result: ScanResult) -> str:
    """Render ``result`` as a SARIF 2.1.0 log with a single run (at most
    :data:`MAX_RESULTS` results, the worst first, with a warning in the run past it)."""
    by_id = {rc.credential.id: rc for rc in result.credentials}
    everything = sorted_paths(result.paths)  # worst severity first
    paths = everything[:MAX_RESULTS]
    rules = build_rules(paths, by_id)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    driver = {
        "name": "blastscan",
        "version": result.tool_version,
        "semanticVersion": result.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The directory blastscan scanned."}}
        },
        "results": [_result(p, by_id.get(p.credential_id), index, result.gate.acceptance(p.id))
                    for p in paths],
        "columnKind": "unicodeCodePoints",
    }
    if result.organisation is not None:  # a merged report: the whole section, as in JSON
        run["properties"] = {"organisation": organisation_json(result.organisation)}
    if dropped := len(everything) - len(paths):
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [{
            "level": "warning", "message": {"text": over_limit(dropped, len(everything))}}]}]
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json_text.dumps(log)


def partial_fingerprint(path: Path, resolved: ResolvedCredential | None) -> str:
    """The line-independent identity of ``path``'s alert."""
    fingerprint = resolved.credential.fingerprint if resolved else path.credential_id
    where = _first_location(resolved)
    parts = (rule_id(path), fingerprint, where.path if where else "", path.id)
    # The name's own bytes: the same hash as before for UTF-8, and one for any other name.
    return hashlib.sha256(names.raw("\0".join(parts))).hexdigest()


def _first_location(resolved: ResolvedCredential | None) -> Location | None:
    """Where the alert points: a working-tree copy before git history (a stale line),
    then the locations' own order."""
    if resolved is None or not resolved.credential.locations:
        return None
    ordered = sorted_locations(resolved.credential.locations)
    return min(ordered, key=lambda loc: loc.source is not SourceKind.WORKTREE)


def _related(where: Location | None, resolved: ResolvedCredential | None) -> list[JsonObject]:
    """The credential's other locations (history copies, other files), a few at most."""
    if resolved is None:
        return []
    others = [loc for loc in sorted_locations(resolved.credential.locations) if loc != where]
    related = []
    for number, loc in enumerate(others[:_MAX_RELATED], 1):
        related.append({"id": number, **_location(loc, resolved),
                        "message": {"text": f"the same secret ({loc.source})"}})
    return related


def _result(path: Path, resolved: ResolvedCredential | None, index: dict[str, int],
            acceptance: Acceptance | None = None) -> JsonObject:
    key = rule_id(path)
    where = _first_location(resolved)
    result: JsonObject = {
        "ruleId": key,
        "ruleIndex": index[key],
        "level": LEVEL[path.severity],
        "message": {"text": _message(path, resolved)},
        "locations": [_location(where, resolved)],
        **({"relatedLocations": related} if (related := _related(where, resolved)) else {}),
        "partialFingerprints": {FINGERPRINT_KEY: partial_fingerprint(path, resolved)},
    }
    if acceptance is not None and not acceptance.expired:
        # Accepted in the baseline: code scanning shows it as dismissed, not as an alert.
        until = f" (until {acceptance.expires})" if acceptance.expires else ""
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{acceptance.reason} — {acceptance.owner}{until}"}]
    labels = _hop_labels(path, resolved)
    if labels:
        hops = [{"location": {"message": {"text": f"{hop.kind}: {label}"}}}
                for hop, label in zip(path.hops, labels, strict=True)]
        # The first hop is where the agent reads the secret.
        hops[0]["location"] = {**_location(where, resolved), **hops[0]["location"]}
        result["codeFlows"] = [{"threadFlows": [{"locations": hops}]}]
    result["properties"] = {
        "id": path.id,
        "credential": path.credential_id,
        "severity": str(path.severity),
        "environment": str(path.environment),
        "resource": path.resource,
        "action": path.action,
        "destructive": path.destructive,
        "backups_in_blast_radius": path.backups_in_blast_radius,
        "label_scope_mismatch": path.mismatch,
        "mitigations": list(path.mitigations),
    }
    return result


def _hop_labels(path: Path, resolved: ResolvedCredential | None) -> list[str]:
    """Hop labels, the credential named as people recognise it (provider, kind, preview)."""
    if resolved is None:
        return [hop.label for hop in path.hops]
    reach, redacted = resolved.reach, resolved.credential.redacted
    named = f"{reach.provider} {reach.kind} {redacted}"
    return [named if hop.kind == "credential" else hop.label for hop in path.hops]


def _message(path: Path, resolved: ResolvedCredential | None) -> str:
    chain = _ARROW.join(_hop_labels(path, resolved)) or path.credential_id
    text = f"{path.severity}: {chain}."
    if path.backups_in_blast_radius:
        text += " Backups are inside the blast radius."
    if path.mismatch:
        text += f" Label/scope mismatch: {path.mismatch}."
    reasons = path.why[:_REASONS_IN_MESSAGE]
    return text + (" Why: " + "; ".join(reasons) + "." if reasons else "")


def _location(where: Location | None, resolved: ResolvedCredential | None) -> JsonObject:
    if where is None:
        return {"physicalLocation": _physical(ROOT_ANCHOR, 0)}
    properties: JsonObject = {"source": str(where.source)}
    if where.commit:
        properties["commit"] = where.commit
    if where.source not in _OUTSIDE_REPOSITORY:
        return {"physicalLocation": _physical(where.path, where.line, where),
                "properties": properties}
    # GitHub rejects a whole log if one location is only logical, so a secret read from
    # outside the repository is anchored where the repository uses it (or at its root).
    kind = "variable" if where.source is SourceKind.ENVIRONMENT else "resource"
    logical = {"name": where.path.removeprefix(ENV_PREFIX), "fullyQualifiedName": where.path,
               "kind": kind}
    evidence = resolved.reach.evidence if resolved else ()
    inside = [e for e in evidence if not e.path.startswith(_OUTSIDE_PREFIXES)]
    anchor = _physical(inside[0].path, inside[0].line) if inside else _physical(ROOT_ANCHOR, 0)
    return {"physicalLocation": anchor, "logicalLocations": [logical],
            "message": {"text": f"read from {where.path}, outside the repository"},
            "properties": properties}


def _physical(path: str, line: int, where: Location | None = None) -> JsonObject:
    """``where``: the secret's own location, whose columns the region carries when known.
    Only what the detector saw is claimed: a start column without an end (the region then
    runs to the end of the line), and an end only where the text there is the secret on
    one line (SARIF 2.1.0 §3.30: endLine defaults to startLine, endColumn to the line's
    end)."""
    artifact = {"uri": names.uri(path), "uriBaseId": SRCROOT}
    physical: JsonObject = {"artifactLocation": artifact}
    if line >= 1:
        region: JsonObject = {"startLine": line}
        if where is not None and where.column >= 1:
            region["startColumn"] = where.column
            if where.end_column > where.column:
                region |= {"endLine": line, "endColumn": where.end_column}
        physical["region"] = region
    return physical
