"""Benchmark ``blastscan sweep``: the local pool against a two-worker Dask LocalCluster.

    python benchmarks/bench_sweep.py --repos 200 --big 4

Generates ``--repos`` git repositories (``--big`` of them real-sized: a copy of this
repository's own ``tests/`` and source folders, ~400 files) with one fake Railway token
shared across a third of them, then sweeps them twice, each mode in a fresh coordinator
process so its peak memory (``ru_maxrss``) is its own: the local pool (``--jobs``, default
2) and a LocalCluster of two single-threaded worker processes on 127.0.0.1. Prints a
Markdown table: wall time, repositories per second, peak coordinator RSS, and whether the
two merged reports are byte-identical. A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7c1d9e4a-2b6f-4e83-9a05-d3f8b7c2e1a6"  # random, a Railway token's shape
GIT = ["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid", "-c",
       "init.defaultBranch=main", "-c", "commit.gpgsign=false"]


def generate(root: Path, count: int, big: int) -> list[str]:
    targets = []
    for index in range(count):
        repo = root / f"svc{index:04d}"
        if index < big:
            for folder in ("scanner", "detectors", "reports", "tests"):
                shutil.copytree(ROOT / folder, repo / folder,
                                ignore=shutil.ignore_patterns("__pycache__", "golden"))
        repo.mkdir(parents=True, exist_ok=True)
        (repo / "README.md").write_text(f"service {index}\n")
        if index % 3 == 0:
            (repo / "deploy.py").write_text(f'RAILWAY_TOKEN = "{TOKEN}"\n')
        subprocess.run([*GIT, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*GIT, "add", "-A", "-f"], cwd=repo, check=True)
        subprocess.run([*GIT, "commit", "-q", "-m", "x"], cwd=repo, check=True)
        targets.append(str(repo))
    return targets


def one_mode(mode: str, listing: str, out: str) -> None:
    """Run in a child process: one sweep, then its timings as JSON on stdout."""
    import os

    from blastscan.scanner.cli.output import write_file
    from blastscan.scanner.config.fingerprint_key import resolve
    from blastscan.scanner.org import executors
    from blastscan.scanner.org.sweep import sweep

    def write(file: Path, text: str) -> None:
        write_file(file, text.encode())

    key = resolve(os.environ)
    started = time.perf_counter()
    if mode == "local":
        result = sweep([listing], Path(out), executors.LocalPool(2), key, write)
    else:
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", silence_logs=50) as cluster:
            result = sweep([listing], Path(out), executors.DaskCluster(cluster.scheduler_address),
                           key, write)
    wall = time.perf_counter() - started
    from blastscan.reports.json_report import render_json

    Path(out, "organisation.json").write_text(render_json(result))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"wall": wall, "peak_mib": peak,
                      "repositories": len(result.organisation.repositories)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--big", type=int, default=4)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--listing", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        one_mode(args.mode, args.listing, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="blastscan-sweep-bench-") as tmp:
        root = Path(tmp)
        listing = root / "targets.txt"
        listing.write_text("\n".join(generate(root / "repos", args.repos, args.big)) + "\n")
        rows, merged = [], {}
        for mode in ("local", "dask"):
            out = root / f"out-{mode}"
            done = subprocess.run([sys.executable, __file__, "--mode", mode, "--listing",
                                   str(listing), "--out", str(out)], check=True,
                                  capture_output=True, text=True)
            numbers = json.loads(done.stdout.strip().splitlines()[-1])
            merged[mode] = (out / "organisation.json").read_bytes()
            rows.append((mode, numbers))
        print(f"{args.repos} repositories ({args.big} real-sized)\n")
        print("| executor | wall (s) | repositories/s | coordinator peak RSS (MiB) |")
        print("| --- | ---: | ---: | ---: |")
        for mode, n in rows:
            name = "local pool (2)" if mode == "local" else "Dask LocalCluster (2 workers)"
            print(f"| {name} | {n['wall']:.1f} | {n['repositories'] / n['wall']:.2f} |"
                  f" {n['peak_mib']:.0f} |")
        print(f"\nmerged reports byte-identical: {merged['local'] == merged['dask']}")


if __name__ == "__main__":
    main()
