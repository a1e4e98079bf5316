"""Benchmark harness: blastscan against betterleaks, Kingfisher and detect-secrets.

    python benchmarks/bench.py                      # everything, writes docs/benchmarks.md
    python benchmarks/bench.py --runs 1 --skip detect-secrets --trees sqlalchemy \\
        --sections trees --write -                  # a quick look, report on stdout

Sections: ``trees`` (pinned sdists from PyPI, fetched once into ``benchmarks/.cache/``),
``history`` (a synthetic repository of ``--commits`` commits, built locally) and
``scaling`` (blastscan on 1x, 2x, 4x copies of one tree). Tools are looked up next to this
interpreter, then on PATH; a missing peer is left out and named in the report.
A script, not a test: see ``benchmarks/README.md`` for how to read and compare the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

from harness import history, machine, report, suite, tools, trees

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("trees", "history", "scaling")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    p.add_argument("--ds-runs", type=int, default=1,
                   help="runs of detect-secrets, which takes ~a minute per 5k files (default 1)")
    p.add_argument("--tools", default=",".join(tools.TOOLS), help="comma-separated tools")
    p.add_argument("--skip", action="append", default=[], choices=tools.TOOLS,
                   help="leave this tool out (repeatable)")
    p.add_argument("--sections", default=",".join(SECTIONS),
                   help=f"comma-separated, of {', '.join(SECTIONS)}")
    p.add_argument("--trees", nargs="*", choices=list(trees.SDISTS), default=None,
                   help="pinned sdists to scan (default: all, unless --tree/--package)")
    p.add_argument("--package", action="append", default=[], metavar="NAME==VERSION",
                   help="also scan this sdist (repeatable)")
    p.add_argument("--tree", action="append", default=[], type=Path, metavar="DIR",
                   help="also scan this directory (repeatable)")
    p.add_argument("--generated", type=int, default=0, metavar="N",
                   help="also scan a generated minified bundle of N secret-like values"
                        " (the worst case for per-credential costs; e.g. 60000)")
    p.add_argument("--commits", type=int, default=10_000, help="history repo size (10000)")
    p.add_argument("--scaling-tree", default="ansible-core",
                   help="sdist name or directory copied for the linearity check")
    p.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4])
    p.add_argument("--blastscan", help="blastscan executable (e.g. an old checkout's venv)")
    p.add_argument("--mem-interval", type=float, default=0.1,
                   help="seconds between process-tree memory samples (0: off)")
    p.add_argument("--write", default=str(ROOT / "docs" / "benchmarks.md"),
                   help="Markdown report path, '-' for stdout (default docs/benchmarks.md)")
    p.add_argument("--save-json", type=Path, help="also save the raw results here")
    p.add_argument("--before", type=Path, help="results saved by an earlier --save-json")
    p.add_argument("--results", type=Path,
                   help="run nothing: write the report from results saved by --save-json")
    args = p.parse_args(argv)
    if args.runs < 1 or args.ds_runs < 0:
        p.error("--runs must be ≥ 1 and --ds-runs ≥ 0")
    args.sections = [s for s in args.sections.split(",") if s]
    if unknown := set(args.sections) - set(SECTIONS):
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    wanted = [t for t in args.tools.split(",") if t]
    if unknown := set(wanted) - set(tools.TOOLS):
        p.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
    args.wanted = [t for t in tools.TOOLS if t in wanted and t not in args.skip]
    if "blastscan" not in args.wanted:
        p.error("blastscan cannot be skipped: every number is relative to it")
    if args.trees is None:
        args.trees = [] if args.tree or args.package or args.generated else list(trees.SDISTS)
    return args


def named_trees(args: argparse.Namespace) -> list[tuple[str, Path]]:
    specs = [trees.SDISTS[name] for name in args.trees] + args.package
    named = [(spec.replace("==", " "), trees.fetch_sdist(spec)) for spec in specs]
    for path in args.tree:
        if not path.is_dir():
            sys.exit(f"error: not a directory: {path}")
        named.append((path.resolve().name, path.resolve()))
    if args.generated:
        named.append((f"generated bundle ({args.generated:,} values)",
                      trees.generated_bundle(args.generated)))
    return named


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    if args.results:
        return write(args.write, json.loads(args.results.read_text(encoding="utf-8")), before)
    found = {t: exe for t in args.wanted
             if (exe := tools.find_tool(t, args.blastscan if t == "blastscan" else None))}
    if "blastscan" not in found:
        sys.exit("error: blastscan not found next to this interpreter nor on PATH")
    # Everything is fetched, extracted and generated before the first timing (and before
    # the load average is read), so none of that work overlaps a timed run.
    named = named_trees(args) if "trees" in args.sections else []
    repo = history.synthetic(args.commits) if "history" in args.sections else None
    scaled: list[tuple[int, Path]] = []
    if "scaling" in args.sections:
        name = args.scaling_tree
        tree = trees.fetch_sdist(trees.SDISTS[name]) if name in trees.SDISTS else Path(name)
        if not tree.is_dir():
            sys.exit(f"error: --scaling-tree is neither an sdist name nor a directory: {name}")
        scaled = [(n, trees.scaled_copies(tree.resolve(), n)) for n in args.copies]
    print("compiling bytecode ...", file=sys.stderr)
    machine.compile_bytecode(found)
    res: suite.Result = {
        "argv": shlex.join(["python", "benchmarks/bench.py", *(argv or sys.argv[1:])]),
        "machine": machine.machine(), "versions": machine.versions(found),
        "blastscan_source": machine.source_commit(found["blastscan"]),
        "missing": [t for t in args.wanted if t not in found],
        "mem_interval": args.mem_interval,
    }
    res["versions"] |= {t: f"{t}: not found (left out)" for t in res["missing"]}
    suite.prime(found)
    runs = {t: args.ds_runs if t == "detect-secrets" else args.runs for t in found}
    if named:
        res["trees"] = suite.tree_section(found, named, runs, args.mem_interval)
    if repo:
        res["history"] = suite.history_section(found, repo, runs, args.mem_interval)
    if scaled:
        res["scaling"] = suite.scaling_section(found["blastscan"], args.scaling_tree, scaled,
                                               args.runs, args.mem_interval)
    res["load_end"] = list(os.getloadavg())
    if args.save_json:
        args.save_json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return write(args.write, res, before)


def write(where: str, res: suite.Result, before: suite.Result | None) -> int:
    text = report.render(res, before)
    if where == "-":
        sys.stdout.write(text)
    else:
        Path(where).write_text(text, encoding="utf-8")
        print(f"wrote {where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
