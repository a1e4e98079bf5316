"""The CI entry points: action.yml, .pre-commit-hooks.yaml, and the files mode they use.

The YAML files are checked against the real command line: every flag they pass must be
in the matching ``--help`` output, and the hook's entry must be the console script
pyproject declares, so renaming an option cannot silently break the action or the hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

ROOT = Path(__file__).parent.parent
PAT = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"  # the github detector's own sample
runner = CliRunner()
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _help(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_action_inputs_and_steps() -> None:
    action = _load("action.yml")
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert {"path", "fail-on", "upload-sarif", "baseline", "args", "python-version",
            "category"} <= set(inputs)
    assert inputs["fail-on"]["default"] == "critical"
    assert inputs["upload-sarif"]["default"] == "true"
    steps = action["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif@"))
    # v3 is deprecated in December 2026 (the CodeQL Action's changelog, 4.31.3).
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["with"]["category"] == "${{ inputs.category }}"  # one per matrix job
    # The upload must not be skipped because the gate failed.
    assert upload["if"].startswith("always()")
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert steps.index(upload) < len(steps) - 1  # the gate comes after the upload
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for name in re.findall(r"inputs\.([a-z-]+)", text):
        assert name in inputs, name
    assert "github.action_path" in text
    assert "$GITHUB_STEP_SUMMARY" in text
    assert "actions: read" in text  # private repositories need it for the upload


def _commands(name: str) -> list[str]:
    """The ``blastscan NAME`` command lines of the action's scripts, continuations joined."""
    runs = [s["run"] for s in _load("action.yml")["runs"]["steps"] if "run" in s]
    lines = [line for run in runs for line in run.replace("\\\n", " ").splitlines()]
    return [line for line in lines if line.strip().startswith(f"blastscan {name} ")]


def test_action_scans_once_and_renders_the_rest_from_its_json() -> None:
    scans, reports = _commands("scan"), _commands("report")
    assert len(scans) == 1
    assert "--format json" in scans[0]
    assert len(reports) == 1
    assert "--format sarif" in reports[0]
    assert "--also-write \"markdown:" in reports[0]
    runs = [s["run"] for s in _load("action.yml")["runs"]["steps"] if "run" in s]
    # The options the scan gets through the ``extra`` array count too.
    extra = [line for run in runs for line in run.splitlines() if "extra" in line]
    for line, command in [*((x, "scan") for x in (*scans, *extra)), (reports[0], "report")]:
        flags = set(_FLAG.findall(line))
        known = _help(command)
        for flag in flags:
            assert flag in known, (command, flag)
    assert {"--fail-on", "--format", "--output", "--baseline"} <= {
        f for line in (*scans, *extra) for f in _FLAG.findall(line)}


def _scan_step() -> dict[str, Any]:
    steps = _load("action.yml")["runs"]["steps"]
    return next(s for s in steps if s.get("id") == "scan")


def _run_scan_step(tmp_path: Path, fixture: str) -> tuple[Path, Path, dict[str, str], Path]:
    workspace, runner_temp = tmp_path / "ws", tmp_path / "runner"
    shutil.copytree(ROOT / "tests" / "fixtures" / fixture, workspace)
    runner_temp.mkdir()
    outputs, summary = tmp_path / "out.txt", tmp_path / "summary.md"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "BLASTSCAN_PATH": ".", "BLASTSCAN_ARGS": "--no-history", "INPUT_FAIL_ON": "critical",
           "INPUT_BASELINE": "", "RUNNER_TEMP": str(runner_temp),
           "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))
    subprocess.run(["bash", "-c", _scan_step()["run"]], cwd=workspace, env=env, check=True,
                   timeout=120, capture_output=True)
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before
    given = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return workspace, runner_temp, given, summary


@pytest.mark.parametrize(("fixture", "code"), [("incident", "1"), ("staging", "0")])
def test_action_scan_step_writes_outside_the_workspace(tmp_path: Path, fixture: str,
                                                       code: str) -> None:
    """The step's own script, run with bash as the runner would: one scan to JSON in
    RUNNER_TEMP, SARIF and the summary rendered from it, nothing new in the checkout."""
    from blastscan.scanner.pipeline.own_reports import recognise

    workspace, runner_temp, given, summary = _run_scan_step(tmp_path, fixture)
    assert given["exit-code"] == code
    report, sarif = Path(given["json"]), Path(given["sarif"])
    assert runner_temp in report.parents
    assert runner_temp in sarif.parents
    for file in workspace.rglob("*"):  # no report of blastscan's in the checkout
        assert file.is_dir() or recognise(file.read_text(errors="replace")) is None, file
    document = json.loads(report.read_text())
    # The summary is the JSON's: the Markdown `report` renders from it, byte for byte,
    # naming every failing path the JSON holds.
    rendered = runner.invoke(app, ["report", str(report), "-f", "markdown"])
    assert summary.read_text() == rendered.output
    assert document["gate"]["status"] == ("fail" if code == "1" else "pass")
    by_severity = document["summary"]["by_severity"]
    assert f"{document['summary']['paths']} paths" in summary.read_text()
    assert all(f"{n} {s}" in summary.read_text() for s, n in by_severity.items() if n)
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert len(results) == len(document["paths"])


