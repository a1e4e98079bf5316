"""Noise corpus: blastscan on clean, well-known source trees, where every finding is noise.

    python benchmarks/noise.py                       # every tree, Markdown table on stdout
    python benchmarks/noise.py --trees requests flask --details
    python benchmarks/noise.py --save-json /tmp/after.json --before /tmp/before.json

The trees are pinned sdists from PyPI (fetched once into ``benchmarks/.cache/``, like the
speed harness). None of them holds a real credential, so a gate failure on any of them is
a false alarm a team would switch the gate off for, and every credential listed is one a
reviewer has to look at. Per tree: files scanned, credentials, examples set aside,
paths by severity, and the gate; ``--details`` lists every remaining credential with its
family, first location and reason, so each one can be judged by eye.
A script, not a test: it needs the network once, to fetch the sdists.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness import trees

# The five trees issue 13 measured (terraform is not on PyPI), then the wider set.
NOISE_SDISTS: dict[str, str] = {
    "requests": "requests==2.32.3",
    "flask": "flask==3.1.0",
    "sqlalchemy": "SQLAlchemy==2.0.36",
    "ansible-core": "ansible-core==2.18.1",
    "django": "Django==5.1.4",
    "celery": "celery==5.4.0",
    "kombu": "kombu==5.4.2",
    "psycopg": "psycopg==3.2.3",
    "pymysql": "PyMySQL==1.1.1",
    "redis": "redis==5.2.1",
    "sentry-sdk": "sentry-sdk==2.19.2",
    "botocore": "botocore==1.35.90",
    "pydantic": "pydantic==2.10.4",
    "fastapi": "fastapi==0.115.6",
}
FIVE = ("requests", "flask", "sqlalchemy", "ansible-core")
SEVERITIES = ("critical", "high", "medium", "low", "info")


def scan(blastscan: str, tree: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        proc = subprocess.run(
            [blastscan, str(tree), "--no-history", "--no-progress", "-f", "json", "-o", str(out)],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode not in (0, 1):
            sys.exit(f"blastscan failed on {tree} (exit {proc.returncode}): {proc.stderr}")
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report


def family(cred: dict[str, Any]) -> str:
    """The credential's family: its detector, and the provider it was attributed to."""
    detectors = ",".join(cred.get("detectors") or ["?"])
    return f"{detectors} ({cred['provider']} {cred['kind']})"


def summarise(name: str, report: dict[str, Any]) -> dict[str, Any]:
    summary = report["summary"]
    creds = report["credentials"]
    examples = report.get("examples", [])
    return {
        "tree": name,
        "files": summary["files_scanned"],
        "credentials": len(creds),
        "examples": len(examples),
        "by_severity": summary["by_severity"],
        "gate": report["gate"]["status"],
        "remaining": [
            {"family": family(c), "redacted": c["redacted"],
             "where": f"{c['locations'][0]['path']}:{c['locations'][0]['line']}",
             "why": c.get("why", [])[-1:]}
            for c in creds
        ],
    }


def table(rows: list[dict[str, Any]], before: dict[str, dict[str, Any]]) -> str:
    head = "| tree | files | credentials | examples | " + " | ".join(SEVERITIES) + " | gate |"
    lines = [head, "|" + "---|" * (len(SEVERITIES) + 5)]
    for row in rows:
        old = before.get(row["tree"])
        creds = str(row["credentials"])
        if old is not None:
            creds = f"{old['credentials']} → {creds}"
        gate = row["gate"] if old is None else f"{old['gate']} → {row['gate']}"
        sev = " | ".join(str(row["by_severity"].get(s, 0)) for s in SEVERITIES)
        lines.append(f"| {row['tree']} | {row['files']} | {creds} | {row['examples']} | {sev}"
                     f" | {gate} |")
    five = sum(r["credentials"] for r in rows if r["tree"] in FIVE)
    fails = [r["tree"] for r in rows if r["gate"] != "pass"]
    lines.append("")
    lines.append(f"credentials on {', '.join(FIVE)}: {five}; gate failures: "
                 f"{', '.join(fails) if fails else 'none'}")
    return "\n".join(lines)


def details(rows: list[dict[str, Any]]) -> str:
    out = []
    for row in rows:
        for cred in row["remaining"]:
            why = "; ".join(cred["why"])
            out.append(f"- {row['tree']}: {cred['family']} `{cred['redacted']}` at "
                       f"{cred['where']} ({why})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--trees", nargs="*", choices=list(NOISE_SDISTS), default=list(NOISE_SDISTS))
    p.add_argument("--blastscan", default=str(Path(sys.executable).parent / "blastscan"))
    p.add_argument("--details", action="store_true", help="list every remaining credential")
    p.add_argument("--save-json", type=Path, help="save the per-tree results here")
    p.add_argument("--before", type=Path, help="results saved by an earlier --save-json")
    args = p.parse_args(argv)
    rows = [summarise(name, scan(args.blastscan, trees.fetch_sdist(NOISE_SDISTS[name])))
            for name in args.trees]
    before: dict[str, dict[str, Any]] = {}
    if args.before:
        before = {r["tree"]: r for r in json.loads(args.before.read_text(encoding="utf-8"))}
    print(table(rows, before))
    if args.details:
        print()
        print(details(rows))
    if args.save_json:
        args.save_json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r["gate"] != "pass" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
