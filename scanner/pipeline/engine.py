"""``run(config) -> ScanResult``: discovery → detection → credentials → reach → graph → gate.

Each file is read and scanned independently (detectors plus usage collection) and then
forgotten; only candidates and usages survive the file loop. The raw secrets inside
candidates are dropped at :func:`credentials.merge`, before reach is resolved.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from blastscan.detectors.base import Detector
from blastscan.detectors.evidence.iac.model import Finding
from blastscan.detectors.knowledge.loader import Provider
from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.detectors.providers import custom
from blastscan.detectors.registry import scan_document
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.models import (
    Candidate,
    ResolvedCredential,
    ScanResult,
    SkipReason,
    Summary,
    Usage,
)
from blastscan.scanner.pipeline import (
    credentials,
    discovery,
    evidence_pass,
    filescan,
    history,
    import_formats,
    imports,
    sources,
)
from blastscan.scanner.pipeline.examples import set_aside
from blastscan.scanner.pipeline.graph_helper import GraphHelper
from blastscan.scanner.pipeline.graph_step import GraphStep
from blastscan.scanner.pipeline.targets import Targets
from blastscan.scanner.reach import references
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.registry import resolve
from blastscan.scanner.verdict import gate, moved
from blastscan.scanner.version import VERSION

Progress = Callable[[int, int], None]


def run(config: ScanConfig, progress: Progress | None = None,
        helper: GraphHelper | None = None) -> ScanResult:
    """``helper``: a graph process warmed up by the console script (see :mod:`graph_step`);
    without one (or if it fails) the graph is built here."""
    graph = GraphStep(helper, config.jobs)
    targets = Targets(config)  # checks the target and --home before anything is read
    reports = [f for spec in config.imports for f in import_formats.read(spec)]  # fail fast
    extra = (*config.detectors, *(d for p in config.providers for d in custom.from_provider(p)))
    knowledge = {**load_knowledge(), **{p.id: p for p in config.providers}}
    tally = _read(config, targets, reports, extra, knowledge, graph, progress)
    merged = credentials.merge(tally.candidates, config.fingerprint_key)
    tally.candidates.clear()  # drop the last references to raw secrets
    repo = RepoEvidence(tally.usages, tally.infra, knowledge, merged)
    kept, examples, overruled = set_aside(merged, repo)
    resolved = tuple(_with_why(resolve(c, repo), overruled.get(c.id)) for c in kept)
    found = gate.apply_overrides(graph.paths(resolved, repo), resolved, config.overrides)
    found = moved.explain(found, resolved, config.baseline)  # why a known secret gates again
    verdict, accepted = gate.decide(found, resolved, config)
    summary = Summary(
        files_scanned=tally.scanned,
        files_skipped=tuple(sorted(tally.skipped.items())),
        suppressed=tally.suppressed,
        filtered=tally.filtered,
        history_blobs=tally.history_blobs,
        excluded=targets.excluded,
        baseline=accepted,
        examples=len(examples),
    )
    return ScanResult(
        target=str(config.target),
        tool_version=VERSION,
        summary=summary,
        credentials=resolved,
        paths=found,
        gate=verdict,
        examples=examples,
        fingerprint_scheme=config.fingerprint_key.scheme,
        references=references.collect(resolved, repo),
    )


def _read(config: ScanConfig, targets: Targets, reports: list[import_formats.Finding],
          extra: tuple[Detector, ...], knowledge: Mapping[str, Provider], graph: GraphStep,
          progress: Progress | None) -> _Tally:
    """Every source an agent can read: the files, git history, the environment (when
    asked), other scanners' reports; then the evidence pass for what was deferred."""
    root, chosen = config.target, targets.chosen
    # One pool for the file pass and the evidence pass: the second reuses warm workers.
    workers = filescan.Workers(config.jobs)
    try:
        tally = _Tally(Counter())
        deferred: list[discovery.FileRef] = []
        scanned = filescan.scan_files(targets, workers, extra, config.defer_evidence)
        for done, result in enumerate(scanned, 1):
            if result.deferred:
                deferred.append(targets.refs[done - 1])
            tally.add(result)
            graph.candidates_seen(len(tally.candidates))
            if progress is not None:
                progress(done, len(targets.refs))  # the walk is usually done by the first tick
        tally.skipped.update(targets.skipped)
        if config.history and history.is_repository(root):
            workers.close()  # history forks its own pool, and git needs the cores meanwhile
            past = history.History(root, max_size=config.max_file_size, since=config.since)
            wanted = (b for b in past if not chosen.active or chosen.wants(b.path))
            for result in filescan.scan_blobs(wanted, config.jobs, extra):
                tally.history_blobs += 1
                tally.add(result, count_scanned=False)
            tally.skipped.update(past.skipped)
        if config.env:
            # Read only when asked, so a scan's result never depends on the caller's shell.
            for doc in sources.environment_documents(os.environ):
                detection = scan_document(doc, extra=extra)
                tally.add(filescan.FileResult(candidates=detection.candidates,
                                              suppressed=detection.suppressed,
                                              filtered=detection.filtered), count_scanned=False)
        if reports:
            # Other scanners' findings join ours before the merge, so one secret is one credential.
            tally.candidates.extend(c for c in imports.candidates(reports, root, extra)
                                    if not chosen.active or chosen.wants(c.location.path))
        evidence = evidence_pass.collect(deferred, tally.candidates, tally.usages, workers,
                                         knowledge)
        tally.usages.extend(evidence.usages)
        if evidence.unparseable:  # deferred files whose parse gave up: skipped, not scanned
            tally.skipped[SkipReason.UNPARSEABLE] += evidence.unparseable
            tally.scanned -= evidence.unparseable
    finally:
        workers.close()
    return tally


@dataclass
class _Tally:
    """What the file, history and environment passes add up to, before the merge."""

    skipped: Counter[SkipReason]
    candidates: list[Candidate] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    infra: list[Finding] = field(default_factory=list)
    scanned: int = 0
    history_blobs: int = 0  # unique git blobs read
    suppressed: int = 0
    filtered: int = 0

    def add(self, result: filescan.FileResult, *, count_scanned: bool = True) -> None:
        if result.skipped is not None:
            self.skipped[result.skipped] += 1
            # An unparseable file keeps what the other readers found in it; an own report
            # the secrets pasted into it (own_reports.py).
            if result.skipped not in (SkipReason.UNPARSEABLE, SkipReason.OWN_REPORT):
                return
        else:
            self.scanned += count_scanned
        self.suppressed += result.suppressed
        self.filtered += result.filtered
        self.candidates.extend(result.candidates)
        self.usages.extend(result.usages)
        self.infra.extend(result.infra)


def _with_why(resolved: ResolvedCredential, extra: str | None) -> ResolvedCredential:
    if extra is None:
        return resolved
    reach = replace(resolved.reach, why=(*resolved.reach.why, extra))
    return replace(resolved, reach=reach)
