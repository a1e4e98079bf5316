"""blastscan against ``detect-secrets scan --all-files`` on one tree (kept for old notes).

    python benchmarks/bench_vs_detect_secrets.py [TREE] [--runs 3] [--package NAME==VERSION]

A shorthand for ``bench.py --sections trees --tools blastscan,detect-secrets`` with the
report on stdout; both tools run ``--runs`` times. Without TREE it scans the sdist
``--package`` (default ``ansible-core==2.18.1``).
"""

from __future__ import annotations

import argparse

import bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("tree", nargs="?", help="tree to scan (default: an sdist)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument("--package", default="ansible-core==2.18.1", help="NAME==VERSION")
    args = parser.parse_args(argv)
    where = ["--tree", args.tree] if args.tree else ["--package", args.package]
    return bench.main(["--sections", "trees", "--tools", "blastscan,detect-secrets",
                       "--runs", str(args.runs), "--ds-runs", str(args.runs), *where,
                       "--write", "-"])


if __name__ == "__main__":
    raise SystemExit(main())
