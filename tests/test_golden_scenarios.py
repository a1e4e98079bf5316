"""Golden files for every format on a few scenarios (refresh: BLASTSCAN_UPDATE_GOLDEN=1).

Scans run from inside fixtures/scenarios with a relative target, so the reports hold no
machine-specific path and compare byte for byte on any checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blastscan.reports.base import OutputFormat, render

from support import FIXTURES, scan

GOLDEN = Path(__file__).parent / "golden" / "scenarios"
SCENARIOS = ["aws_admin_rds", "railway_staging_bearer", "stripe_test", "rails_db"]
SUFFIX = {OutputFormat.TEXT: "txt", OutputFormat.JSON: "json", OutputFormat.SARIF: "sarif",
          OutputFormat.MARKDOWN: "md", OutputFormat.HTML: "html"}


@pytest.mark.parametrize("fmt", list(OutputFormat))
@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(name: str, fmt: OutputFormat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "scenarios")
    rendered = render(scan(Path(name)), fmt, width=100)
    golden = GOLDEN / f"{name}.{SUFFIX[fmt]}"
    if os.environ.get("BLASTSCAN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run with BLASTSCAN_UPDATE_GOLDEN=1"
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_format_has_a_golden_suffix() -> None:
    assert set(SUFFIX) == set(OutputFormat)
