"""``run(config) -> ScanResult``: discovery → detection → credentials → reach → graph → gate.

Each file is read and scanned independently (detectors plus usage collection) and then
forgotten; only candidates and usages survive the file loop. The raw secrets inside
candidates are dropped at :func:`credentials.merge`, before reach is resolved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from blastscan.detectors import iac, usage
from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document
from blastscan.detectors.sections import STRUCTURED, enclosing_keys
from blastscan.scanner import credentials, discovery, graph
from blastscan.scanner.config import ScanConfig
from blastscan.scanner.errors import TargetError
from blastscan.scanner.models import (
    Candidate,
    Gate,
    ScanResult,
    SkipReason,
    Summary,
    Usage,
)
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.registry import resolve
from blastscan.scanner.version import VERSION

Progress = Callable[[int, int], None]


def run(config: ScanConfig, progress: Progress | None = None) -> ScanResult:
    root = config.target
    if not root.exists():
        raise TargetError(f"target does not exist: {root}")
    if not root.is_dir():
        raise TargetError(f"target is not a directory: {root}")
    walk = discovery.Walk(root, max_file_size=config.max_file_size,
                          include_deps=config.include_deps)
    files = list(walk)
    skipped: Counter[SkipReason] = Counter(walk.skipped)
    candidates: list[Candidate] = []
    usages: list[Usage] = []
    infra: list[iac.Finding] = []
    scanned = suppressed = filtered = 0
    for index, ref in enumerate(files, 1):
        text = discovery.read_text(ref)
        if isinstance(text, SkipReason):
            skipped[text] += 1
        else:
            scanned += 1
            doc = Document.of(ref.rel, text)
            detection = scan_document(doc)
            suppressed += detection.suppressed
            filtered += detection.filtered
            candidates.extend(_with_sections(doc, c) for c in detection.candidates)
            usages.extend(usage.collect(doc))
            infra.extend(iac.collect(doc))
        if progress is not None:
            progress(index, len(files))
    merged = credentials.merge(candidates)
    del candidates  # the last reference to raw secrets
    repo = RepoEvidence(usages, infra)
    resolved = tuple(resolve(c, repo) for c in merged)
    found = graph.paths(graph.build_graph(resolved))
    failing = tuple(p.id for p in found if p.severity.rank >= config.fail_on.rank)
    summary = Summary(
        files_scanned=scanned,
        files_skipped=tuple(sorted(skipped.items())),
        suppressed=suppressed,
        filtered=filtered,
    )
    return ScanResult(
        target=str(root),
        tool_version=VERSION,
        summary=summary,
        credentials=resolved,
        paths=found,
        gate=Gate(bool(failing), config.fail_on, failing),
    )


def _with_sections(doc: Document, candidate: Candidate) -> Candidate:
    if not doc.path.endswith(STRUCTURED):
        return candidate
    keys = enclosing_keys(doc, candidate.location.line)
    if not keys:
        return candidate
    facts = tuple(sorted({*candidate.facts, *(("section", k) for k in keys)}))
    return replace(candidate, facts=facts)
