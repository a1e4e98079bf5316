"""Keyed fingerprints (issue 16): where the key comes from, what the report records, and
baselines written with the unkeyed fingerprints of before still matching."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.reports.json_report import render_json
from blastscan.scanner.cli.main import app
from blastscan.scanner.config import fingerprint_key, settings
from blastscan.scanner.config.fingerprint_key import FingerprintKey
from blastscan.scanner.errors import ConfigError
from blastscan.scanner.pipeline.credentials import fingerprint, legacy_fingerprint

from support import FIXTURES, TEST_FINGERPRINT_KEY, scan

runner = CliRunner()
TOKEN = "382fd124-a457-4031-8b07-9d12cfb5da5e"  # the incident fixture's fake Railway token


def _repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "incident", target)
    return target


def test_the_fingerprint_is_an_hmac_under_the_key() -> None:
    one, two = FingerprintKey(b"org-one"), FingerprintKey(b"org-two")
    assert fingerprint(TOKEN, "", one.secret) == fingerprint(TOKEN, "", one.secret)
    assert fingerprint(TOKEN, "", one.secret) != fingerprint(TOKEN, "", two.secret)
    assert fingerprint(TOKEN, "host", one.secret) != fingerprint(TOKEN, "", one.secret)
    # Without the key, hashing a guess gives nothing to compare against.
    assert fingerprint(TOKEN, "", one.secret).removeprefix("hmac-sha256:") not in (
        hashlib.sha256(TOKEN.encode()).hexdigest(), legacy_fingerprint(TOKEN)[7:])
    assert one.scheme == f"hmac-sha256:{one.id}"
    assert len(one.id) == 16
    assert one.id != two.id
    assert "org-one" not in repr(one)


def test_the_legacy_fingerprint_is_the_unkeyed_one_of_before() -> None:
    digest = hashlib.sha256(b"blastscan/v1\x00" + b"\x00" + TOKEN.encode()).hexdigest()
    assert legacy_fingerprint(TOKEN) == f"sha256:{digest}"


def test_the_report_records_its_scheme_and_never_the_legacy_fingerprint() -> None:
    result = scan(FIXTURES / "incident")
    report = json.loads(render_json(result))
    key = FingerprintKey(TEST_FINGERPRINT_KEY.encode())
    assert report["fingerprint_scheme"] == key.scheme
    (cred,) = (c for c in report["credentials"] if c["provider"] == "railway")
    assert cred["fingerprint"] == fingerprint(TOKEN, "", key.secret)
    assert cred["id"] == "c-" + cred["fingerprint"].removeprefix("hmac-sha256:")[:12]
    legacy = legacy_fingerprint(TOKEN)
    assert legacy[7:] not in render_json(result)
    assert legacy[7:19] not in json.dumps(report)


def test_the_key_follows_the_configuration_precedence(tmp_path: Path) -> None:
    file = tmp_path / "org.key"
    file.write_text("from-a-file\n")
    assert fingerprint_key.resolve({"BLASTSCAN_FINGERPRINT_KEY": "direct"}).secret == b"direct"
    from_file = fingerprint_key.resolve({"BLASTSCAN_FINGERPRINT_KEY_FILE": str(file)})
    assert from_file.secret == b"from-a-file"
    both = {"BLASTSCAN_FINGERPRINT_KEY": "direct", "BLASTSCAN_FINGERPRINT_KEY_FILE": str(file)}
    assert fingerprint_key.resolve(both).secret == b"direct"


def test_a_key_file_named_by_the_repository_is_read_like_a_hostile_file(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "org.key").write_text("repo-key")
    (target / ".blastscan.toml").write_text('fingerprint_key_file = "org.key"\n')
    config = settings.resolve(target, {"XDG_CONFIG_HOME": str(tmp_path)}, {})
    assert config.fingerprint_key.secret == b"repo-key"
    # The variables win over the file, as everywhere in configuration.
    env = {"BLASTSCAN_FINGERPRINT_KEY": "ci"}
    assert settings.resolve(target, env, {}).fingerprint_key.secret == b"ci"
    outside = tmp_path / "outside.key"
    outside.write_text("x")
    for name, message in ((str(outside), "outside the scanned directory"),
                          ("pipe", r"not a regular file \(a FIFO\)"),
                          ("big", "larger than 4096 bytes")):
        (target / ".blastscan.toml").write_text(f"fingerprint_key_file = {json.dumps(name)}\n")
        if name == "pipe":
            os.mkfifo(target / "pipe")
        if name == "big":
            (target / "big").write_text("k" * 5000)
        with pytest.raises(ConfigError, match=message) as caught:
            settings.resolve(target, {}, {})
        assert "repo-key" not in str(caught.value)


def test_the_per_machine_default_is_created_once_private(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    first = fingerprint_key.resolve(environ)
    file = tmp_path / "config" / "blastscan" / "fingerprint-key"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert fingerprint_key.resolve(environ) == first  # reused: scans on one machine join
    assert len(first.secret) == 64
    assert [p.name for p in file.parent.iterdir()] == ["fingerprint-key"]  # no temporary left
    other = fingerprint_key.resolve({"XDG_CONFIG_HOME": str(tmp_path / "elsewhere")})
    assert other.id != first.id


def test_an_unwritable_default_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="BLASTSCAN_FINGERPRINT_KEY"):
        fingerprint_key.resolve({"XDG_CONFIG_HOME": str(blocker)})


def _create_baseline(target: Path) -> Path:
    result = runner.invoke(app, ["baseline", "create", str(target), "--reason", "reviewed",
                                 "--owner", "security"])
    assert result.exit_code == 0, result.output
    return target / ".blastscan-baseline.json"


def _scan(target: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    out = runner.invoke(app, [str(target), "--no-history", "-f", "json", "--baseline",
                              str(target / ".blastscan-baseline.json")], env=env)
    return out.exit_code, json.loads(out.output) if out.exit_code in (0, 1) else {}


def test_a_baseline_of_unkeyed_fingerprints_still_matches_and_update_migrates_it(
        tmp_path: Path) -> None:
    target = _repo(tmp_path)
    file = _create_baseline(target)
    data = json.loads(file.read_text())
    key = FingerprintKey(TEST_FINGERPRINT_KEY.encode())
    assert {e["scheme"] for e in data["entries"]} == {key.scheme}
    # Rewrite it as a baseline written before keyed fingerprints: unkeyed, no scheme.
    legacy = {c.credential.fingerprint: c.credential.legacy_fingerprint
              for c in scan(target, history=False).credentials}
    assert legacy[fingerprint(TOKEN, "", key.secret)] == legacy_fingerprint(TOKEN)
    for entry in data["entries"]:
        del entry["scheme"]
        entry["fingerprint"] = legacy[entry["fingerprint"]]
        entry["reason"] = "accepted in 2025"
    file.write_text(json.dumps(data))
    code, report = _scan(target)
    assert code == 0
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert summary["baseline"]["stale"] == []
    assert summary["baseline"]["accepted"] == len(data["entries"])
    update = runner.invoke(app, ["baseline", "update", str(target)])
    assert update.exit_code == 0, update.output
    migrated = json.loads(file.read_text())["entries"]
    assert {e["scheme"] for e in migrated} == {key.scheme}
    assert {e["reason"] for e in migrated} == {"accepted in 2025"}
    assert all(e["fingerprint"].startswith("hmac-sha256:") for e in migrated)
    assert _scan(target)[0] == 0


def test_a_baseline_keyed_under_another_key_is_refused(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    _create_baseline(target)
    out = runner.invoke(app, [str(target), "--no-history", "--baseline",
                              str(target / ".blastscan-baseline.json")],
                        env={"BLASTSCAN_FINGERPRINT_KEY": "another-organisation"})
    assert out.exit_code == 2
    assert "written with fingerprint scheme hmac-sha256:" in out.output
    assert "another-organisation" not in out.output