STRIPE = "sk_live_51Hq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0GaWq8Lz3Rv6Tn1Ym4Kp7"  # fake, right shape


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                           "-c", "init.defaultBranch=main", *args], cwd=root, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A base commit whose baseline accepts its token, and a pull request on top that adds
    a production Stripe key and the baseline entries accepting it."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _git(ws, "init", "-q")
    (ws / "gh.py").write_text(f'GITHUB_TOKEN = "{PAT}"\n')
    made = runner.invoke(app, ["baseline", "create", str(ws), "--reason", "r", "--owner", "o"])
    assert made.exit_code == 0, made.output
    _git(ws, "add", ".")
    _git(ws, "commit", "-qm", "base")
    base = _git(ws, "rev-parse", "HEAD")
    (ws / ".env.production").write_text(f"STRIPE_SECRET_KEY={STRIPE}\n")
    made = runner.invoke(app, ["baseline", "update", str(ws), "--reason", "mine", "--owner", "pr"])
    assert made.exit_code == 0, made.output
    _git(ws, "add", ".")
    _git(ws, "commit", "-qm", "a pull request accepting its own secret")
    return ws, base


def _step(ws: Path, tmp_path: Path, **given: str) -> dict[str, str]:
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir(exist_ok=True)
    outputs = tmp_path / "out.txt"
    outputs.unlink(missing_ok=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "BLASTSCAN_PATH": ".", "BLASTSCAN_ARGS": "--no-history", "INPUT_FAIL_ON": "critical",
           "INPUT_BASELINE": "", "INPUT_BASELINE_FROM_BASE": "true", "BASE_SHA": "",
           "RUNNER_TEMP": str(runner_temp), "CI": "true",
           "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           **given}
    subprocess.run(["bash", "-c", _scan_step()["run"]], cwd=ws, env=env, check=True,
                   timeout=120, capture_output=True)
    return dict(line.split("=", 1) for line in outputs.read_text().splitlines())


def test_on_a_pull_request_the_baseline_comes_from_the_base_commit(
        pull_request: tuple[Path, str], tmp_path: Path) -> None:
    ws, base = pull_request
    named = {"INPUT_BASELINE": ".blastscan-baseline.json"}
    # A push: the checkout's own baseline is the branch's, reviewed when it was merged.
    assert _step(ws, tmp_path, **named)["exit-code"] == "0"
    # The pull request's edited baseline must not accept the key it adds.
    given = _step(ws, tmp_path, **named, BASE_SHA=base)
    assert given["exit-code"] == "1"
    document = json.loads(Path(given["json"]).read_text())
    stripe = {c["id"] for c in document["credentials"] if c["provider"] == "stripe"}
    assert stripe
    assert set(document["gate"]["failing_paths"]) == {
        p["id"] for p in document["paths"] if p["credential"] in stripe
        and p["severity"] == "critical"}  # the base's entries still accept the old token
    # Opting out of the base-commit read is the workflow author's explicit choice.
    assert _step(ws, tmp_path, **named, BASE_SHA=base,
                 INPUT_BASELINE_FROM_BASE="false")["exit-code"] == "0"


def test_without_a_baseline_input_the_tree_default_is_not_used(
        pull_request: tuple[Path, str], tmp_path: Path) -> None:
    ws, _ = pull_request
    assert (ws / ".blastscan-baseline.json").is_file()
    assert _step(ws, tmp_path)["exit-code"] == "1"


def test_the_action_installs_with_the_constraints_it_ships() -> None:
    """Every dependency of blastscan[catalog] is pinned in constraints.txt, at a version
    pyproject allows, and the install step passes the file to pip."""
    from packaging.requirements import Requirement

    install = next(s for s in _load("action.yml")["runs"]["steps"]
                   if s.get("name") == "Install blastscan")["run"]
    assert '-c "$ACTION_PATH/constraints.txt"' in install
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in [*project["dependencies"], *project["optional-dependencies"]["catalog"]]:
        requirement = Requirement(spec)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, name
        assert requirement.specifier.contains(pins[name]), (name, pins[name])


@pytest.mark.parametrize("hook_id", ["blastscan", "blastscan-any"])
def test_pre_commit_hook_names_the_console_script(hook_id: str) -> None:
    hooks = _load(".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == hook_id)
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    script, command = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert script in scripts
    assert command in _help()
    files_help = _help(command)
    for flag in _FLAG.findall(" ".join(hook.get("args", []))):
        assert flag in files_help, flag


def _hook(hook_id: str, *files: str) -> tuple[int, str]:
    """``scan-files`` run as pre-commit runs the hook: its entry's command, its args,
    then the staged file names."""
    hook = next(h for h in _load(".pre-commit-hooks.yaml") if h["id"] == hook_id)
    got = runner.invoke(app, [hook["entry"].split()[1], *hook["args"], *files])
    return got.exit_code, got.output


PASSWORD = "Xk7pQ2vL9mRw4ZtB"  # random, the shape of a hand-made password
VENDOR = "acme_8f3k2j5h7g9d1s4a6q8w0e2r4t6y8u0i"  # a key of no known provider


@pytest.fixture
def weak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(f'DB_PASSWORD = "{PASSWORD}"\nACME_API_KEY = "{VENDOR}"\n')
    (tmp_path / "clean.py").write_text("print('hello')\n")
    return tmp_path


def test_the_blast_radius_hook_passes_a_password_but_lists_it(weak: Path) -> None:
    code, text = _hook("blastscan", "app.py", "clean.py")
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0].startswith("PASS  ")
    found = [line for line in lines if line.startswith("  ") and " at " in line]
    # One line per credential (in credential-id order).
    assert sorted(line.split(" at ")[1].split(":")[1] for line in found) == ["1", "2"]
    assert all("reach unknown" in line for line in found)
    assert PASSWORD not in text
    assert VENDOR not in text
    hook = next(h for h in _load(".pre-commit-hooks.yaml") if h["id"] == "blastscan")
    assert hook["verbose"] is True  # pre-commit prints a passing hook's output only then


def test_the_any_hook_blocks_any_new_credential(weak: Path) -> None:
    code, text = _hook("blastscan-any", "app.py", "clean.py")
    assert code == 1, text
    assert text.startswith("FAIL  2 paths at info or above")
    assert PASSWORD not in text
    assert VENDOR not in text
    ids = re.findall(r"\[(p-[0-9a-f]{12})\]$", text, re.MULTILINE)
    assert len(ids) == 2  # each line names its path, for `blastscan explain`
    explained = runner.invoke(app, ["explain", ids[0], ".", "--no-history"])
    assert explained.exit_code == 0, explained.output
    code, text = _hook("blastscan-any", "clean.py")
    assert (code, text.splitlines()[0]) == (0, "PASS  no path at or above info")


def test_both_hooks_block_a_production_delete(staged: Path) -> None:
    for hook_id in ("blastscan", "blastscan-any"):
        code, text = _hook(hook_id, "app.py", ".env.production")
        assert code == 1, (hook_id, text)
        assert ".env.production:1" in text
        assert PAT not in text


def test_the_any_hook_lets_through_what_the_baseline_accepts(weak: Path) -> None:
    made = runner.invoke(app, ["baseline", "create", ".", "--reason", "r", "--owner", "o"])
    assert made.exit_code == 0, made.output
    code, text = _hook("blastscan-any", "--baseline", ".blastscan-baseline.json", "app.py")
    assert code == 0, text
    assert text.count("(accepted by the baseline)") == 2


def test_any_and_fail_on_together_are_a_usage_error(weak: Path) -> None:
    got = runner.invoke(app, ["scan-files", "--any", "--fail-on", "high", "app.py"])
    assert got.exit_code == 2
    assert "--any" in got.output


def test_ci_dogfoods_the_action() -> None:
    jobs = _load(".github/workflows/ci.yml")["jobs"]
    steps = [s for job in jobs.values() for s in job["steps"] if s.get("uses") == "./"]
    assert steps
    assert "--no-history" in steps[0]["with"]["args"]


@pytest.fixture
def staged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text("print('hello')\n")
    (tmp_path / "README.md").write_text("# demo\n")
    (tmp_path / ".env.production").write_text(f"GITHUB_TOKEN={PAT}\n")
    return tmp_path


def test_files_mode_gates_on_the_staged_files(staged: Path) -> None:
    failing = runner.invoke(app, ["scan-files", "--fail-on", "critical", "app.py",
                                  ".env.production"])
    assert failing.exit_code == 1, failing.output
    assert ".env.production:1" in failing.output
    assert PAT not in failing.output


def test_files_mode_reads_only_the_files_named(staged: Path) -> None:
    # .env.production holds a token, but it is not among the staged files.
    result = runner.invoke(app, ["scan-files", "app.py", "README.md", "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["credentials"] == []
    assert report["summary"]["files_scanned"] == 2


def test_files_mode_rejects_files_outside_the_root(staged: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan-files", "--root", str(staged / "sub"), "app.py"])
    assert result.exit_code == 2


def test_files_mode_quiet_prints_only_the_verdict(staged: Path) -> None:
    got = runner.invoke(app, ["scan-files", "-q", "app.py", ".env.production"])
    assert got.exit_code == 1
    assert got.output.strip().startswith("FAIL  ")
    assert ".env.production:1" not in got.output  # no credential block
