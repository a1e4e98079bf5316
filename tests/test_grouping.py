"""One credential, one block (issue 21): the grouping every report shares, and the reports.

The incident scan has one account token reaching six production deletes: each report
must name it once, state its shared reasons and route once, rank its operations
(backups in the blast radius first, then the widest resource) and say how to close it
once, while every path id stays visible for ``explain`` and the baseline.
"""

from __future__ import annotations

import dataclasses

import pytest

from blastscan.reports.grouping import group_paths, rank_key, shared_route, width
from blastscan.reports.html import render_html
from blastscan.reports.markdown import render_markdown
from blastscan.reports.text import render_text
from blastscan.scanner.models import Hop, ScanResult, Severity

from report_samples import incident_paths, incident_result
from support import FIXTURES, scan


@pytest.mark.parametrize(("resource", "expected"), [
    ("railway workspace (all its projects)", 4),
    ("railway project (every environment, volume and backup in it)", 3),
    ("railway environment and its deployments", 2),
    ("railway volume (project-wide)", 1),  # the head is a volume, whatever the parenthesis
    ("S3 objects and versions", 0),  # names no container: width unknown is not wide
    ("AWS account", 5),
])  # fmt: skip
def test_width_reads_the_head_of_the_label(resource: str, expected: int) -> None:
    assert width(resource) == expected


def test_ranking_puts_severity_then_backups_then_width_first() -> None:
    base = dataclasses.replace(incident_paths()[0], severity=Severity.CRITICAL)
    narrow_backups = dataclasses.replace(base, id="p-1", resource="railway volume",
                                         backups_in_blast_radius=True)
    wide_no_backups = dataclasses.replace(base, id="p-2", resource="railway workspace",
                                          backups_in_blast_radius=None)
    wide_backups = dataclasses.replace(base, id="p-3", resource="railway workspace",
                                       backups_in_blast_radius=True)
    high = dataclasses.replace(base, id="p-0", severity=Severity.HIGH,
                               resource="railway workspace", backups_in_blast_radius=True)
    ranked = sorted([high, narrow_backups, wide_no_backups, wide_backups], key=rank_key)
    assert [p.id for p in ranked] == ["p-3", "p-1", "p-2", "p-0"]


def test_groups_are_worst_first_and_share_their_route() -> None:
    result = incident_result()
    by_id = {rc.credential.id: rc for rc in result.credentials}
    groups = group_paths(result.paths[::-1], by_id)
    assert [g.worst for g in groups] == [Severity.CRITICAL, Severity.MEDIUM, Severity.INFO]
    account = groups[0]
    assert len(account.paths) == 2
    assert [h.kind for h in account.route] == ["source", "credential", "scope"]
    assert all(account.own_hops(p) == () for p in account.paths)
    assert account.fix().steps[0].action.startswith("revoke and reissue this railway account")


def test_route_stops_where_paths_part() -> None:
    one, two = incident_paths()[0], incident_paths()[1]
    other_source = dataclasses.replace(two, hops=(Hop("source", "elsewhere:1"), *two.hops[1:]))
    assert shared_route([one, other_source]) == ()
    assert shared_route([one]) == tuple(h for h in one.hops
                                        if h.kind in {"source", "credential", "scope"})


def _one_token(incident: ScanResult) -> tuple[ScanResult, list[str]]:
    critical = [p for p in incident.paths if p.severity is Severity.CRITICAL]
    assert len(critical) >= 5
    assert len({p.credential_id for p in critical}) == 1
    return incident, [p.id for p in critical]


def test_text_names_the_credential_once(incident: ScanResult) -> None:
    result, ids = _one_token(incident)
    text = render_text(result)
    rc = result.credentials[0]
    label = f"{rc.reach.provider} {rc.reach.kind} ({rc.credential.redacted})"
    assert text.count(f"{label} at ") == 1
    assert text.count("via ") == 1, "the route is said once, not per operation"
    assert text.count("to close it:") == 1
    for reason in rc.reach.why:
        assert text.count(reason.split(";")[0][:40]) == 1
    positions = [text.index(i) for i in ids]
    order = sorted(result.paths, key=rank_key)
    assert [i for _, i in sorted(zip(positions, ids, strict=True))] == [
        p.id for p in order if p.id in ids]
    first = order[0]
    assert first.backups_in_blast_radius is True
    assert text.index(first.action) < text.index("to close it:")


def test_markdown_has_one_block_and_every_path_id(incident: ScanResult) -> None:
    result, ids = _one_token(incident)
    text = render_markdown(result)
    assert text.count("#### ") == 1
    assert text.count("**To close it**") == 1
    assert all(text.count(i) == 2 for i in ids), "in the table and in the reasons"


def test_html_has_one_block_one_graph_one_fix(incident: ScanResult) -> None:
    result, ids = _one_token(incident)
    page = render_html(result)
    assert page.count('<article class="block') == 1
    assert page.count("<svg") == 1
    assert page.count("How to close it") == 1
    assert all(f'id="{i}"' in page for i in ids)


def test_a_label_scope_mismatch_is_said_once_per_credential() -> None:
    result = scan(FIXTURES / "scenarios" / "railway_staging_bearer")
    mismatch = result.credentials[0].reach.mismatch
    assert mismatch
    assert sum(p.mismatch == mismatch for p in result.paths) > 1
    text = render_text(result, width=200)
    assert text.count(mismatch) == 1
    assert f"! label/scope mismatch: {mismatch}" in text
    assert render_html(result).count('<li class="reason mismatch">') == 1
