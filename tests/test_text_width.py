"""The text report at 80 columns (issue 21): nothing wider, and no id, kind or path cut.

A squeezed rich table used to break cells mid-word (``account_to`` / ``ken``,
``export_bookings.`` / ``py:7``); under the width where every word fits, the credentials
become a list instead, and everything else wraps at spaces.
"""

from __future__ import annotations

import dataclasses

import pytest

from blastscan.reports.common import sorted_locations
from blastscan.reports.text import render_text
from blastscan.reports.text_parts import location_label
from blastscan.scanner.models import Location, ScanResult

from report_samples import incident_result


def _whole_tokens(result: ScanResult) -> list[str]:
    tokens = []
    for rc in result.credentials:
        tokens += [rc.reach.kind, str(rc.reach.scope),
                   location_label(sorted_locations(rc.credential.locations)[0])]
    return tokens


@pytest.mark.parametrize("which", ["sample", "scan"])
@pytest.mark.parametrize("width", [80, 100])
def test_fits_and_keeps_every_token_whole(which: str, width: int,
                                          incident: ScanResult) -> None:
    result = incident_result() if which == "sample" else incident
    text = render_text(result, width=width)
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    for token in _whole_tokens(result):
        assert any(token in line for line in lines), f"{token!r} was broken across lines"
    for path in result.paths:
        if f"{path.id}" in text:
            assert any(path.id in line for line in lines)


def test_a_path_too_long_for_any_table_still_reads_whole() -> None:
    result = incident_result()
    account = result.credentials[0]
    long_path = "services/billing-export-worker/config/settings_production.py"  # 60 chars
    credential = dataclasses.replace(account.credential, locations=(Location(long_path, 4),))
    result = dataclasses.replace(result, credentials=(
        dataclasses.replace(account, credential=credential), *result.credentials[1:]))
    lines = render_text(result, width=80).splitlines()
    assert any(f"{long_path}:4" in line for line in lines)
    assert "Worst    Credential" not in "\n".join(lines), "a list, not a squeezed table"


@pytest.mark.parametrize("width", [80, 100])
def test_every_source_url_can_be_read_back_whole(width: int, incident: ScanResult) -> None:
    """A source cut with "…" cannot be followed: each is folded onto following lines."""
    from blastscan.reports.remediation import merged, remediation_for

    by_id = {rc.credential.id: rc for rc in incident.credentials}
    sources = merged([remediation_for(p, by_id.get(p.credential_id))
                      for p in incident.paths]).sources
    text = render_text(incident, width=width)
    assert "…" not in "".join(line for line in text.splitlines() if "https://" in line)
    joined = "".join(line.strip() for line in text.splitlines())  # folded lines rejoined
    assert sources
    assert all(source in joined for source in sources)
