"""Scan one file, and many files across processes.

Each file is independent (design principle 7), so large trees are split into chunks
and scanned in a process pool. Workers are forked only when this process runs a single
thread (forking a threaded process can deadlock, and Python 3.12 warns about it);
otherwise, and for small trees where starting workers costs more than it saves, files
are scanned in this process. Results come back in file order, so output is identical
either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain, islice
from typing import TypeVar

from blastscan.detectors.base import Detector, Document
from blastscan.detectors.evidence import code, iac, usage
from blastscan.detectors.evidence.code.parsers import language_for
from blastscan.detectors.evidence.iac.model import Finding
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.detectors.match.sections import STRUCTURED, enclosing_keys
from blastscan.detectors.providers import agent_config
from blastscan.detectors.registry import INDEX, named_present, scan_document
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Candidate, SkipReason, Usage
from blastscan.scanner.pipeline import discovery, forking, history, own_reports
from blastscan.scanner.pipeline.sources import source_kind

PARALLEL_MIN_FILES = 400
_CHUNK = 64
_BLOB_WINDOW = 1024  # blobs held in memory at once while the pool scans them
# Every gate word of the file pass (the detectors', the suppression markers, the code,
# usage and IaC collectors'), found in one caseless pass over each file's bytes: each
# collector then reads its own words off the document (Document.keywords_found) instead
# of scanning it again. History blobs run the detectors alone and keep their index.
_VOCABULARY = KeywordIndex((*INDEX.words, *code.GATES.words, *usage.GATES.words,
                            *iac.GATES.words))
_In = TypeVar("_In")
_Out = TypeVar("_Out")


@dataclass(frozen=True, slots=True)
class FileResult:
    """``skipped`` UNPARSEABLE still carries what the other readers found in the text: an
    alias bomb beside a token must not hide the token."""

    skipped: SkipReason | None = None
    candidates: tuple[Candidate, ...] = ()
    usages: tuple[Usage, ...] = ()
    infra: tuple[Finding, ...] = ()
    suppressed: int = 0
    filtered: int = 0
    deferred: bool = False  # tree-sitter evidence waits for the credentials' names


# What a file without any gate word yields. Every detector, and the code, usage and IaC
# collectors, run only where one of their words occurs (all in _VOCABULARY); agent
# configuration and ``file:`` formats (.pgpass) are read by path, and a configuration's
# extra detectors have their own.
_NOTHING = FileResult()


# Rendered documentation (Sphinx HTML) writes quotes as ``&quot;``: left in place, the
# entity's letters became part of the value (``…@localhost/test&quot``) and a quoted string
# never ended. Only entities that stand for one printable character are replaced, so
# every line keeps its number (no ``&#10;``).
_MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".svg")
_ENTITY = re.compile(r"&(quot|amp|lt|gt|apos|#3[49]|#x2[27]|#47|#x2[fF]);")
_ENTITIES = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "apos": "'", "#34": '"',
             "#39": "'", "#x22": '"', "#x27": "'", "#47": "/", "#x2f": "/", "#x2F": "/"}


def unescape_markup(rel: str, text: str) -> str:
    if not rel.lower().endswith(_MARKUP_SUFFIXES) or "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def scan_file(ref: discovery.FileRef, extra: tuple[Detector, ...] = (),
              lazy: bool = True) -> FileResult:
    text = discovery.read_text(ref)
    if isinstance(text, SkipReason):
        return FileResult(skipped=text)
    return scan_text(ref.rel, text, extra, lazy)


def scan_blob(blob: history.HistoryBlob, extra: tuple[Detector, ...] = ()) -> FileResult:
    """A blob from git history: its secrets count, located at their commit. Usages and
    IaC of old versions are not evidence about today's repository, so they are dropped."""
    text = history.decode(blob)
    if isinstance(text, SkipReason):
        return FileResult(skipped=text)
    # Usages and IaC are not collected at all (not merely dropped): tree-sitter was most
    # of a history scan's time, spent on evidence nobody reads.
    doc = Document.of(blob.path, unescape_markup(blob.path, text), source_kind(blob.path))
    detection = scan_document(doc, extra=extra)
    report = own_reports.recognise(text) is not None
    found = own_reports.pasted(detection.candidates) if report else detection.candidates
    moved = tuple(history.relocate(_with_sections(doc, c), blob) for c in found)
    skipped = (SkipReason.OWN_REPORT if report
               else SkipReason.UNPARSEABLE if detection.unparseable else None)
    return FileResult(skipped=skipped, candidates=moved, suppressed=detection.suppressed,
                      filtered=detection.filtered)


