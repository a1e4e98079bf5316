"""Recall by family on a labelled corpus, and who found each hit: a provider or the net.

    python benchmarks/recall.py ../shared/corpora/gitleaks-examples \
        ../shared/corpora/gitleaks-examples.jsonl [--blastscan EXE] [--json OUT] \
        [--list alarms|generic|misses]

The labels are one JSON object a line (``file``, ``line`` or null, ``kind``, ``expect``:
``secret`` | ``not_secret``), as ``shared/corpora/score.py`` reads them. A hit is a
credential located in the label's file (and line, when given). Each hit is credited to a
*provider detector* when a credential there has a known provider, else to the *generic
net* (keyword secrets, URL tokens, command passwords: provider ``generic``), because a hit
without a provider has no blast radius to show. Families are the labels' kinds up to the
first dash (``github-pat`` → ``github``). Output: overall recall, precision and the
provider share, then per blastscan detector and per family, as Markdown on stdout.
A script, not a test: the corpus lives outside the repository.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any


def _norm(path: str) -> str:
    return str(PurePosixPath(path.replace("\\", "/"))).lstrip("./")


def _report(blastscan: str, corpus: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        target = Path(out) / "report.json"
        subprocess.run([blastscan, "scan", str(corpus), "--no-history", "-f", "json",
                        "-o", str(target), "--fail-on", "critical"], check=False)
        report: dict[str, Any] = json.loads(target.read_text())
        return report


def _index(report: dict[str, Any]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """File -> [(line, credential)] for every credential location."""
    found: dict[str, list[tuple[int, dict[str, Any]]]] = collections.defaultdict(list)
    for cred in report["credentials"]:
        for loc in cred["locations"]:
            found[_norm(loc["path"])].append((loc["line"], cred))
    return found


def _matches(label: dict[str, Any], found: dict[str, list[tuple[int, dict[str, Any]]]]
             ) -> list[dict[str, Any]]:
    at = found.get(_norm(label["file"]), [])
    return [c for line, c in at if label.get("line") is None or line == label["line"]]


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("labels", type=Path)
    ap.add_argument("--blastscan", default=str(Path(sys.executable).with_name("blastscan")))
    ap.add_argument("--json", type=Path, help="save the per-family numbers here")
    ap.add_argument("--list", choices=("alarms", "generic", "misses"), action="append",
                    default=[], help="also list the labels behind a number: false alarms, "
                    "secrets only the generic net found, or missed secrets (repeatable)")
    args = ap.parse_args()
    labels = [json.loads(x) for x in args.labels.read_text().splitlines() if x.strip()]
    found = _index(_report(args.blastscan, args.corpus))
    families: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    detectors: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    total: collections.Counter[str] = collections.Counter()
    listed: dict[str, list[str]] = collections.defaultdict(list)
    for label in labels:
        family = label["kind"].split("-")[0]
        creds = _matches(label, found)
        secret = label["expect"] == "secret"
        outcome = ("hit" if creds else "miss") if secret else ("alarm" if creds else "quiet")
        by_provider = any(c["provider"] != "generic" for c in creds)
        keys = [outcome] + (["provider" if by_provider else "generic"] if creds and secret else [])
        seen = ", ".join(sorted({f"{c['provider']} {c['kind']} by {'+'.join(c['detectors'])}"
                                 for c in creds}))
        for key in {"alarm": "alarms", "generic": "generic", "miss": "misses"}.items():
            if key[0] in keys:
                listed[key[1]].append(f"- {label['file']} ({label['kind']}) {seen}".rstrip())
        for key in keys:
            families[family][key] += 1
            total[key] += 1
        for name in {d for c in creds for d in c["detectors"]}:
            detectors[name]["hit" if secret else "alarm"] += 1
    hits = total["hit"]
    print(f"recall {_pct(hits, hits + total['miss'])} ({hits}/{hits + total['miss']}), "
          f"precision {_pct(hits, hits + total['alarm'])} ({total['alarm']} false alarms), "
          f"found by a provider detector {_pct(total['provider'], hits)} "
          f"({total['provider']}/{hits}), by the generic net {total['generic']}\n")
    print("| blastscan detector | labelled secrets it found | false alarms |\n|---|---|---|")
    for name, c in sorted(detectors.items(), key=lambda kv: (-kv[1]["hit"], kv[0])):
        print(f"| {name} | {c['hit']} | {c['alarm']} |")
    print("\n| family | secrets | recall | by a provider | by the generic net | false alarms |")
    print("|---|---|---|---|---|---|")
    for family, c in sorted(families.items()):
        n = c["hit"] + c["miss"]
        print(f"| {family} | {n} | {_pct(c['hit'], n)} | {c['provider']} | {c['generic']} "
              f"| {c['alarm']} |")
    for name in args.list:
        print(f"\n{name} ({len(listed[name])}):\n" + "\n".join(listed[name]))
    if args.json:
        args.json.write_text(json.dumps({k: dict(v) for k, v in families.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
