"""The command line through Typer's runner, and once through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app, parse_size
from blastscan.scanner.errors import UsageError
from blastscan.scanner.version import VERSION

from support import FIXTURES

runner = CliRunner()


def test_incident_exits_1_and_prints_the_chain() -> None:
    result = runner.invoke(app, [str(FIXTURES / "incident")])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output
    assert "tools/analytics/export_bookings.py:7" in result.output
    assert "railway.volume.delete" in result.output


def test_scan_subcommand_and_shorthand_agree() -> None:
    short = runner.invoke(app, [str(FIXTURES / "staging"), "--format", "json"])
    full = runner.invoke(app, ["scan", str(FIXTURES / "staging"), "--format", "json"])
    assert short.exit_code == full.exit_code == 0
    assert short.output == full.output


def test_json_to_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, [str(FIXTURES / "incident"), "-f", "json", "-o", str(out)])
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    assert report["gate"]["status"] == "fail"
    assert result.output == ""


def test_fail_on_option_changes_the_gate() -> None:
    assert runner.invoke(app, [str(FIXTURES / "staging")]).exit_code == 0
    assert runner.invoke(app, [str(FIXTURES / "staging"), "--fail-on", "medium"]).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["/definitely/not/here"],
        [str(FIXTURES / "incident" / "README.md")],
        [str(FIXTURES / "incident"), "--format", "yaml"],
        [str(FIXTURES / "incident"), "--fail-on", "severe"],
        [str(FIXTURES / "incident"), "--max-file-size", "lots"],
        [str(FIXTURES / "incident"), "--bogus"],
    ],
)
def test_errors_exit_2_with_one_line(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "r.json"
    result = runner.invoke(app, [str(FIXTURES / "staging"), "-o", str(target)])
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert VERSION in result.output


def test_version_matches_pyproject() -> None:
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("running against an installed wheel without the checkout")
    assert f'version = "{VERSION}"' in pyproject.read_text()


@pytest.mark.parametrize(("text", "size"), [("5M", 5 << 20), ("500K", 500 << 10), ("123", 123)])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size
    with pytest.raises(UsageError):
        parse_size("5 parsecs")


def test_installed_console_script_and_module() -> None:
    script = shutil.which("blastscan", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the blastscan console script is not installed next to this interpreter")
    done = subprocess.run([script, str(FIXTURES / "incident"), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["gate"]["status"] == "fail"
    module = subprocess.run([sys.executable, "-m", "blastscan.scanner", str(FIXTURES / "staging")],
                            capture_output=True, text=True, check=False)
    assert module.returncode == 0, module.stderr
    assert "PASS" in module.stdout


def test_quiet_prints_only_the_verdict() -> None:
    result = runner.invoke(app, [str(FIXTURES / "incident"), "--quiet"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("FAIL")
    assert len(lines) <= 3
    assert "Credentials" not in result.output


def test_no_color_and_non_terminal_output_has_no_ansi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, [str(FIXTURES / "incident")], color=True)
    assert "\x1b[" not in result.output


def test_this_repository_passes_its_own_gate() -> None:
    """The README's first command, `blastscan .` in this checkout, must pass: the fake
    credentials live only where .blastscan.toml excludes them."""
    root = Path(__file__).parent.parent
    if not (root / ".blastscan.toml").exists():
        pytest.skip("not running from a checkout")
    result = runner.invoke(app, [str(root), "--no-history", "--format", "json"])
    assert result.exit_code == 0, result.output[-2000:]


def test_a_huge_max_file_size_is_a_usage_error(tmp_path: Path) -> None:
    got = runner.invoke(app, ["scan", str(tmp_path), "--max-file-size", "9" * 5000])
    assert got.exit_code == 2  # int() refuses 5,000 digits: not a traceback


def test_a_mistyped_command_is_named_not_taken_for_a_path(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    got = runner.invoke(app, ["scna"])
    assert got.exit_code == 2
    assert "did you mean 'scan'?" in got.output
    (tmp_path / "scna").mkdir()  # a directory of that name is scanned, as before
    assert runner.invoke(app, ["scna", "--no-history", "-q"]).exit_code == 0


def test_providers_refuses_formats_it_cannot_write() -> None:
    got = runner.invoke(app, ["providers", "--format", "sarif"])
    assert got.exit_code == 2
    assert "text or json" in got.output


def test_a_report_to_a_file_still_shows_the_verdict_on_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from blastscan.scanner.cli import main

    monkeypatch.setattr(main, "_is_terminal", lambda *, stderr: stderr)
    out = tmp_path / "r.json"
    got = runner.invoke(app, ["scan", str(FIXTURES / "incident"), "--no-history", "-f", "json",
                              "-o", str(out)])
    assert got.exit_code == 1
    assert got.output.strip().startswith("FAIL  ")  # CliRunner mixes stderr into output
    assert f"(report: {out})" in got.output
    assert json.loads(out.read_text())["gate"]["status"] == "fail"
