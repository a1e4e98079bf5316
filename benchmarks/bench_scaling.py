"""Linearity check: blastscan's wall time on 1x, 2x and 4x copies of one tree.

Not a test (nothing asserts a time). Builds ``benchmarks/.cache/scaling/<N>x/`` with N
copies of TREE side by side (hard links where the file system allows, so the copies
cost no disk), runs ``blastscan DIR --format json --output FILE`` ``--runs`` times on
each, and prints the median wall time, files/s and the time relative to 1x. Linear
cost means the 2x and 4x rows read about 2.0 and 4.0 (a little under: start-up is paid
once per run).

    python benchmarks/bench_scaling.py                        # ansible-core, 3 runs each
    python benchmarks/bench_scaling.py path/to/tree --copies 1 2 4 8 --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
DEFAULT_TREE = CACHE / "trees" / "ansible-core-2.18.1"


def blastscan_command() -> list[str]:
    """The blastscan next to this interpreter (its virtual environment), else on PATH."""
    local = Path(sys.executable).with_name("blastscan")
    if local.exists():
        return [str(local)]
    found = shutil.which("blastscan")
    if found is None:
        sys.exit("blastscan is not installed next to this interpreter nor on PATH")
    return [found]


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build(tree: Path, copies: int) -> Path:
    """``.cache/scaling/<copies>x`` holding ``copies`` copies of ``tree`` (reused)."""
    target = CACHE / "scaling" / tree.name / f"{copies}x"
    done = target / ".complete"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for n in range(copies):
        shutil.copytree(tree, target / f"copy{n}", symlinks=True, copy_function=_link_or_copy)
    done.write_text("")
    return target


def count_files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))


def time_scan(command: list[str], root: Path, out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([*command, str(root), "--format", "json", "--output", str(out),
                           "--no-history"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: the gate failed, still a completed scan
        sys.exit(f"blastscan exited {proc.returncode}: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=DEFAULT_TREE)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.tree.is_dir():
        sys.exit(f"no tree at {args.tree} (bench_vs_detect_secrets.py fetches the default one)")
    command = blastscan_command()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        for copies in args.copies:
            root = build(args.tree.resolve(), copies)
            times = [time_scan(command, root, out) for _ in range(args.runs)]
            rows.append((copies, count_files(root) - 1, statistics.median(times)))
    base = rows[0][2]
    print(f"{'copies':>6} {'files':>7} {'median s':>9} {'files/s':>8} {'x 1st row':>9}")
    for copies, files, median in rows:
        print(f"{copies:>6} {files:>7} {median:>9.2f} {files / median:>8.0f} "
              f"{median / base:>9.2f}")


if __name__ == "__main__":
    main()
