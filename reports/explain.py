"""``blastscan explain ID``: the whole evidence chain behind one path or credential.

Pure, like every reporter: a result and an id in, plain text out (None when the id
names nothing in the result; the CLI turns that into exit 2). ``ID`` is a path id
(``p-…``), a credential id (``c-…``) or a fingerprint (``hmac-sha256:…``); for a credential
every path it starts is explained. Nothing is summarised away: every hop, reason,
evidence item (file:line), mitigation, label/scope mismatch and the baseline's verdict,
then how to close it (the steps the reports give, merged over the paths explained).
"""

from __future__ import annotations

from blastscan.reports.common import sorted_locations, sorted_paths
from blastscan.reports.remediation import Remediation, merged, remediation_for
from blastscan.reports.text_parts import location_label
from blastscan.scanner import names
from blastscan.scanner.models import Gate, Path, ResolvedCredential, ScanResult


def render_explain(result: ScanResult, ident: str) -> str | None:
    by_id = {rc.credential.id: rc for rc in result.credentials}
    paths = sorted_paths(result.paths)
    chosen = [p for p in paths if p.id == ident]
    if chosen:
        resolved = by_id.get(chosen[0].credential_id)
    else:
        resolved = next((rc for rc in result.credentials
                         if ident in (rc.credential.id, rc.credential.fingerprint)), None)
        if resolved is None:
            return None
        chosen = [p for p in paths if p.credential_id == resolved.credential.id]
    lines = _credential(resolved) if resolved else []
    for path in chosen:
        lines += ["", *_path(path, result.gate)]
    if not chosen:
        lines += ["", "no path: nothing this credential reaches is known to be destructive"]
    else:
        lines += ["", *_fix(merged([remediation_for(p, resolved) for p in chosen]))]
    # One line per item, each made printable: a newline or ESC in a name from the tree
    # cannot start a line of its own, nor an indented name a workflow command.
    return names.inert_lines("\n".join(names.printable(line) for line in lines) + "\n")


def _credential(resolved: ResolvedCredential) -> list[str]:
    cred, reach = resolved.credential, resolved.reach
    lines = [
        f"credential {cred.id}  {cred.fingerprint}  ({cred.redacted})",
        f"  provider {reach.provider} · kind {reach.kind} · scope {reach.scope}"
        f" · confidence {reach.confidence}",
        f"  environments: {', '.join(reach.environments) or 'none shown'}",
        f"  detectors: {', '.join(sorted(cred.detectors))}",
        "  found at:",
        *(f"    {location_label(loc)}" for loc in sorted_locations(cred.locations)),
        "  evidence:",
        *(f"    {e.path}:{e.line}: {e.reason}" for e in reach.evidence),
        "  why:",
        *(f"    - {reason}" for reason in reach.why),
    ]
    if reach.mismatch:
        lines.append(f"  ! label/scope mismatch: {reach.mismatch}")
    return lines


def _path(path: Path, gate: Gate) -> list[str]:
    lines = [
        f"path {path.id}  {path.severity.upper()}: {path.action} on {path.resource}"
        f" in {path.environment}",
        f"  destructive: {'yes' if path.destructive else 'no'} · backups in blast radius: "
        + {True: "yes", False: "no", None: "unknown"}[path.backups_in_blast_radius],
        "  hops:",
        *(f"    {index}. [{hop.kind}] {hop.label}" for index, hop in enumerate(path.hops, 1)),
        "  why:",
        *(f"    - {reason}" for reason in path.why),
        "  mitigations:" + ("" if path.mitigations else " none proven in the repository"),
        *(f"    + {m}" for m in path.mitigations),
    ]
    if path.mismatch:
        lines.append(f"  ! label/scope mismatch: {path.mismatch}")
    lines.append("  gate: " + _verdict(path, gate))
    return lines


def _fix(fix: Remediation) -> list[str]:
    """How to close what was explained: the same merged, sourced steps the reports show."""
    lines = ["to close it:"]
    if fix.narrower:
        lines.append(f"  use instead: {fix.narrower}")
    for index, step in enumerate(fix.steps, 1):
        lines.append(f"  {index}. {step.action}: {step.why}")
        if step.uncertain:
            lines.append(f"     UNCERTAIN: {step.uncertain}")
    lines += [f"  source: {source}" for source in fix.sources]
    return lines


def _verdict(path: Path, gate: Gate) -> str:
    acceptance = gate.acceptance(path.id)
    failing = "fails the gate" if path.id in gate.failing_paths else "does not fail the gate"
    if acceptance is None:
        return f"{failing} (fail_on {gate.fail_on}); not in a baseline"
    until = f" until {acceptance.expires}" if acceptance.expires else ""
    state = "EXPIRED" if acceptance.expired else "accepted"
    return (f"{failing} (fail_on {gate.fail_on}); baseline {state}{until}:"
            f" {acceptance.reason} ({acceptance.owner})")