def scan_text(rel: str, text: str, extra: tuple[Detector, ...] = (),
              lazy: bool = True) -> FileResult:
    """``lazy``: a file whose tree-sitter evidence only matters to credentials named in it
    is marked ``deferred`` instead of parsed, unless it holds a credential itself."""
    doc = Document.of(rel, unescape_markup(rel, text), source_kind(rel))
    if own_reports.recognise(text) is not None:
        return _own_report(doc, extra)
    if (not _VOCABULARY.present_in(doc) and not extra and not agent_config.is_agent_config(rel)
            and not named_present(rel)):
        return _NOTHING  # no collector's gate word: each would find nothing (most files)
    return _collect(doc, extra, lazy)


def _collect(doc: Document, extra: tuple[Detector, ...], lazy: bool) -> FileResult:
    detection = scan_document(doc, extra=extra)
    need = code.need(doc)
    # A file too deep to parse is read now, so that it is counted as unparseable whether
    # or not a later round would have parsed it: deferring never changes a result.
    defer = (lazy and need is code.Need.IF_NAMED and not detection.candidates
             and not code.too_deep(language_for(doc.path) or "", doc.text))
    code_usages, code_failed = contained(code.collect, doc) if not defer else ((), False)
    agent_usages, agent_failed = contained(agent_config.agent_usages, doc)
    infra, iac_failed = contained(iac.collect, doc)
    unparseable = detection.unparseable or code_failed or agent_failed or iac_failed
    return FileResult(
        skipped=SkipReason.UNPARSEABLE if unparseable else None,
        candidates=tuple(_with_sections(doc, c) for c in detection.candidates),
        usages=(*usage.collect(doc), *code_usages, *agent_usages),
        infra=infra,
        suppressed=detection.suppressed,
        filtered=detection.filtered,
        deferred=defer,
    )


def _own_report(doc: Document, extra: tuple[Detector, ...]) -> FileResult:
    """A report blastscan wrote: skipped, and no evidence; any value in it that blastscan
    would not write is kept, since anyone can write a report's opening (own_reports.py)."""
    detection = scan_document(doc, extra=extra)
    kept = tuple(_with_sections(doc, c) for c in own_reports.pasted(detection.candidates))
    return FileResult(skipped=SkipReason.OWN_REPORT, candidates=kept,
                      suppressed=detection.suppressed, filtered=detection.filtered)


def contained(collect: Callable[[Document], Iterable[_Out]],
              doc: Document) -> tuple[tuple[_Out, ...], bool]:
    """``collect(doc)``, and whether a parser in it gave up on the file (:class:`Unparseable`,
    raised only by the parser calls): that reader's findings are lost, the others' kept.
    Any other exception is a bug and propagates."""
    try:
        return tuple(collect(doc)), False
    except Unparseable:
        return (), True


def scan_files(files: Iterable[discovery.FileRef], workers: Workers,
               extra: tuple[Detector, ...] = (), lazy: bool = True) -> Iterator[FileResult]:
    """``extra``: detectors the configuration adds for this scan (they pickle to workers).
    ``files`` may be a stream: the pool starts once enough of it is known."""
    return workers.map(partial(scan_file, extra=extra, lazy=lazy), files)


