"""Join many repositories' results into one organisation result, by fingerprint.

Fingerprints are HMACs under the organisation's key, so one secret is one fingerprint in
every report made with that key; reports under another scheme are refused outright
(:class:`MergeError`), since joining them would silently split one secret in two. Each
repository's locations and evidence are prefixed with its name (``api/.env:3``).

The join folds reports in one at a time and keeps only what the merged result needs
(per credential and per path, which repositories hold it), never the reports
themselves; the result does not depend on the order reports are added in (a sweep's
finishing order varies), because every choice between repositories is made in name order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from blastscan.scanner.errors import MergeError
from blastscan.scanner.models import (
    Example,
    Location,
    Path,
    ResolvedCredential,
    ScanResult,
    Severity,
)
from blastscan.scanner.org import ranking, referencing
from blastscan.scanner.organisation import Organisation, Reference, Repository, SkippedReport
from blastscan.scanner.version import VERSION


@dataclass
class Join:
    scheme: str | None = None
    repositories: dict[str, Repository] = field(default_factory=dict)
    skipped: list[SkippedReport] = field(default_factory=list)
    # fingerprint -> repository -> that repository's credential (locations prefixed)
    credentials: dict[str, dict[str, ResolvedCredential]] = field(
        default_factory=lambda: defaultdict(dict))
    paths: dict[str, dict[str, Path]] = field(default_factory=lambda: defaultdict(dict))
    accepted: dict[str, dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    examples: dict[str, dict[str, Example]] = field(default_factory=lambda: defaultdict(dict))
    ids: dict[str, str] = field(default_factory=dict)  # credential id -> fingerprint
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    references: dict[str, tuple[Reference, ...]] = field(default_factory=dict)

    def skip(self, file: str, reason: str) -> None:
        self.skipped.append(SkippedReport(file, reason))

    def add(self, name: str, result: ScanResult) -> None:
        """Fold one repository's result in; :class:`MergeError` if it cannot join."""
        if name in self.repositories:
            raise MergeError(f"two reports for repository {name!r}: name each report after"
                             " its repository")
        if self.scheme is None:
            self.scheme = result.fingerprint_scheme
        elif result.fingerprint_scheme != self.scheme:
            raise MergeError(f"report for {name!r} uses fingerprint scheme "
                             f"{result.fingerprint_scheme}, the others {self.scheme}: scan every"
                             " repository with the same BLASTSCAN_FINGERPRINT_KEY")
        ids = {rc.credential.id: rc.credential.fingerprint for rc in result.credentials}
        for ident, fp in ids.items():
            if self.ids.get(ident, fp) != fp:
                raise MergeError(f"report for {name!r}: credential {ident} has another"
                                 " fingerprint in an earlier report (a forged report?)")
        self.ids.update(ids)
        self.repositories[name] = Repository(name, result.target,
                                             "fail" if result.gate.failed else "pass",
                                             len(result.credentials), len(result.paths))
        for rc in result.credentials:
            self.credentials[rc.credential.fingerprint][name] = _prefixed(rc, name)
        self.references[name] = result.references
        accepted = {a.path_id for a in result.gate.accepted}
        for path in result.paths:
            if path.credential_id in ids:
                self.paths[path.id][name] = _prefixed_path(path, name)
                self.accepted[path.id][name] = path.id in accepted
        for example in result.examples:
            cred = example.credential
            self.examples[cred.fingerprint][name] = replace(
                example, credential=replace(cred, locations=_at(name, cred.locations)))
        summary = result.summary
        for key in ("files_scanned", "suppressed", "filtered", "history_blobs", "excluded",
                    "examples"):
            self.counts[key] += getattr(summary, key)
        for reason, count in summary.files_skipped:
            self.counts[f"skipped:{reason}"] += count

    def finish(self, fail_on: Severity = Severity.CRITICAL) -> ScanResult:
        holders = {fp: tuple(sorted(by_repo)) for fp, by_repo in self.credentials.items()}
        merged = tuple(ranking.merge_credential(by_repo) for by_repo in self.credentials.values())
        paths = tuple(by_repo[min(by_repo)] for by_repo in self.paths.values())
        path_repos = {pid: tuple(sorted(by_repo)) for pid, by_repo in self.paths.items()}
        by_id = {rc.credential.id: holders[rc.credential.fingerprint] for rc in merged}
        cross = ranking.cross_paths(paths, by_id, path_repos)
        gate = ranking.org_gate(paths, merged, fail_on, by_id, self.accepted,
                                failed_inputs=bool(self.skipped))
        organisation = Organisation(
            fingerprint_scheme=self.scheme or "",
            repositories=tuple(self.repositories[n] for n in sorted(self.repositories)),
            skipped=tuple(sorted(self.skipped)),
            ranking=ranking.rank(merged, paths, by_id),
            cross=cross,
            by_reference=referencing.by_reference(self.references, merged, by_id))
        examples = tuple(ranking.merge_example(by_repo) for by_repo in self.examples.values())
        return ScanResult(
            target=f"organisation ({len(self.repositories)} repositories)",
            tool_version=VERSION,
            summary=ranking.summary(self.counts),
            credentials=tuple(sorted(merged, key=lambda rc: rc.credential.id)),
            paths=tuple(sorted(paths, key=lambda p: p.id)),
            gate=gate,
            examples=examples,
            fingerprint_scheme=self.scheme or "",
            organisation=organisation,
        )


def _at(name: str, locations: tuple[Location, ...]) -> tuple[Location, ...]:
    return tuple(replace(loc, path=f"{name}/{loc.path}") for loc in locations)


def _prefixed(rc: ResolvedCredential, name: str) -> ResolvedCredential:
    evidence = tuple(replace(e, path=f"{name}/{e.path}") for e in rc.reach.evidence)
    return ResolvedCredential(replace(rc.credential, locations=_at(name, rc.credential.locations)),
                              replace(rc.reach, evidence=evidence))


def _prefixed_path(path: Path, name: str) -> Path:
    hops = tuple(replace(h, label=f"{name}/{h.label}") if h.kind == "source" else h
                 for h in path.hops)
    return replace(path, hops=hops)
