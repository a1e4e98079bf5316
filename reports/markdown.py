"""The Markdown report: a compact summary for a pull-request comment or $GITHUB_STEP_SUMMARY.

Rendered by jinja2 from ``templates/summary.md.j2`` with ``StrictUndefined``. Autoescape
is off (it is HTML escaping), so every value from the scanned repository goes through
the ``md`` filter, :func:`md_escape`, which makes it inert text: no table cell breaks, no
links, images, code spans, emphasis, HTML or autolinks (the one link is blastscan's own:
a remediation source URL, :func:`md_source`). ``finalize`` enforces it: a
string printed without ``|md`` raises instead of reaching the page unescaped (the escape
itself is :mod:`blastscan.reports.md_text`, which SARIF rule help shares). Rows are
capped (the JSON and SARIF reports list everything) so the comment stays short.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from blastscan.reports.common import (
    agent_scope,
    headline_path,
    passed_headline,
    severity_counts,
    sorted_credentials,
    sorted_environments,
    sorted_examples,
    sorted_locations,
    sorted_paths,
    unaccepted,
    worst_severity_by_credential,
)
from blastscan.reports.grouping import group_paths
from blastscan.reports.markdown_view import CredentialBlock, CredentialRow
from blastscan.reports.md_text import Escaped, md_escape
from blastscan.reports.organisation import view
from blastscan.reports.remediation.schema import is_source
from blastscan.reports.text_parts import plural, summary_parts
from blastscan.scanner.models import Example, Path, ResolvedCredential, ScanResult, Severity

MAX_PATH_ROWS = 10  # operations shown across all credential blocks
MAX_CREDENTIAL_ROWS = 10
MAX_FIXES = 3  # credential blocks whose fix is spelled out (each is ~10 lines of steps)


def _finalize(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Escaped):
        raise TypeError(f"unescaped text in the Markdown template: {value[:20]!r}; use |md")
    return value


_ENV = Environment(
    loader=PackageLoader("blastscan.reports", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # HTML escaping is wrong for Markdown: md_escape does it
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters["md"] = md_escape


def md_source(value: str) -> Escaped:
    """One of our remediation sources as a CommonMark autolink (``<https://…>``), so a
    reader can follow it. Only these may be links: they come from blastscan's own data,
    validated to an https URL with no space, ``<`` or ``>`` (which could end the link
    early); text from the scanned tree goes through ``|md`` and is never a link."""
    if not is_source(value):  # only knowledge-base sources come here; refuse anything else
        raise TypeError("not a remediation source")
    return Escaped(f"<{value}>")


_ENV.filters["source"] = md_source


@dataclass(frozen=True, slots=True)
class _Count:
    severity: Severity
    n: int
    loud: bool


def render_markdown(result: ScanResult, *, show_accepted: bool = False) -> str:
    """Render ``result`` as GitHub-flavoured Markdown (baseline-accepted paths collapsed to
    a count unless ``show_accepted``)."""
    by_id = {rc.credential.id: rc for rc in result.credentials}
    paths = sorted_paths(result.paths)
    all_serious = [p for p in paths if p.severity.rank >= Severity.HIGH.rank]
    serious = unaccepted(all_serious, result.gate, show_accepted)
    credentials = sorted_credentials(result.credentials)
    worst = worst_severity_by_credential(paths)
    loud = (Severity.CRITICAL, Severity.HIGH)
    template = _ENV.get_template("summary.md.j2")
    text = template.render(
        failed=result.gate.failed,
        headline=_headline(result, paths),
        totals=f"{plural(len(credentials), 'credential')}, {plural(len(paths), 'path')}",
        counts=[_Count(s, n, s in loud) for s, n in severity_counts(paths).items()],
        fail_on=result.gate.fail_on,
        blocks=_blocks(serious, by_id),
        max_fixes=MAX_FIXES,
        more_rows=max(0, len(serious) - MAX_PATH_ROWS),
        accepted_rows=len(all_serious) - len(serious),
        credentials=[
            CredentialRow.of(rc, sorted_environments(rc.reach.environments),
                             sorted_locations(rc.credential.locations), worst)
            for rc in credentials[:MAX_CREDENTIAL_ROWS]
        ],
        more_credentials=max(0, len(credentials) - MAX_CREDENTIAL_ROWS),
        examples=[_example_row(e) for e in sorted_examples(result.examples)[:MAX_CREDENTIAL_ROWS]],
        more_examples=max(0, len(result.examples) - MAX_CREDENTIAL_ROWS),
        footer=_footer(result),
        organisation=view(result.organisation) if result.organisation else None,
    )
    return text.rstrip("\n") + "\n"


def _blocks(paths: list[Path], by_id: dict[str, ResolvedCredential]) -> list[CredentialBlock]:
    """One block per credential, until :data:`MAX_PATH_ROWS` operations are shown."""
    blocks: list[CredentialBlock] = []
    room = MAX_PATH_ROWS
    for group in group_paths(paths, by_id):
        if room <= 0:
            break
        blocks.append(CredentialBlock.of(group, room, with_fix=len(blocks) < MAX_FIXES))
        room -= len(blocks[-1].rows)
    return blocks


def _example_row(example: Example) -> tuple[str, str, str]:
    cred = example.credential
    return (f"{cred.provider} {cred.kind} {cred.redacted}", cred.locations[0].label(),
            example.why[0])


def _headline(result: ScanResult, paths: list[Path]) -> str:
    gate = result.gate
    if not gate.failed:
        return passed_headline(gate, paths)
    failing_ids = set(gate.failing_paths)
    failing = [p for p in paths if p.id in failing_ids]
    if not failing:
        return f"the gate failed at {gate.fail_on}"
    worst = headline_path(result, failing)
    noun = "critical path" if gate.fail_on is Severity.CRITICAL else "failing path"
    return (f"{plural(len(failing), noun)}: {agent_scope(result)} can reach "
            f"{worst.action} in {worst.environment}")


def _footer(result: ScanResult) -> str:
    return " · ".join([*summary_parts(result.summary), f"blastscan {result.tool_version}"])

