"""Time git-history extraction against ``git log -p --all`` on local repositories.

Usage::

    python benchmarks/bench_history.py [REPO ...] [--commits 3000] [--runs 3]

Without REPO, two repositories are timed: this project's own checkout, and a synthetic
one with ``--commits`` commits built once under ``benchmarks/.cache/`` (gitignored) by
:func:`harness.history.synthetic`, the generator ``bench.py`` uses too. Nothing is cloned
or fetched.

Rows: ``git log -p --all`` to /dev/null (what an agent would run; the baseline),
:class:`blastscan.scanner.pipeline.history.History` (the three-process extraction, every unique
blob read), and, when the CLI has ``--no-history`` (history wired in), the full
``blastscan REPO`` with and without history. Median wall time over ``--runs``.

A diagnostic of the extraction alone; ``bench.py`` compares whole scans with the peers.
A script, not a test: the numbers depend on the machine and belong in closing notes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from harness.history import synthetic

from blastscan.scanner.pipeline.history import History

PROJECT = Path(__file__).resolve().parent.parent
MAX_SIZE = 5 * 1024 * 1024


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def git_log_p(repo: Path) -> None:
    subprocess.run(["git", "-C", str(repo), "--no-pager", "log", "-p", "--all"],
                   stdout=subprocess.DEVNULL, check=True)


def extract(repo: Path) -> tuple[History, int]:
    history = History(repo, max_size=MAX_SIZE)
    return history, sum(1 for _ in history)


def blastscan(repo: Path, *flags: str) -> None:
    exe = Path(sys.executable).with_name("blastscan")
    proc = subprocess.run([str(exe), str(repo), "--format", "json", "--output", "/dev/null",
                           *flags], stdout=subprocess.DEVNULL, check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"error: blastscan exited {proc.returncode} on {repo}")


def has_history_option() -> bool:
    exe = Path(sys.executable).with_name("blastscan")
    if not exe.is_file():
        return False
    help_text = subprocess.run([str(exe), "--help"], capture_output=True, text=True,
                               check=False, env={"COLUMNS": "200", "TERM": "dumb"}).stdout
    return "--no-history" in help_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("repos", nargs="*", type=Path, help="repositories (top level)")
    parser.add_argument("--commits", type=int, default=3000, help="synthetic repo size")
    parser.add_argument("--runs", type=int, default=3, help="runs per row (default 3)")
    args = parser.parse_args(argv)
    repos = [r.resolve() for r in args.repos] or [PROJECT, synthetic(args.commits)]
    full = has_history_option()
    print(f"{'repository':<28}{'commits':>8}{'blobs':>8}{'same':>7}  "
          f"{'log -p':>8}{'History':>9}" + (f"{'scan':>9}{'no-hist':>9}" if full else ""))
    for repo in repos:
        commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--all", "--count"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        stats, blobs = extract(repo)
        row = (f"{repo.name[:27]:<28}{commits:>8}{blobs:>8}{stats.same_as_worktree:>7}  "
               f"{median_time(lambda r=repo: git_log_p(r), args.runs):>7.2f}s"
               f"{median_time(lambda r=repo: extract(r), args.runs):>8.2f}s")
        if full:
            row += (f"{median_time(lambda r=repo: blastscan(r), args.runs):>8.2f}s"
                    f"{median_time(lambda r=repo: blastscan(r, '--no-history'), args.runs):>8.2f}s")
        print(row, flush=True)
    if not full:
        print("(full scan columns appear once the CLI has --no-history)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
