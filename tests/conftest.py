"""Shared fixtures: paths to the fixture repositories and a scan helper."""

from __future__ import annotations

import pytest

from blastscan.scanner.models import ScanResult

from support import FIXTURES, scan


@pytest.fixture(scope="session")
def incident() -> ScanResult:
    return scan(FIXTURES / "incident")


@pytest.fixture(scope="session")
def staging() -> ScanResult:
    return scan(FIXTURES / "staging")
