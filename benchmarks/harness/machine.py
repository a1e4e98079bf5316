"""What the numbers were taken on: machine, tool versions, and blastscan's source commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness import tools


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                name, _, value = line.partition(":")
                if name.strip() == key:
                    return value.strip()
    except OSError:
        pass
    return "?"


def machine() -> dict[str, Any]:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "ram_gb": round(int(mem_kb) / 1024**2, 1) if mem_kb.isdigit() else None,
        "kernel": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_start": list(os.getloadavg()),
    }


def _interpreter(exe: str) -> str | None:
    """The Python behind a console script (its ``#!`` line), if it is one."""
    try:
        with open(exe, "rb") as fh:
            first = fh.readline()
    except OSError:
        return None
    if first.startswith(b"#!") and b"python" in first:
        return first[2:].decode().strip()
    return None


_WHERE = """import sysconfig, sys
paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
try:
    import blastscan.scanner, blastscan.detectors, blastscan.reports
    paths |= {m.__path__[0] for m in (blastscan.scanner, blastscan.detectors, blastscan.reports)}
except ImportError:
    pass
print("\\n".join(paths))"""


def compile_bytecode(found: dict[str, str]) -> list[str]:
    """Compile every Python tool's site-packages and blastscan's sources to ``.pyc``.

    PYTHONDONTWRITEBYTECODE=1 is set in the development environment; without ``.pyc``
    files every run would recompile blastscan and detect-secrets from source, timing
    the compiler instead of the scan. Returns the folders compiled.
    """
    done: list[str] = []
    for interp in sorted({i for exe in found.values() if (i := _interpreter(exe))}):
        proc = subprocess.run([interp, "-c", _WHERE], capture_output=True, text=True,
                              check=False)
        dirs = [d for d in proc.stdout.split("\n") if d and Path(d).is_dir()]
        if dirs:
            # Some packages ship test data that is not valid Python: ignore failures.
            subprocess.run([interp, "-m", "compileall", "-q", "-j", "0", *dirs],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            done += dirs
    return done


def source_commit(blastscan: str) -> str:
    """The git commit of the sources this blastscan imports, ``+dirty`` if edited."""
    interp = _interpreter(blastscan)
    if interp is None:
        return "?"
    where = "import blastscan.scanner as m; print(m.__path__[0])"
    proc = subprocess.run([interp, "-c", where], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return "?"
    src = Path(proc.stdout.strip()).resolve()  # the dev venv links to the checkout
    head = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()
    if not head:
        return "? (not a git checkout)"
    dirty = subprocess.run(["git", "-C", str(src.parent), "status", "--porcelain", "--",
                            "scanner", "detectors", "reports"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{head}{' + uncommitted changes' if dirty else ''} ({src.parent})"


def versions(found: dict[str, str]) -> dict[str, str]:
    out = {tool: tools.version(tool, exe) for tool, exe in found.items()}
    out["git"] = subprocess.run(["git", "--version"], capture_output=True, text=True,
                                check=False).stdout.strip()
    out["harness"] = f"harness: Python {platform.python_version()} ({sys.executable})"
    return out
