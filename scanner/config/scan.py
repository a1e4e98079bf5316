"""The frozen configuration of one scan, built by :mod:`blastscan.scanner.config.settings` from
the defaults, the repository's configuration file, ``BLASTSCAN_*`` variables and flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from blastscan.detectors.knowledge.model import Provider
from blastscan.detectors.providers.custom import CustomDetector
from blastscan.scanner.config import fingerprint_key
from blastscan.scanner.models import Severity
from blastscan.scanner.verdict.baseline import Baseline

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024  # bigger text files are data dumps, not config


@dataclass(frozen=True, slots=True)
class SeverityOverride:
    """``[[tool.blastscan.override]]``: paths of a provider and/or found under a glob get
    this severity (the last matching override wins, as in a gitignore file)."""

    severity: Severity
    provider: str | None = None
    path: str | None = None  # gitignore-style glob over the credential's location paths


@dataclass(frozen=True, slots=True)
class ScanConfig:
    target: Path
    fail_on: Severity = Severity.CRITICAL
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include_deps: bool = False
    jobs: int = 0  # worker processes; 0 = one per available core (capped), 1 = no pool
    home: Path | None = None  # also read the credential stores under this home directory
    env: bool = False  # also read this process's environment (an agent inherits it)
    history: bool = True  # also read every unique blob of git history (repository roots)
    since: str | None = None  # only history after this revision (incremental CI scans)
    include: tuple[str, ...] = ()  # gitignore-style globs: when set, only matching files
    exclude: tuple[str, ...] = ()  # gitignore-style globs: matching files are not read
    overrides: tuple[SeverityOverride, ...] = ()
    detectors: tuple[CustomDetector, ...] = ()  # configured detectors, for this scan only
    providers: tuple[Provider, ...] = ()  # extra knowledge-base providers, this scan only
    baseline: Baseline | None = None
    # One line the CLI prints before the report when the baseline was not named: the one
    # found at the default path is in use, or was ignored (CI). None otherwise.
    baseline_notice: str | None = None
    imports: tuple[str, ...] = ()  # other scanners' reports to resolve (``[TOOL:]FILE``)
    files: tuple[str, ...] | None = None  # only these paths under the target (pre-commit)
    # Parse code that only matters to named credentials after the names are known (False:
    # parse every file up front; the same report, slower; tests compare the two).
    defer_evidence: bool = True
    # The day baseline expiries are judged against; the CLI passes the real date.
    today: date = field(default_factory=date.today)
    # The HMAC key of credential fingerprints. settings.resolve picks it from the variables
    # and configuration; a ScanConfig built in code reads the variables (or the per-machine
    # default) the same way.
    fingerprint_key: fingerprint_key.FingerprintKey = field(
        default_factory=lambda: fingerprint_key.resolve(os.environ))
