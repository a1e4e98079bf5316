"""Time ``blastscan`` against ``detect-secrets scan --all-files`` on the same real tree.

Usage::

    python benchmarks/bench_vs_detect_secrets.py [TREE] [--runs 3] [--package NAME==VERSION]

Without TREE, the sdist of a large real package (default ``ansible-core==2.18.1``, about
5,000 files of Python, YAML, shell and docs) is fetched once with ``pip download`` into
``benchmarks/.cache/`` (gitignored), extracted there, and scanned.

Each tool runs ``--runs`` times; the table shows the median wall time of each, the ratio
detect-secrets / blastscan, and blastscan's credential count next to detect-secrets'
finding count. The two counts measure different things (blastscan drops documented
example keys and placeholders and merges repeats into one credential; detect-secrets
reports every high-entropy string or keyword hit), so they are context, not a score.

This is a script, not a test: its numbers depend on the machine and belong in closing
notes, never in assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PACKAGE = "ansible-core==2.18.1"
CACHE_DIR = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True)
class ToolResult:
    """Timings of one tool over all runs, and its finding count from the last run."""

    name: str
    times: list[float]
    count: int

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def find_tool(name: str) -> str:
    """Prefer the tool next to this interpreter (its venv), then ``PATH``."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"error: {name!r} not found next to {sys.executable} or on PATH")
    return found


def fetch_tree(spec: str) -> Path:
    """Download and extract the sdist ``spec`` (``NAME==VERSION``) under the cache dir."""
    name, sep, version = spec.partition("==")
    if not sep or not name or not version:
        sys.exit(f"error: --package must be NAME==VERSION, got {spec!r}")
    slug = f"{name}-{version}".replace("/", "_")
    dest = CACHE_DIR / "trees" / slug
    marker = dest / ".extracted"
    if marker.is_file():
        return tree_root(dest)

    downloads = CACHE_DIR / "sdists" / slug
    downloads.mkdir(parents=True, exist_ok=True)
    if not any(downloads.iterdir()):
        print(f"downloading sdist {spec} ...", file=sys.stderr)
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            spec,
            "-d",
            str(downloads),
        ]
        subprocess.run(cmd, check=True)
    archives = sorted(downloads.iterdir())
    if len(archives) != 1:
        sys.exit(f"error: expected one sdist in {downloads}, found {[a.name for a in archives]}")

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = archives[0]
    print(f"extracting {archive.name} ...", file=sys.stderr)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(dest)
    else:
        with tarfile.open(archive) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(dest, filter="data")
            else:  # Python < 3.11.4
                tf.extractall(dest)  # a pinned sdist from PyPI
    marker.touch()
    return tree_root(dest)


def tree_root(dest: Path) -> Path:
    """An sdist unpacks to one top folder: scan that, not the cache folder around it."""
    entries = [p for p in dest.iterdir() if p.name != ".extracted"]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest


def count_files(tree: Path) -> tuple[int, int]:
    """Regular files under ``tree`` and their total size in bytes (symlinks not followed)."""
    files = 0
    size = 0
    for dirpath, _dirnames, filenames in os.walk(tree):
        for fname in filenames:
            path = Path(dirpath, fname)
            if path.is_file() and not path.is_symlink():
                files += 1
                size += path.stat().st_size
    return files, size


def run_blastscan(exe: str, tree: Path, runs: int, workdir: Path) -> ToolResult:
    out = workdir / "blastscan.json"
    times: list[float] = []
    for _ in range(runs):
        out.unlink(missing_ok=True)
        cmd = [exe, str(tree), "--format", "json", "--output", str(out)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):  # 1 = gate failed, still a completed scan
            sys.exit(f"error: blastscan exited {proc.returncode}: {' '.join(cmd)}")
    report = json.loads(out.read_text(encoding="utf-8"))
    return ToolResult("blastscan", times, len(report.get("credentials") or []))


def run_detect_secrets(exe: str, tree: Path, runs: int, workdir: Path) -> ToolResult:
    # detect-secrets prints its baseline JSON on stdout: send it to a file (as cheap as
    # DEVNULL) so the last run's finding count can be read back.
    out = workdir / "detect-secrets.json"
    times: list[float] = []
    cmd = [exe, "scan", "--all-files", "."]
    for _ in range(runs):
        with out.open("wb") as fh:
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=tree, stdin=subprocess.DEVNULL, stdout=fh, check=False)
            times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"error: detect-secrets exited {proc.returncode}: {' '.join(cmd)}")
    baseline = json.loads(out.read_text(encoding="utf-8"))
    results: dict[str, list[object]] = baseline.get("results") or {}
    return ToolResult("detect-secrets", times, sum(len(v) for v in results.values()))


def tool_version(exe: str) -> str:
    """``NAME VERSION`` from ``exe --version`` (which may or may not print the name)."""
    name = Path(exe).name
    proc = subprocess.run(
        [exe, "--version"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    version = lines[0] if proc.returncode == 0 and lines else "?"
    return version if version.startswith(name) else f"{name} {version}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, help="tree to scan (default: an sdist)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument(
        "--package",
        default=DEFAULT_PACKAGE,
        help=f"sdist to fetch when no TREE is given (default {DEFAULT_PACKAGE})",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    tree: Path = args.tree.resolve() if args.tree else fetch_tree(args.package)
    if not tree.is_dir():
        parser.error(f"not a directory: {tree}")
    blastscan = find_tool("blastscan")
    detect_secrets = find_tool("detect-secrets")
    files, size = count_files(tree)
    print(f"tree: {tree}")
    print(f"      {files} files, {size / 1e6:.1f} MB; {args.runs} run(s) per tool")
    print(f"versions: {tool_version(blastscan)}; {tool_version(detect_secrets)}")

    with tempfile.TemporaryDirectory(prefix="blastscan-bench-") as tmp:
        work = Path(tmp)
        ours = run_blastscan(blastscan, tree, args.runs, work)
        theirs = run_detect_secrets(detect_secrets, tree, args.runs, work)

    print()
    print(f"{'tool':<16}{'median s':>10}{'min s':>9}{'max s':>9}  found")
    for res, what in ((ours, "credentials"), (theirs, "findings")):
        print(
            f"{res.name:<16}{res.median:>10.2f}{min(res.times):>9.2f}{max(res.times):>9.2f}"
            f"  {res.count} {what}"
        )
    ratio = theirs.median / ours.median if ours.median > 0 else float("inf")
    print(f"\ndetect-secrets / blastscan median wall time: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
