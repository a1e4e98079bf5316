"""The graph helper: the console script's graph step, in a process warmed up at start.

Whatever happens to the helper, the scan's paths are the ones the engine computes in
process; only where it builds them differs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.pipeline import engine
from blastscan.scanner.pipeline.graph_helper import GraphHelper
from blastscan.scanner.verdict import graph

from support import FIXTURES


def _helper() -> GraphHelper:
    helper = GraphHelper.start()
    if helper is None:
        pytest.skip("no fork or a single core here: the console script uses no helper")
    return helper


def test_the_helper_answers_what_the_engine_computes_in_process() -> None:
    config = ScanConfig(FIXTURES / "incident")
    helper = _helper()
    with_helper = engine.run(config, helper=helper)
    assert not helper._process.is_alive(), "one request, then the helper exits"
    assert with_helper.paths, "the incident has paths to build"
    assert with_helper == engine.run(config)


def test_a_dead_helper_leaves_the_graph_to_the_engine() -> None:
    helper = _helper()
    helper._process.kill()
    helper._process.join()
    config = ScanConfig(FIXTURES / "incident")
    assert engine.run(config, helper=helper) == engine.run(config)


def test_an_error_in_the_graph_code_is_raised_in_the_caller(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> object:
        raise RuntimeError("graph bug")

    monkeypatch.setattr(graph, "paths", broken)  # before the fork: the helper inherits it
    helper = _helper()
    with pytest.raises(RuntimeError, match="graph bug"):
        engine.run(ScanConfig(FIXTURES / "incident"), helper=helper)


def test_an_unused_helper_exits_when_let_go(tmp_path: Path) -> None:
    helper = _helper()
    (tmp_path / "app.py").write_text("print('hello')\n", encoding="utf-8")
    result = engine.run(ScanConfig(tmp_path), helper=helper)  # no credential, no graph
    assert not result.paths
    assert not helper._process.is_alive()
    helper = _helper()
    helper.close()
    assert not helper._process.is_alive()


def test_jobs_1_keeps_the_scan_in_one_process() -> None:
    helper = _helper()
    engine.run(ScanConfig(FIXTURES / "incident", jobs=1), helper=helper)
    assert not helper._process.is_alive()
    assert helper._connection is None


def test_the_console_script_reports_what_the_engine_computes(tmp_path: Path) -> None:
    """The installed entry point (launch.main), helper and all, in a fresh interpreter."""
    out = tmp_path / "report.json"
    code = ("import sys\nfrom blastscan.scanner.cli.launch import main\n"
            f"sys.argv = ['blastscan', {str(FIXTURES / 'incident')!r}, '-f', 'json', "
            f"'-o', {str(out)!r}]\nmain()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 1, done.stderr  # the gate fails: a production delete
    expected = render(engine.run(ScanConfig(FIXTURES / "incident")), OutputFormat.JSON)
    assert json.loads(out.read_text()) == json.loads(expected)
