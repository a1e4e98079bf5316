"""``run(config) -> ScanResult``: discovery → detection → credentials → reach → graph → gate.

Each file is read and scanned independently (detectors plus usage collection) and then
forgotten; only candidates and usages survive the file loop. The raw secrets inside
candidates are dropped at :func:`credentials.merge`, before reach is resolved.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from blastscan.detectors.evidence.iac.model import Finding
from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.detectors.providers import custom
from blastscan.detectors.registry import scan_document
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.models import (
    Candidate,
    Path,
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
from blastscan.scanner.pipeline.targets import Targets
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.registry import resolve
from blastscan.scanner.reach.transitive import transits
from blastscan.scanner.verdict import gate
from blastscan.scanner.version import VERSION

Progress = Callable[[int, int], None]
# Where the graph helper stops paying: about 0.25 ms of pickling per credential, both
# ways, against the quarter second of import it saves.
_HELPER_MAX_CREDENTIALS = 500


def run(config: ScanConfig, progress: Progress | None = None,
        helper: GraphHelper | None = None) -> ScanResult:
    """``helper``: a graph process warmed up by the console script (:mod:`graph_helper`);
    without one (or if it fails) the graph is built here."""
    if config.jobs == 1 and helper is not None:
        helper.close()  # --jobs 1: no process but this one
        helper = None
    targets = Targets(config)  # checks the target and --home before anything is read
    root, chosen = config.target, targets.chosen
    reports = [f for spec in config.imports for f in import_formats.read(spec)]  # fail fast
    extra = (*config.detectors, *(d for p in config.providers for d in custom.from_provider(p)))
    # One pool for the file pass and the evidence pass: the second reuses warm workers.
    workers = filescan.Workers(config.jobs)
    try:
        tally = _Tally(Counter())
        deferred: list[discovery.FileRef] = []
        scanned = filescan.scan_files(targets, workers, extra, config.defer_evidence)
        # The graph is built here when there is no helper or too much for it: then import
        # networkx while the workers are busy, overlapping their work.
        in_process = 0 if helper is None else _HELPER_MAX_CREDENTIALS
        for done, result in enumerate(scanned, 1):
            if result.deferred:
                deferred.append(targets.refs[done - 1])
            before = len(tally.candidates)
            tally.add(result)
            if before <= in_process < len(tally.candidates):
                _import_graph()
            if progress is not None:
                progress(done, len(targets.refs))  # the walk is usually done by the first tick
        tally.skipped.update(targets.skipped)
        excluded = targets.excluded
        history_blobs = 0
        if config.history and history.is_repository(root):
            workers.close()  # history forks its own pool, and git needs the cores meanwhile
            past = history.History(root, max_size=config.max_file_size, since=config.since)
            wanted = (b for b in past if not chosen.active or chosen.wants(b.path))
            for result in filescan.scan_blobs(wanted, config.jobs, extra):
                history_blobs += 1
                tally.add(result, count_scanned=False)
            tally.skipped.update(past.skipped)
        if config.env:
            # Read only when asked, so a scan's result never depends on the caller's shell.
            for doc in sources.environment_documents(os.environ):
                detection = scan_document(doc, extra=extra)
                tally.add(filescan.FileResult(candidates=detection.candidates,
                                              suppressed=detection.suppressed,
                                              filtered=detection.filtered), count_scanned=False)
        candidates = tally.candidates
        if reports:
            # Other scanners' findings join ours before the merge, so one secret is one credential.
            candidates.extend(c for c in imports.candidates(reports, root, extra)
                              if not chosen.active or chosen.wants(c.location.path))
        knowledge = {**load_knowledge(), **{p.id: p for p in config.providers}}
        tally.usages.extend(evidence_pass.collect(deferred, candidates, tally.usages, workers,
                                                  knowledge))
    finally:
        workers.close()
    merged = credentials.merge(candidates)
    candidates.clear()  # drop the last references to raw secrets (the tally shares this list)
    repo = RepoEvidence(tally.usages, tally.infra, knowledge, merged)
    kept, examples, overruled = set_aside(merged, repo)
    resolved = tuple(_with_why(resolve(c, repo), overruled.get(c.id)) for c in kept)
    found: tuple[Path, ...] | None = None
    if resolved:  # no credential, no path: a clean repository never imports networkx
        reached = transits(resolved, repo)
        # Past a few hundred credentials, pickling them to the helper and the paths back
        # costs more than the import it saves (60,000: 15 s against 0.3 s).
        if helper is not None and len(resolved) <= _HELPER_MAX_CREDENTIALS:
            found = helper.paths(resolved, reached)  # None if the helper could not answer
        if found is None:
            from blastscan.scanner.verdict import graph  # see _import_graph

            found = graph.paths(graph.build_graph(resolved, reached))
    if helper is not None:
        helper.close()  # unused, or done (closing twice is harmless)
    found = gate.apply_overrides(found or (), resolved, config.overrides)
    verdict, accepted = gate.decide(found, resolved, config)
    summary = Summary(
        files_scanned=tally.scanned,
        files_skipped=tuple(sorted(tally.skipped.items())),
        suppressed=tally.suppressed,
        filtered=tally.filtered,
        history_blobs=history_blobs,
        excluded=excluded,
        baseline=accepted,
        examples=len(examples),
    )
    return ScanResult(
        target=str(root),
        tool_version=VERSION,
        summary=summary,
        credentials=resolved,
        paths=found,
        gate=verdict,
        examples=examples,
    )


@dataclass
class _Tally:
    """What the file, history and environment passes add up to, before the merge."""

    skipped: Counter[SkipReason]
    candidates: list[Candidate] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    infra: list[Finding] = field(default_factory=list)
    scanned: int = 0
    suppressed: int = 0
    filtered: int = 0

    def add(self, result: filescan.FileResult, *, count_scanned: bool = True) -> None:
        if result.skipped is not None:
            self.skipped[result.skipped] += 1
            return
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


def _import_graph() -> None:
    """When the graph is built here (no helper, or more candidates than it takes): networkx
    takes a quarter of a second to import. Imported at start-up it delays the scan workers
    (they fork after it); imported during the file pass it runs while they work, and a
    repository without a candidate never imports it. Nothing before the graph step needs
    it."""
    import blastscan.scanner.verdict.graph  # noqa: F401
