"""The HTML review report: one self-contained, offline, printable file.

A pure ``ScanResult -> str`` reporter. The page is built only by jinja2 templates
(``templates/*.j2``) with autoescaping and ``StrictUndefined``: every label, path and
reason comes from an untrusted repository, and a missing variable must fail loudly
rather than render as nothing. The inline filter script is our own constant text; a
Content-Security-Policy allows exactly that script (by hash) and no network access of
any kind, so even a mistake in escaping could neither run code nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from blastscan.reports.common import (
    agent_scope,
    headline_path,
    passed_headline,
    severity_counts,
    skipped_counts,
    sorted_credentials,
    sorted_environments,
    sorted_examples,
    sorted_locations,
    sorted_paths,
    worst_severity_by_credential,
)
from blastscan.reports.grouping import CredentialGroup, group_paths, hop_label
from blastscan.reports.html_layout import NODE_H, NODE_W, Layout, layout
from blastscan.reports.organisation import view
from blastscan.reports.remediation import Remediation
from blastscan.scanner import names
from blastscan.scanner.models import (
    Hop,
    Path,
    ResolvedCredential,
    ScanResult,
    Severity,
    SourceKind,
)

SCRIPT_TEMPLATE = "filters.js.j2"


@dataclass(frozen=True, slots=True)
class Reason:
    tag: str  # mismatch | uncertain | backups | missing | mitigation | ok | why
    text: str


@dataclass(frozen=True, slots=True)
class PathView:
    path: Path
    provider: str
    sources: str  # space-separated source kinds, for the filter script
    reasons: tuple[Reason, ...]
    own_hops: tuple[Hop, ...]  # past the route its credential's block shows once


@dataclass(frozen=True, slots=True)
class BlockView:
    """One credential: its reach said once, its own graph, its operations, how to close it."""

    group: CredentialGroup
    provider: str
    sources: str
    route: tuple[tuple[str, str], ...]  # (hop kind, label)
    paths: tuple[PathView, ...]
    layout: Layout
    fix: Remediation  # every path's steps, each once: the block says it, not each card


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("blastscan.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template() -> Template:
    return environment().get_template("report.html.j2")


def render_html(result: ScanResult) -> str:
    script = environment().get_template(SCRIPT_TEMPLATE).render()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    page = template().render(context(result, script_hash=f"sha256-{digest}"))
    return names.readable(page)  # escaped already; only a name that is not UTF-8 is left


def context(result: ScanResult, *, script_hash: str) -> dict[str, object]:
    """Everything the template reads; tests drop a key to prove StrictUndefined."""
    by_id = {rc.credential.id: rc for rc in result.credentials}
    blocks = [_block_view(result, g) for g in group_paths(result.paths, by_id)]
    paths = [view for block in blocks for view in block.paths]
    credentials = sorted_credentials(result.credentials)
    providers = sorted({rc.reach.provider for rc in credentials} | {v.provider for v in paths})
    return {
        "result": result,
        "verdict": _verdict(result),
        "counts": list(severity_counts(result.paths).items()),
        "skipped": [(r, n) for r, n in skipped_counts(result.summary).items() if n],
        "paths": paths,
        "blocks": blocks,
        "credentials": credentials,
        "examples": sorted_examples(result.examples),
        "worst": {k: str(v) for k, v in worst_severity_by_credential(result.paths).items()},
        "sources_of": {rc.credential.id: _sources(rc) for rc in credentials},
        "sorted_locations": sorted_locations,
        "sorted_environments": sorted_environments,
        "providers": providers,
        "source_kinds": [str(s) for s in SourceKind],
        "severities": [str(s) for s in sorted(Severity, key=lambda s: -s.rank)],
        "node_w": NODE_W,
        "node_h": NODE_H,
        "script_template": SCRIPT_TEMPLATE,
        "script_hash": script_hash,
        "organisation": view(result.organisation) if result.organisation else None,
    }


def _sources(resolved: ResolvedCredential | None) -> str:
    if resolved is None:
        return ""
    return " ".join(dict.fromkeys(str(loc.source) for loc in
                                  sorted_locations(resolved.credential.locations)))


def _block_view(result: ScanResult, group: CredentialGroup) -> BlockView:
    """A credential's block. Its graph is drawn from its own paths only: one graph for the
    whole result joined credentials through shared environment nodes, so a token seemed
    to reach another provider's resources, and no filter could take it apart."""
    resolved = group.resolved
    views = tuple(_path_view(p, group) for p in group.paths)
    route = tuple((h.kind, hop_label(h, resolved)) for h in group.route)
    provider = resolved.reach.provider if resolved else "generic"
    return BlockView(group, provider, _sources(resolved), route, views,
                     layout(replace(result, paths=group.paths)), group.fix())


def _path_view(path: Path, group: CredentialGroup) -> PathView:
    resolved = group.resolved
    shared = set(resolved.reach.why) if resolved else set()  # the block says these once
    said = resolved.reach.mismatch if resolved else None  # the block shows it
    reasons = [Reason("mismatch", path.mismatch)] if path.mismatch and path.mismatch != said \
        else []
    reasons += [Reason("uncertain" if w.startswith("UNCERTAIN") else "why", w)
                for w in path.why if w not in shared]
    if path.backups_in_blast_radius:
        reasons.append(Reason("backups", "backups are in the blast radius: "
                                         "the same operation destroys them"))
    elif path.backups_in_blast_radius is None and path.destructive:
        reasons.append(Reason("uncertain", "UNCERTAIN: whether backups survive is not known"))
    reasons += [Reason("mitigation", m) for m in path.mitigations]
    if path.destructive and not path.mitigations:
        reasons.append(Reason("missing", "no deletion protection found in the repository"))
    provider = resolved.reach.provider if resolved else "generic"
    return PathView(path, provider, _sources(resolved), tuple(reasons), group.own_hops(path))


def _verdict(result: ScanResult) -> tuple[str, str]:
    gate, paths = result.gate, sorted_paths(result.paths)
    if not gate.failed:
        return "PASS", passed_headline(gate, paths)
    failing = [p for p in paths if p.id in set(gate.failing_paths)]
    if not failing:
        return "FAIL", f"the gate failed at {gate.fail_on}"
    worst = headline_path(result, failing)
    noun = "path" if len(failing) == 1 else "paths"
    return "FAIL", (f"{len(failing)} {noun} at {gate.fail_on} or above: "
                    f"{agent_scope(result)} can reach {worst.action} in {worst.environment}")
