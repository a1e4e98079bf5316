"""How long ``blastscan guard`` takes per tool call (the pre-tool-use hook's latency).

    python benchmarks/guard.py            # median of 50 runs per call shape
    python benchmarks/guard.py --runs 200

Fences a copy of the incident fixture with ``blastscan fence``, then times, for a few
tool calls (allowed and denied), both the whole hook process an agent starts per call
(``blastscan-guard`` next to this interpreter: interpreter start, imports, fence load,
decision) and the decision alone in this process. The process is timed twice: wall clock
(what the agent waits) and CPU (user + system of the child, which a loaded machine
inflates much less). The children may write bytecode (``PYTHONDONTWRITEBYTECODE`` is
dropped and one warm-up run compiles), as after ``pip install``, which compiles it: a
hook that recompiled its modules on every call would measure the compiler, not the guard.
A script, not a test: timings vary by machine and load, so no test
asserts them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FIXTURE = ROOT / "tests" / "fixtures" / "incident"
CALLS = {
    "Bash pytest (allow)": ("Bash", {"command": "pytest -q"}),
    "Bash cat token file (deny)": (
        "Bash", {"command": "cat tools/analytics/export_bookings.py"}),
    "Bash curl volumeDelete (deny)": ("Bash", {"command": (
        "curl -X POST https://backboard.railway.app/graphql/v2 -H 'Authorization: Bearer x'"
        ' -d \'{"query":"mutation { volumeDelete(volumeId: \\"v\\") }"}\'')}),
    "Read README.md (allow)": ("Read", {"file_path": "README.md"}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    guard = Path(sys.executable).with_name("blastscan-guard")
    blastscan = Path(sys.executable).with_name("blastscan")
    with tempfile.TemporaryDirectory() as temp:
        tree = Path(temp) / "incident"
        shutil.copytree(FIXTURE, tree)
        subprocess.run([str(blastscan), "fence", str(tree), "--no-history"], check=True,
                       capture_output=True)
        from blastscan.scanner.guard import hook

        print(f"blastscan guard latency, median of {runs} runs (ms)")
        print(f"{'call':<32} {'wall':>7} {'p90':>7} {'cpu':>7} {'decision':>9}")
        bare = [_process(Path(sys.executable), "", tree, "-c", "pass") for _ in range(runs)]
        _row("(python -c pass, for scale)", bare, [])
        for label, (tool, tool_input) in CALLS.items():
            payload = json.dumps({"session_id": "bench", "tool_name": tool,
                                  "tool_input": tool_input, "cwd": str(tree)})
            _process(guard, payload, tree)  # warm-up: writes the bytecode
            process = [_process(guard, payload, tree) for _ in range(runs)]
            _row(label, process, [_in_process(hook, payload) for _ in range(runs)])


def _row(label: str, process: list[tuple[float, float]], decision: list[float]) -> None:
    wall = [w for w, _ in process]
    cpu = statistics.median(c for _, c in process)
    alone = f"{statistics.median(decision):9.2f}" if decision else ""
    print(f"{label:<32} {statistics.median(wall):7.1f} {statistics.quantiles(wall, n=10)[-1]:7.1f}"
          f" {cpu:7.1f} {alone}")


def _process(program: Path, payload: str, cwd: Path, *args: str) -> tuple[float, float]:
    """(wall, cpu) milliseconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(program), *args], input=payload.encode(), capture_output=True,
                   cwd=cwd, env=ENV, check=False)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _in_process(hook: object, payload: str) -> float:
    start = time.perf_counter()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        hook.run([], io.BytesIO(payload.encode()))  # type: ignore[attr-defined]
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
