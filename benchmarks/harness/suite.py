"""The three sections of the benchmark: trees, git history, linearity.

Every section alternates its tools run by run (A1 B1 C1, A2 B2 C2, ...) instead of
running each tool's runs back to back, so a burst of load from elsewhere on the machine
lands on every tool alike rather than on whichever one was running at the time.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness import history, measure, tools, trees

Result = dict[str, Any]  # JSON-shaped: what --save-json writes and --before reads back


def _shown(inv: tools.Invocation, workdir: Path) -> str:
    text = shlex.join(inv.argv)
    if inv.stdout_to:
        text = f"(cd {shlex.quote(str(inv.cwd))} && {text} > {inv.stdout_to})"
    return text.replace(str(workdir), "$OUT")


def prime(found: dict[str, str]) -> None:
    """One untimed run of every tool on a tiny tree, so the first timed run pays no
    one-off cost (Kingfisher compiles its rule database into a cache on first use)."""
    with tempfile.TemporaryDirectory(prefix="bench-prime-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        (tree / "config.py").write_text('API_KEY = "not-a-real-key"\n')
        for tool, exe in found.items():
            inv = tools.command(tool, exe, tree, Path(tmp) / f"{tool}.json", history=False)
            if inv:
                measure.run_once(inv, interval=0)


def compare(found: dict[str, str], target: Path, *, history_scan: bool, runs: dict[str, int],
            interval: float) -> dict[str, Result]:
    """Alternating runs of every tool in ``found`` on ``target``; one result per tool."""
    out: dict[str, Result] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        invs = {tool: inv for tool, exe in found.items()
                if runs.get(tool, 0) > 0
                and (inv := tools.command(tool, exe, target, workdir / f"{tool}.json",
                                          history_scan))}
        for tool, inv in invs.items():
            out[tool] = {"command": _shown(inv, workdir), "seconds": [], "max_rss_kb": [],
                         "tree_pss_kb": [], "found": None, "unit": tools.unit(tool)}
        for round_ in range(max((runs[t] for t in invs), default=0)):
            for tool, inv in invs.items():
                if round_ >= runs[tool]:
                    continue
                print(f"  {tool} run {round_ + 1}/{runs[tool]} ...", end="", file=sys.stderr,
                      flush=True)
                sample = measure.run_once(inv, interval)
                print(f" {sample.seconds:.2f} s", file=sys.stderr)
                row = out[tool]
                row["seconds"].append(sample.seconds)
                row["max_rss_kb"].append(sample.max_rss_kb)
                row["tree_pss_kb"].append(sample.tree_pss_kb)
                row["found"], row["read"] = tools.found(tool, inv.out)
    return out


def tree_section(found: dict[str, str], named: list[tuple[str, Path]], runs: dict[str, int],
                 interval: float) -> list[Result]:
    results = []
    for label, tree in named:
        files, size = trees.tree_size(tree)
        print(f"tree {label}: {files} files, {size / 1e6:.1f} MB", file=sys.stderr)
        trees.warm(tree)
        results.append({"label": label, "path": str(tree), "files": files, "bytes": size,
                        "tools": compare(found, tree, history_scan=False, runs=runs,
                                         interval=interval)})
    return results


def history_section(found: dict[str, str], repo: Path, runs: dict[str, int],
                    interval: float) -> Result:
    n_commits, blobs = history.history_size(repo)
    files, size = trees.tree_size(repo)
    print(f"history {repo.name}: {n_commits} commits, {blobs} unique blobs", file=sys.stderr)
    trees.warm(repo / ".git")
    return {"label": repo.name, "path": str(repo), "commits": n_commits, "blobs": blobs,
            "files": files, "bytes": size,
            "tools": compare(found, repo, history_scan=True, runs=runs, interval=interval)}


def scaling_section(blastscan: str, label: str, copies: list[tuple[int, Path]], runs: int,
                    interval: float) -> Result:
    """``copies``: (N, folder holding N copies of the tree), from :func:`trees.scaled_copies`."""
    rows = []
    for n, root in copies:
        files, size = trees.tree_size(root)
        print(f"scaling {label} x{n}: {files} files", file=sys.stderr)
        trees.warm(root)
        res = compare({"blastscan": blastscan}, root, history_scan=False,
                      runs={"blastscan": runs}, interval=interval)
        rows.append({"copies": n, "files": files, "bytes": size, **res["blastscan"]})
    return {"label": label, "rows": rows}
