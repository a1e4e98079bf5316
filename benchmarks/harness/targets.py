"""The issue's performance targets as pass/fail lines, and the before/after comparison."""

from __future__ import annotations

from harness.stats import Result, fmt_ratio, median, peak_mb, ratio

MAX_VS_BETTERLEAKS = 1.5
MIN_VS_DETECT_SECRETS = 50.0
MAX_PEAK_MB = 300.0
MAX_HISTORY_VS_BETTERLEAKS = 2.0
# Linear: k times the files may take at most k times the 1x time, plus this slack for
# noise. Less than k (start-up paid once) passes; a super-linear cost fails.
LINEAR_SLACK = 1.15


def _line(ok: bool | None, text: str, detail: str) -> str:
    verdict = {True: "**PASS**", False: "**FAIL**", None: "n/a"}[ok]
    return f"- {verdict} — {text}: {detail}"


def _per_tree(res: Result, text: str, pick: str, limit: float, most: bool) -> str:
    ratios = []
    for t in res.get("trees") or []:
        bs, other = t["tools"].get("blastscan"), t["tools"].get(pick)
        value = ratio(bs, other) if most else ratio(other, bs)
        if value is not None:
            ratios.append((t["label"], value))
    if not ratios:
        return _line(None, text, f"not measured (needs blastscan and {pick} on a tree)")
    ok = all(v <= limit if most else v >= limit for _, v in ratios)
    return _line(ok, text, ", ".join(f"{label} {fmt_ratio(v)}" for label, v in ratios))


def _memory(res: Result) -> str:
    rows = [(t["label"], t["tools"]["blastscan"]) for t in res.get("trees") or []
            if "blastscan" in t["tools"]]
    hist = res.get("history")
    if hist and "blastscan" in hist["tools"]:
        rows.append((f"{hist['label']} (history)", hist["tools"]["blastscan"]))
    text = f"blastscan peak memory ≤ {MAX_PEAK_MB:.0f} MB (whole process tree, sampled PSS)"
    if not rows:
        return _line(None, text, "not measured")
    # The whole tree when it was sampled, else the largest process (a lower bound).
    worst = max(((label, *peak_mb(row)) for label, row in rows),
                key=lambda r: r[2] if r[2] > 0 else r[1])
    label, rss, pss = worst
    value = pss if pss > 0 else rss
    return _line(value <= MAX_PEAK_MB, text, f"worst {label}: {pss:,.0f} MB whole tree, "
                 f"{rss:,.0f} MB largest process")


def _linear(res: Result) -> str:
    sc = res.get("scaling")
    text = f"linear scaling (k copies ≤ k x the first row's time x {LINEAR_SLACK})"
    if not sc or len(sc["rows"]) < 2:
        return _line(None, text, "not measured")
    first = sc["rows"][0]
    parts, ok = [], True
    for row in sc["rows"][1:]:
        k = row["files"] / first["files"]
        rel = median(row) / median(first)
        ok = ok and rel <= k * LINEAR_SLACK
        parts.append(f"{row['copies']}x copies: {rel:.2f}x the time for {k:.2f}x the files")
    return _line(ok, text, "; ".join(parts))


def _history(res: Result) -> str:
    hist = res.get("history")
    text = f"history ≤ {MAX_HISTORY_VS_BETTERLEAKS}x `betterleaks git`"
    by = hist["tools"] if hist else {}
    value = ratio(by.get("blastscan"), by.get("betterleaks"))
    if hist is None or value is None:
        return _line(None, text, "not measured")
    return _line(value <= MAX_HISTORY_VS_BETTERLEAKS, text, f"{hist['label']} {fmt_ratio(value)}")


def targets(res: Result) -> list[str]:
    return [
        _per_tree(res, f"blastscan ≤ {MAX_VS_BETTERLEAKS}x betterleaks, per tree", "betterleaks",
                  MAX_VS_BETTERLEAKS, most=True),
        _per_tree(res, f"blastscan ≥ {MIN_VS_DETECT_SECRETS:.0f}x faster than detect-secrets",
                  "detect-secrets", MIN_VS_DETECT_SECRETS, most=False),
        _memory(res), _linear(res), _history(res),
    ]


def _rows(res: Result) -> dict[tuple[str, str], Result]:
    rows: dict[tuple[str, str], Result] = {}
    for t in res.get("trees") or []:
        rows |= {(t["label"], tool): row for tool, row in t["tools"].items()}
    if hist := res.get("history"):
        rows |= {(f"{hist['label']} (history)", tool): row for tool, row in hist["tools"].items()}
    if sc := res.get("scaling"):
        rows |= {(f"{sc['label']} x{row['copies']}", "blastscan"): row for row in sc["rows"]}
    return rows


def before_after(before: Result | None, after: Result) -> list[str]:
    if before is None:
        return ["Not produced: no `--before` file. Run the harness once with the old "
                "blastscan and `--save-json before.json`, then with the new one and "
                "`--before before.json` (see `benchmarks/README.md`)."]
    peers = [t for t in after["versions"] if t not in ("blastscan", "harness")]
    same = all(before["versions"].get(t) == after["versions"][t] for t in peers)
    lines = [f"Before: blastscan sources {before['blastscan_source']}, taken "
             f"{before['machine']['date']}. After: {after['blastscan_source']}, taken "
             f"{after['machine']['date']}. "
             + ("The peers' versions are the same in both runs, so their rows show how much "
                "the machine itself moved between the runs." if same else
                "**The peers' versions differ between the runs**: compare blastscan only."),
             "", "| measurement | tool | before | after | after / before | peak PSS before "
             "| peak PSS after | found before | found after |",
             "|---|---|---|---|---|---|---|---|---|"]
    old = _rows(before)
    for key, now in _rows(after).items():
        was = old.get(key)
        if was and was["seconds"] and now["seconds"]:
            lines.append(f"| {key[0]} | {key[1]} | {median(was):.2f} s | {median(now):.2f} s "
                         f"| {fmt_ratio(ratio(now, was))} | {peak_mb(was)[1]:,.0f} MB "
                         f"| {peak_mb(now)[1]:,.0f} MB | {was['found']} | {now['found']} |")
    if len(lines) == 4:
        lines[2:] = ["No measurement in common: run both with the same trees and sections."]
    return lines
