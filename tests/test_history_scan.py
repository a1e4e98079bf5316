"""History through the CLI: a secret that only lives in git history is still reachable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

STRIPE = "sk_live_eqlidtfaOUwJy0FSlMTVm8cxdcvM7NOYndCqD3oJ"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                           "-c", "init.defaultBranch=main", *args], cwd=root, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    _git(tmp_path, "init", "-q")
    (tmp_path / "settings.py").write_text(f'STRIPE_SECRET_KEY = "{STRIPE}"\n')
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "add settings")
    leaked = _git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "settings.py").write_text('STRIPE_SECRET_KEY = os.environ["STRIPE"]\n')
    _git(tmp_path, "commit", "-qam", "read the key from the environment")
    return tmp_path, leaked


def _scan(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_secret_only_in_history_is_found_with_its_commit(repo: tuple[Path, str]) -> None:
    root, leaked = repo
    code, report = _scan(str(root))
    assert code == 1
    (cred,) = report["credentials"]
    assert cred["locations"] == [{"path": "settings.py", "line": 1, "source": "git-history",
                                  "commit": leaked, "column": 22, "end_column": 70}]
    assert report["summary"]["history_blobs"] >= 1


def test_no_history_skips_it(repo: tuple[Path, str]) -> None:
    root, _ = repo
    code, report = _scan(str(root), "--no-history")
    assert code == 0
    assert report["credentials"] == []


def test_since_limits_history_to_later_commits(repo: tuple[Path, str]) -> None:
    root, _ = repo
    _, report = _scan(str(root), "--since", "HEAD")
    assert report["credentials"] == []


def test_history_through_the_pool_matches_serial(
        repo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from blastscan.scanner.pipeline import filescan

    root, _ = repo
    for index in range(12):  # more blobs than one window
        (root / f"f{index}.env").write_text(f"STRIPE_SECRET_KEY={STRIPE[:-2]}{index:02d}\n")
        _git(root, "add", ".")
        _git(root, "commit", "-qm", f"c{index}")
        (root / f"f{index}.env").unlink()
    _git(root, "commit", "-qam", "remove")
    _, serial = _scan(str(root), "--jobs", "1")
    monkeypatch.setattr(filescan, "_BLOB_WINDOW", 5)
    monkeypatch.setattr(filescan, "_CHUNK", 2)
    # Three cores: git keeps one, two workers scan the windows (two cores scan serially).
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert filescan._workers(3, filescan.PARALLEL_MIN_FILES) - 1 == 2
    _, parallel = _scan(str(root), "--jobs", "3")
    assert parallel == serial
    assert len(serial["credentials"]) == 13
