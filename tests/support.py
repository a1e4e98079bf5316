"""Helpers shared by the tests (imported as ``support``: the tests folder is on sys.path)."""

from __future__ import annotations

from pathlib import Path

from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.models import ScanResult
from blastscan.scanner.pipeline import engine

FIXTURES = Path(__file__).parent / "fixtures"
# The fingerprint key the whole suite scans under (pinned in conftest.py).
TEST_FINGERPRINT_KEY = "blastscan-test-fingerprint-key-not-a-secret"


def scan(path: Path, **options: object) -> ScanResult:
    return engine.run(ScanConfig(path, **options))  # type: ignore[arg-type]
