"""Linearity check: blastscan on 1x, 2x and 4x copies of one tree (kept for old notes).

    python benchmarks/bench_scaling.py [TREE] [--copies 1 2 4] [--runs 3]

A shorthand for ``bench.py --sections scaling`` with the report on stdout. TREE is a
directory or the name of one of bench.py's sdists (default ``ansible-core``).
"""

from __future__ import annotations

import argparse

import bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("tree", nargs="?", default="ansible-core")
    parser.add_argument("--copies", nargs="+", default=["1", "2", "4"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    return bench.main(["--sections", "scaling", "--tools", "blastscan", "--scaling-tree",
                       args.tree, "--copies", *args.copies, "--runs", str(args.runs),
                       "--write", "-"])


if __name__ == "__main__":
    raise SystemExit(main())