class Workers:
    """The process pool of one scan's file passes, forked on first need and kept for the
    next pass: the evidence pass then runs in workers that already loaded the grammars
    and compiled the queries, instead of forking and warming up new ones."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, work: Callable[[_In], _Out], items: Iterable[_In],
            min_items: int | None = None, chunk: int | None = None) -> Iterator[_Out]:
        """``map(work, items)``, across the pool when it runs or there are at least
        ``min_items`` (default :data:`PARALLEL_MIN_FILES`), ``chunk`` items per task
        (default ``_CHUNK``). Only the first ``min_items`` are read before deciding; the
        rest stream to the pool."""
        stream = iter(items)
        head = list(islice(stream, min_items or PARALLEL_MIN_FILES))
        if self._pool is None:
            count = _workers(self.jobs, len(head), min_items)
            if count <= 1:
                yield from map(work, chain(head, stream))
                return
            self._pool = _fork_pool(count)
        try:
            yield from self._pool.map(work, chain(head, stream), chunksize=chunk or _CHUNK)
        except BaseException:
            self.close()  # the caller stopped early or failed: drop queued work
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            gc.unfreeze()  # see _fork_pool: the workers are gone

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def scan_blobs(blobs: Iterable[history.HistoryBlob], jobs: int,
               extra: tuple[Detector, ...] = ()) -> Iterator[FileResult]:
    """History blobs, streamed: a window at a time goes to the pool, so memory stays
    bounded however large the history, and results keep the blobs' order."""
    scan = partial(scan_blob, extra=extra)
    # git cat-file decompressing the blobs is the other half of the work and needs a core
    # of its own: on two cores, one scanning process fed through a pipe beats two workers
    # fed by a parent that pickles every blob (history-10000: 2.6 s against 3.2 s).
    workers = _workers(jobs, PARALLEL_MIN_FILES) - 1
    if workers <= 1:
        yield from map(scan, blobs)
        return
    pool = _fork_pool(workers)
    try:
        stream = iter(blobs)
        # Submit the next window before draining the current one, so the workers never
        # wait for the parent to read more blobs from git.
        pending = pool.map(scan, list(islice(stream, _BLOB_WINDOW)), chunksize=_CHUNK)
        while True:
            window = list(islice(stream, _BLOB_WINDOW))
            following = pool.map(scan, window, chunksize=_CHUNK) if window else None
            yield from pending
            if following is None:
                break
            pending = following
    finally:
        pool.shutdown(cancel_futures=True)
        gc.unfreeze()


def _fork_pool(count: int) -> ProcessPoolExecutor:
    # Everything loaded so far (modules, knowledge base, compiled patterns) moves out of
    # the collector's reach first: a worker's collections then never walk it, nor write to
    # its pages and so copy them (the use gc.freeze documents). ansible-core and botocore
    # scans took about 6% less wall time. Undone when the pool closes, so that a process
    # that scans again (a test run, a library user) can still collect what was frozen.
    gc.freeze()
    # Each worker ignores Ctrl-C (the parent stops the pool; a worker's KeyboardInterrupt
    # was dozens of traceback lines) and dies with the parent (forking.child_started).
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"),
                               initializer=forking.child_started, initargs=(os.getpid(),))


def _workers(jobs: int, total: int, min_items: int | None = None) -> int:
    if jobs == 1 or total < (min_items or PARALLEL_MIN_FILES) or not forking.may_fork():
        return 1
    available = forking.usable_cores()
    return max(1, min(jobs or available, available, 8))


def _with_sections(doc: Document, candidate: Candidate) -> Candidate:
    if not doc.path.endswith(STRUCTURED):
        return candidate
    keys = enclosing_keys(doc, candidate.location.line)
    if not keys:
        return candidate
    facts = tuple(sorted({*candidate.facts, *(("section", k) for k in keys)}))
    return replace(candidate, facts=facts)
