"""The organisation section every reporter adds to a merged result (``blastscan merge``).

One view, built here once, so the text, Markdown and HTML reports show the same rows in
the same order: the credential ranking (most repositories first, then most production
paths), the paths that cross repositories, those joined only by a
variable name, and the reports that were skipped. Rows are
capped for the human formats; the JSON and SARIF reports carry the whole section.
"""

from __future__ import annotations

from dataclasses import dataclass

from blastscan.reports.text_parts import plural
from blastscan.scanner.organisation import Organisation

MAX_ROWS = 20


@dataclass(frozen=True, slots=True)
class OrgView:
    heading: str
    ranking: tuple[tuple[str, str, str, str], ...]  # credential, repositories, paths, prod
    more_ranking: int
    cross: tuple[tuple[str, str, str, str], ...]  # from repository, path, reaches, proven in
    more_cross: int
    skipped: tuple[tuple[str, str], ...]
    # from repository, evidence, credential, found in: by variable name only, below ``cross``
    referenced: tuple[tuple[str, str, str, str], ...] = ()


def view(org: Organisation) -> OrgView:
    failing = sum(r.gate == "fail" for r in org.repositories)
    repos = len(org.repositories)
    heading = (f"organisation: {repos} {'repository' if repos == 1 else 'repositories'}"
               f" ({failing} failing on their own), {plural(len(org.skipped), 'report')}"
               f" skipped, {plural(len(org.cross), 'cross-repository path')}")
    ranking = tuple(
        (f"{c.provider} {c.kind} {c.redacted} {c.credential_id}",
         f"{len(c.repositories)}: {', '.join(c.repositories)}", str(c.paths),
         str(c.production_paths)) for c in org.ranking[:MAX_ROWS])
    cross = tuple((x.repository, f"{x.severity} {x.path_id}",
                   f"{x.action} in {x.environment}", ", ".join(x.proven_in))
                  for x in org.cross[:MAX_ROWS])
    return OrgView(heading, ranking, max(0, len(org.ranking) - MAX_ROWS), cross,
                   max(0, len(org.cross) - MAX_ROWS),
                   tuple((s.file, s.reason) for s in org.skipped),
                   tuple((x.repository, f"{x.evidence} secrets.{x.name}", x.credential_id,
                          ", ".join(x.found_in)) for x in org.by_reference[:MAX_ROWS]))


def text_lines(org: Organisation) -> list[str]:
    shown = view(org)
    lines = [shown.heading, "", "credentials by reach (repositories · paths · production paths):"]
    lines += [f"  {who}  ·  {repos}  ·  {paths} paths  ·  {prod} production"
              for who, repos, paths, prod in shown.ranking]
    if shown.more_ranking:
        lines.append(f"  …and {shown.more_ranking} more (the JSON report lists all)")
    if shown.cross:
        lines += ["", "paths that cross repositories (an agent in the first reaches it):"]
        lines += [f"  {repo}: {path} {reach} (proven in {proven})"
                  for repo, path, reach, proven in shown.cross]
        if shown.more_cross:
            lines.append(f"  …and {shown.more_cross} more (the JSON report lists all)")
    if shown.referenced:
        lines += ["", "referenced by name only (a production workflow names a secret another"
                  " repository's credential is assigned to; the value is not proven the same):"]
        lines += [f"  {repo}: {where} → {cred} (found in {found})"
                  for repo, where, cred, found in shown.referenced]
    if shown.skipped:
        lines += ["", "skipped reports (unknown: the gate fails):"]
        lines += [f"  {file}: {reason}" for file, reason in shown.skipped]
    return lines
