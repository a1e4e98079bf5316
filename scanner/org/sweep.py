"""``sweep(targets) -> ScanResult``: scan many repositories, then merge them (issue 16).

TARGETS are local directories, git URLs, or files listing either (one a line, ``#``
comments), read like every named file. Each repository gets a name (its folder or the
URL's last part, made unique) and, in ``OUT``:

- ``reports/NAME.json``, written as soon as its task finishes;
- ``state/NAME.json``, the HEAD that report was made at, so a rerun skips repositories
  whose report is current (:func:`task._head` says when a HEAD can be trusted) under the
  same fingerprint scheme and blastscan version;
- ``failures.json``: the repositories that failed and why (clone error, timeout, crash).

Failures never stop the sweep; they go into the merged report as skipped inputs, so the
organisation's gate fails on them (what they hold is unknown). The coordinator keeps
only counts while tasks run; the merge reads the reports back one at a time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from blastscan.scanner import json_text
from blastscan.scanner.config import named_files
from blastscan.scanner.config.fingerprint_key import FingerprintKey
from blastscan.scanner.errors import UsageError
from blastscan.scanner.models import ScanResult, Severity
from blastscan.scanner.org import merge
from blastscan.scanner.org.executors import Executor
from blastscan.scanner.org.joining import Join
from blastscan.scanner.org.task import Outcome, Task
from blastscan.scanner.version import VERSION

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:)", re.IGNORECASE)
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    location: str
    is_url: bool


@dataclass
class Tally:
    """What the progress bar shows: repositories done, failed and left."""

    total: int
    done: int = 0
    failed: int = 0
    current: int = 0  # skipped: their report is current

    @property
    def left(self) -> int:
        return self.total - self.done - self.failed


Progress = Callable[[Tally], None]
Writer = Callable[[Path, str], None]


def targets(given: Sequence[str]) -> list[Target]:
    locations: list[str] = []
    for item in given:
        if not _URL.match(item) and Path(item).is_file():  # a file of targets
            text = named_files.read_text(Path(item), error=UsageError, limit=16 << 20)
            locations += [s for line in text.splitlines()
                          if (s := line.strip()) and not s.startswith("#")]
        else:
            locations.append(item)
    found: dict[str, Target] = {}
    for location in dict.fromkeys(locations):  # the same target twice is one repository
        is_url = bool(_URL.match(location))
        if not is_url and not Path(location).is_dir():
            raise UsageError(f"sweep: {named_files.shown(location)} is neither a directory,"
                             " a file of targets nor a git URL")
        base = _NAME.sub("-", location.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
                         .removesuffix(".git")).strip("-.") or "repository"
        name = base
        if name in found:  # two repositories called api: both keep a stable, distinct name
            name = f"{base}-{hashlib.sha256(location.encode()).hexdigest()[:8]}"
        found[name] = Target(name, location, is_url)
    return sorted(found.values(), key=lambda t: t.name)


def sweep(given: Sequence[str], out: Path, executor: Executor, key: FingerprintKey,
          write: Writer, *, history: bool = False, timeout: float = 600.0,
          fail_on: Severity = Severity.CRITICAL, progress: Progress | None = None
          ) -> ScanResult:
    """``write(file, text)``: the CLI's atomic writer (a stopped sweep leaves whole files)."""
    chosen = targets(given)
    for folder in ("reports", "state"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    tally = Tally(len(chosen))
    failures: dict[str, str] = {}
    where = {t.name: t.location for t in chosen}
    for outcome in executor.run(_tasks(chosen, out, key, history, timeout)):
        state = {"target": where[outcome.name], "scheme": key.scheme, "history": history,
                 "version": VERSION}
        _record(out, outcome, state, write, tally, failures)
        if progress is not None:
            progress(tally)
    write(out / "failures.json", json_text.dumps(
        {"failures": [{"repository": n, "reason": failures[n]} for n in sorted(failures)]}))
    join = Join()
    for target in chosen:
        if target.name in failures:
            join.skip(target.name, failures[target.name])
        else:
            merge.add(join, out / "reports" / f"{target.name}.json")
    return join.finish(fail_on)


def _tasks(chosen: list[Target], out: Path, key: FingerprintKey, history: bool,
           timeout: float) -> Iterator[Task]:
    for target in chosen:
        yield Task(target.name, target.location, target.is_url, str(out / "cache"),
                   key.secret.decode("utf-8", "surrogateescape"), history, timeout,
                   _known_head(out, target, key, history))


def _known_head(out: Path, target: Target, key: FingerprintKey, history: bool) -> str | None:
    if not (out / "reports" / f"{target.name}.json").is_file():
        return None
    try:
        state = json.loads((out / "state" / f"{target.name}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"target": target.location, "scheme": key.scheme, "history": history,
              "version": VERSION}
    if not isinstance(state, dict) or any(state.get(k) != v for k, v in wanted.items()):
        return None
    head = state.get("head")
    return head if isinstance(head, str) else None


def _record(out: Path, outcome: Outcome, state: dict[str, object], write: Writer,
            tally: Tally, failures: dict[str, str]) -> None:
    if outcome.status == "failed":
        tally.failed += 1
        failures[outcome.name] = outcome.reason
        return
    tally.done += 1
    if outcome.status == "current":
        tally.current += 1
        return
    assert outcome.report is not None
    write(out / "reports" / f"{outcome.name}.json", outcome.report)
    write(out / "state" / f"{outcome.name}.json",
          json_text.dumps({**state, "head": outcome.head}))
