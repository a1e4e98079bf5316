"""``blastscan sweep`` (issue 16): many repositories, a local pool or a real Dask cluster.

Repositories are generated here: local git checkouts and bare repositories reached by
``file://`` URLs (never the network). The Dask test starts a real LocalCluster on
127.0.0.1 in this process (threads, not processes, to stay fast); the scans themselves
are separate scanner processes either way.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app
from blastscan.scanner.config.fingerprint_key import FingerprintKey
from blastscan.scanner.org import sweep as sweeping
from blastscan.scanner.org import task as tasks
from blastscan.scanner.org.executors import LocalPool
from blastscan.scanner.org.task import Task

from support import TEST_FINGERPRINT_KEY

runner = CliRunner()
KEY = FingerprintKey(TEST_FINGERPRINT_KEY.encode())
SHARED = "7c1d9e4a-2b6f-4e83-9a05-d3f8b7c2e1a6"  # random, the shape of a Railway token
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c",
       "init.defaultBranch=main", "-c", "commit.gpgsign=false"]


def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def _checkout(where: Path, files: dict[str, str]) -> Path:
    where.mkdir(parents=True)
    for rel, text in files.items():
        (where / rel).parent.mkdir(parents=True, exist_ok=True)
        (where / rel).write_text(text)
    _git("init", "-q", cwd=where)
    _git("add", "-A", cwd=where)
    _git("commit", "-q", "-m", "init", cwd=where)
    return where


def _files(index: int) -> dict[str, str]:
    files = {"README.md": f"service {index}\n"}
    if index % 3 == 0:
        files[".env.production"] = f"RAILWAY_TOKEN={SHARED}\n"
    elif index % 3 == 1:
        files["deploy.py"] = f'RAILWAY_TOKEN = "{SHARED}"\n'
    return files


def _write(file: Path, text: str) -> None:
    file.write_text(text)


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """20 repositories: 15 local checkouts, 5 bare repositories behind file:// URLs."""
    root = tmp_path_factory.mktemp("org")
    targets = []
    for index in range(20):
        work = _checkout(root / "work" / f"svc{index:02d}", _files(index))
        if index < 15:
            targets.append(str(work))
            continue
        bare = root / "bare" / f"remote{index:02d}.git"
        _git("clone", "-q", "--bare", str(work), str(bare))
        targets.append(bare.as_uri())
    return targets


@pytest.fixture(scope="module")
def local_sweep(organisation: list[str], tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("local")
    result = sweeping.sweep(organisation, out, LocalPool(2), KEY, _write)
    assert result.organisation is not None
    assert not result.organisation.skipped
    return out, (out / "reports").as_posix()


def test_the_sweep_joins_the_shared_token(local_sweep: tuple[Path, str]) -> None:
    out, _ = local_sweep
    names = sorted(p.stem for p in (out / "reports").glob("*.json"))
    assert len(names) == 20
    assert "remote15" in names
    report = json.loads(_merged_json_from(out))
    top = report["organisation"]["ranking"][0]
    assert len(top["repositories"]) == 14  # index % 3 in (0, 1)
    assert SHARED not in _merged_json_from(out)


def _merged_json_from(out: Path) -> str:
    from blastscan.reports.json_report import render_json
    from blastscan.scanner.org.merge import merge

    return render_json(merge(sorted((out / "reports").glob("*.json"))))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_dask_cluster_gives_the_same_merged_report_as_the_local_pool(
        organisation: list[str], local_sweep: tuple[Path, str], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local_out, _ = local_sweep
    expected = _merged_json_from(local_out)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0",  # its HTTP server: any free port
                                  silence_logs=50) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        result = runner.invoke(app, ["sweep", *organisation, "--out", str(tmp_path),
                                     "--scheduler", address, "-f", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output  # the shared token reaches production
    assert (tmp_path / "organisation.json").read_text() == expected
    assert json.loads((tmp_path / "failures.json").read_text()) == {"failures": []}


def test_a_rerun_does_no_work(organisation: list[str], local_sweep: tuple[Path, str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = local_sweep
    before = {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.json")}

    def no_scan(*_args: object) -> object:
        raise AssertionError("a current repository was scanned again")

    monkeypatch.setattr(tasks, "_scan", no_scan)
    monkeypatch.setattr(tasks, "_clone", no_scan)
    ticks: list[sweeping.Tally] = []
    result = sweeping.sweep(organisation, out, LocalPool(2), KEY, _write,
                            progress=lambda t: ticks.append(sweeping.Tally(**vars(t))))
    assert ticks[-1] == sweeping.Tally(total=20, done=20, failed=0, current=20)
    assert [t.left for t in ticks] == list(range(19, -1, -1))
    assert {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.json")} == before
    assert result.organisation is not None
    assert len(result.organisation.repositories) == 20


def test_failures_are_recorded_and_the_rest_finish(tmp_path: Path) -> None:
    good = _checkout(tmp_path / "good", {".env.production": f"RAILWAY_TOKEN={SHARED}\n"})
    broken = _checkout(tmp_path / "broken", {".blastscan.toml": "fail_on = [\n"})
    missing = (tmp_path / "nowhere.git").as_uri()
    result = runner.invoke(app, ["sweep", str(good), str(broken), missing, "--out",
                                 str(tmp_path / "out"), "-f", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    skipped = {s["file"]: s["reason"] for s in report["organisation"]["skipped"]}
    assert set(skipped) == {"broken", "nowhere"}
    assert "not valid TOML" in skipped["broken"]
    assert skipped["nowhere"].startswith("git ls-remote failed")
    assert [r["name"] for r in report["organisation"]["repositories"]] == ["good"]
    failures = json.loads((tmp_path / "out" / "failures.json").read_text())["failures"]
    assert [f["repository"] for f in failures] == ["broken", "nowhere"]
    assert report["gate"]["status"] == "fail"


def test_a_scan_past_its_timeout_is_killed_and_reported(tmp_path: Path) -> None:
    repo = _checkout(tmp_path / "slow", {"a.txt": "x\n"})
    outcome = tasks.run(Task("slow", str(repo), False, str(tmp_path), "k", timeout=0.01))
    assert outcome.status == "failed"
    assert outcome.reason == "timed out after 0.01 s"


def test_a_crash_reports_only_its_kind(tmp_path: Path) -> None:
    trace = b"Traceback (most recent call last):\nKeyError: 'sk_live_4f1c2b'\n"
    assert tasks._reason(3, trace) == "the scanner crashed (exit 3: KeyError)"
    assert tasks._reason(-11, b"") == "the scanner crashed (signal 11)"
    assert tasks._reason(2, b"blastscan: error: x.toml: not valid TOML") == (
        "x.toml: not valid TOML")


def test_targets_from_a_file_get_unique_names(tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "api", tmp_path / "b" / "api"
    one.mkdir(parents=True)
    two.mkdir(parents=True)
    listing = tmp_path / "targets.txt"
    listing.write_text(f"# the platform team's\n{one}\n\n{two}\nfile:///srv/git/web.git\n")
    found = sweeping.targets([str(listing)])
    names = [t.name for t in found]
    assert names[0] == "api"
    assert names[1].startswith("api-")
    assert len(names[1]) == 12
    assert names[2] == "web"
    assert [t.is_url for t in found] == [False, False, True]
    with pytest.raises(Exception, match="neither a directory"):
        sweeping.targets([str(tmp_path / "absent")])
