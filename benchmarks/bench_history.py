"""Time git-history extraction against ``git log -p --all`` on local repositories.

Usage::

    python benchmarks/bench_history.py [REPO ...] [--commits 3000] [--runs 3]

Without REPO, two repositories are timed: this project's own checkout, and a synthetic
one with ``--commits`` commits (a few files changed per commit, a fake token now and
then, three branches and a tag), built once with ``git fast-import`` under
``benchmarks/.cache/`` (gitignored). Nothing is cloned or fetched.

Rows: ``git log -p --all`` to /dev/null (what an agent would run; the baseline),
:class:`blastscan.scanner.history.History` (the three-process extraction, every unique
blob read), and, when the CLI has ``--no-history`` (history wired in), the full
``blastscan REPO`` with and without history. Median wall time over ``--runs``.

A script, not a test: the numbers depend on the machine and belong in closing notes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from blastscan.scanner.history import History

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
PROJECT = Path(__file__).resolve().parent.parent
MAX_SIZE = 5 * 1024 * 1024
FILES = 400


def synthetic(commits: int) -> Path:
    """A repository of ``commits`` commits over ``FILES`` files, built once and cached."""
    repo = CACHE_DIR / f"history-{commits}"
    if (repo / ".git" / "bench-complete").is_file():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], check=True)
    rng = random.Random(7)  # same repository on every machine
    stream = bytearray()
    for n in range(1, commits + 1):
        message = f"commit {n}\n".encode()
        stream += b"commit refs/heads/main\nmark :%d\n" % n
        stream += b"committer t <t@x> %d +0000\ndata %d\n%s" % (
            1_600_000_000 + n, len(message), message)
        if n > 1:
            stream += b"from :%d\n" % (n - 1)
        for _ in range(rng.randint(1, 6)):
            name = f"src/mod{rng.randrange(FILES)}.py"
            body = "".join(f"value_{i} = {rng.random()!r}  # line {i}\n"
                           for i in range(rng.randint(20, 200)))
            if n % 97 == 0:  # a leaked token, deleted by the next change to that file
                body += f'GITHUB_TOKEN = "ghp_{rng.getrandbits(160):040x}"\n'
            data = body.encode()
            stream += b"M 100644 inline %s\ndata %d\n%s\n" % (name.encode(), len(data), data)
    subprocess.run([*git, "fast-import", "--quiet"], input=bytes(stream), check=True)
    for i, at in enumerate((commits // 4, commits // 2, 3 * commits // 4)):
        subprocess.run([*git, "branch", f"b{i}", f"main~{commits - at}"], check=True)
    subprocess.run([*git, "tag", "v1", f"main~{commits // 3}"], check=True)
    subprocess.run([*git, "reset", "-q", "--hard", "main"], check=True)
    (repo / ".git" / "bench-complete").touch()
    return repo


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
