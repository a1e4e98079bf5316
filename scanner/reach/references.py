"""The workflow secrets a repository names but does not hold (issue 16).

``secrets.RAILWAY_TOKEN`` in a deploy workflow is resolved by GitHub at run time from the
repository's or organisation's secret store, which no static scan can read. If this
repository holds a credential assigned to that name, the workflow's reach is already that
credential's; if not, the credential may sit in another repository, and only
``blastscan merge`` can join the two, by name. So each such name is recorded with its
``path:line`` and the job's environments, nothing more: the value is not known.
"""

from __future__ import annotations

from blastscan.scanner.models import ResolvedCredential
from blastscan.scanner.organisation import Reference
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.transitive import workflow_environments

_WORKFLOWS = ".github/workflows/"


def collect(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> tuple[Reference, ...]:
    held = {name for rc in resolved for name in rc.credential.facts_for("name")}
    found = {Reference(u.value, u.path, u.line,
                       tuple(str(e) for e in workflow_environments(u, repo)))
             for u in repo.usages
             if u.kind == "alias" and u.path.startswith(_WORKFLOWS) and u.value not in held}
    return tuple(sorted(found))
