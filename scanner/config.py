"""The frozen configuration of one scan, built by the CLI from its options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blastscan.scanner.models import Severity

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024  # bigger text files are data dumps, not config


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
