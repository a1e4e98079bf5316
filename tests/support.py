"""Helpers shared by the tests (imported as ``support``: the tests folder is on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.models import ScanResult
from blastscan.scanner.pipeline import engine

FIXTURES = Path(__file__).parent / "fixtures"
# The fingerprint key the whole suite scans under (pinned in conftest.py).
TEST_FINGERPRINT_KEY = "blastscan-test-fingerprint-key-not-a-secret"


def scan(path: Path, **options: object) -> ScanResult:
    return engine.run(ScanConfig(path, **options))  # type: ignore[arg-type]


def scan_json(root: Path, files: dict[str, str], secrets: tuple[str, ...]) -> dict[str, Any]:
    """Write ``files`` under ``root``, scan it with the CLI to JSON, and check that none of
    ``secrets`` appears in the output (the report's own no-leak promise)."""
    from typer.testing import CliRunner

    from blastscan.scanner.cli.main import app

    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    got = CliRunner().invoke(app, ["scan", str(root), "--no-history", "-f", "json"])
    for secret in secrets:
        assert secret not in got.output
    doc: dict[str, Any] = json.loads(got.output)
    return doc
