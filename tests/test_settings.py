"""Configuration through the CLI: precedence, validation, globs, overrides, extensions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

from support import FIXTURES

runner = CliRunner()

ACME = '''id = "acme"
name = "Acme Cloud"
source = "internal wiki"

[[kind]]
id = "api_key"
scope = "account"
environment_scoped = false
operations = ["cluster.delete"]
why = "Acme API keys act for the whole account"
source = "internal wiki"

[[operation]]
id = "cluster.delete"
resource = "Acme clusters"
destructive = true
names = ["acme cluster rm"]
why = "deletes a cluster and its disks"
source = "internal wiki"
'''


def _repo(tmp_path: Path, fixture: str = "staging") -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / fixture, target)
    return target


def _scan(target: Path, *args: str, env: dict[str, str] | None = None) -> int:
    result = runner.invoke(app, [str(target), "--no-history", *args], env=env)
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result.exit_code


@pytest.mark.parametrize("name", [".blastscan.toml", "pyproject.toml"])
def test_precedence_file_then_env_then_flag(tmp_path: Path, name: str) -> None:
    target = _repo(tmp_path)
    table = "[tool.blastscan]\n" if name == "pyproject.toml" else ""
    (target / name).write_text(table + 'fail_on = "medium"\n')
    assert _scan(target) == 1  # the file lowers the bar below the default (critical)
    assert _scan(target, env={"BLASTSCAN_FAIL_ON": "critical"}) == 0  # env beats file
    assert _scan(target, "--fail-on", "medium",
                 env={"BLASTSCAN_FAIL_ON": "critical"}) == 1  # a passed flag beats env


def test_unpassed_flags_do_not_hide_the_file(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    (target / ".blastscan.toml").write_text('fail_on = "medium"\nhistory = false\n')
    assert runner.invoke(app, [str(target)]).exit_code == 1


def test_unknown_key_names_the_known_key_and_file(tmp_path: Path) -> None:
    # The unknown name itself is the (maybe hostile) file's text: the nearest known key is
    # named instead (issue 18).
    target = _repo(tmp_path)
    (target / "pyproject.toml").write_text('[tool.blastscan]\nfail_onn = "high"\n')
    result = runner.invoke(app, [str(target)])
    assert result.exit_code == 2
    assert "fail_onn" not in result.output
    assert "did you mean 'fail_on'" in result.output
    assert "pyproject.toml" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("text", "key"), [
    ('fail_on = "severe"\n', "fail_on"),
    ('max_file_size = "lots"\n', "max_file_size"),
    ("history = 3\n", "history"),
    ('exclude = "docs/"\n', "exclude"),
    ('[[override]]\nseverity = "low"\n', "override"),
    ('[[detector]]\nid = "x"\nregex = "("\nprovider = "generic"\nkind = "secret"\n', "regex"),
    ('[[detector]]\nid = "x"\nregex = "a"\nprovider = "nope"\nkind = "secret"\n', "provider"),
    ('providers = ["missing.toml"]\n', "providers"),
])
def test_bad_values_exit_2_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    target = _repo(tmp_path)
    (target / ".blastscan.toml").write_text(text)
    result = runner.invoke(app, [str(target)])
    assert result.exit_code == 2, result.output
    assert key in result.output
    assert ".blastscan.toml" in result.output


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(_repo(tmp_path))], env={"BLASTSCAN_HISTORY": "maybe"})
    assert result.exit_code == 2
    assert "BLASTSCAN_HISTORY" in result.output


def test_both_files_is_an_error(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    (target / ".blastscan.toml").write_text('fail_on = "high"\n')
    (target / "pyproject.toml").write_text('[tool.blastscan]\nfail_on = "high"\n')
    result = runner.invoke(app, [str(target)])
    assert result.exit_code == 2
    assert "keep one" in result.output


def test_exclude_globs_from_file_env_and_flag(tmp_path: Path) -> None:
    target = _repo(tmp_path, "incident")
    assert _scan(target) == 1
    assert _scan(target, "--exclude", "tools/") == 0
    assert _scan(target, env={"BLASTSCAN_EXCLUDE": "docs/,tools/**"}) == 0
    (target / ".blastscan.toml").write_text('exclude = ["tools/analytics/*.py"]\n')
    report = runner.invoke(app, [str(target), "--no-history", "-f", "json"])
    assert report.exit_code == 0
    assert json.loads(report.output)["summary"]["excluded"] == 1


def test_include_globs_limit_the_scan(tmp_path: Path) -> None:
    target = _repo(tmp_path, "incident")
    assert _scan(target, "--include", "*.md") == 0
    assert _scan(target, "--include", "tools/") == 1


@pytest.mark.parametrize(("override", "code"), [
    ('provider = "railway"\nseverity = "low"', 0),
    ('path = "tools/**"\nseverity = "low"', 0),
    ('path = "elsewhere/**"\nseverity = "low"', 1),
    ('provider = "railway"\npath = "tools/"\nseverity = "info"', 0),
])
def test_severity_overrides(tmp_path: Path, override: str, code: int) -> None:
    target = _repo(tmp_path, "incident")
    (target / ".blastscan.toml").write_text(f"[[override]]\n{override}\n")
    assert _scan(target) == code


def test_custom_detector_and_extra_provider(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    (target / "config").mkdir(parents=True)
    (target / "config" / "prod.env").write_text("ACME_KEY=acme_9f8e7d6c5b4a39281706\n")
    (target / "kb").mkdir()
    (target / "kb" / "acme.toml").write_text(ACME)
    assert _scan(target) == 0  # nothing knows Acme keys yet
    (target / ".blastscan.toml").write_text(
        'providers = ["kb/acme.toml"]\nfail_on = "high"\n\n[[detector]]\nid = "acme-key"\n'
        'regex = "acme_[0-9a-f]{20}"\nprovider = "acme"\nkind = "api_key"\n'
        'keywords = ["acme_"]\n')
    report = runner.invoke(app, [str(target), "--no-history", "-f", "json"])
    assert report.exit_code == 1, report.output
    doc = json.loads(report.output)
    (cred,) = doc["credentials"]
    assert (cred["provider"], cred["kind"], cred["detectors"]) == ("acme", "api_key", ["acme-key"])
    assert next(p["action"] for p in doc["paths"]) == "acme.cluster.delete"
    assert "acme_9f8e7d6c5b4a39281706" not in report.output


def test_extra_provider_file_is_validated(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    (target / "acme.toml").write_text(ACME.replace('scope = "account"', 'scope = "galaxy"'))
    (target / ".blastscan.toml").write_text('providers = ["acme.toml"]\n')
    result = runner.invoke(app, [str(target)])
    assert result.exit_code == 2
    assert "acme.toml" in result.output
    assert "scope" in result.output
