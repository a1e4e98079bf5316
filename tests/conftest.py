"""Shared fixtures: paths to the fixture repositories and a scan helper."""

from __future__ import annotations

import os
import tempfile

import pytest

from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.models import ScanResult
from blastscan.scanner.pipeline.engine import Progress
from blastscan.scanner.pipeline.graph_helper import GraphHelper

from support import FIXTURES, TEST_FINGERPRINT_KEY, scan

# Pinned before any test builds a ScanConfig: the fingerprints (and so the ids) in goldens
# are HMACs under this key. A per-machine default key the suite might still create goes
# to a throwaway directory, never the developer's home.
os.environ["BLASTSCAN_FINGERPRINT_KEY"] = TEST_FINGERPRINT_KEY
os.environ.pop("BLASTSCAN_FINGERPRINT_KEY_FILE", None)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="blastscan-test-config-")


@pytest.fixture(scope="session")
def incident() -> ScanResult:
    return scan(FIXTURES / "incident")


@pytest.fixture(scope="session")
def staging() -> ScanResult:
    return scan(FIXTURES / "staging")


@pytest.fixture(autouse=True)
def _evidence_gate_cross_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every scan the suite runs is also run with the evidence gate off (every file parsed
    up front), and the two results must be equal: the gate may save time, never change a
    verdict. This is what proves the deferred parsing loses nothing on every repository
    the tests build, not just on the fixtures."""
    from dataclasses import replace

    from blastscan.scanner.pipeline import engine

    run = engine.run

    def checked(config: ScanConfig, progress: Progress | None = None,
                helper: GraphHelper | None = None) -> ScanResult:
        result = run(config, progress, helper)  # the eager rerun builds its graph in process
        if config.defer_evidence:
            eager = run(replace(config, defer_evidence=False))
            assert eager == result, f"the evidence gate changed the result of {config.target}"
        return result

    monkeypatch.setattr(engine, "run", checked)


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite runs as on a developer's machine wherever it runs: ``CI`` changes whether a
    baseline at the default path is used (scanner/config/settings.py), and the CI job sets
    it. The tests of that behaviour set it themselves."""
    monkeypatch.delenv("CI", raising=False)
