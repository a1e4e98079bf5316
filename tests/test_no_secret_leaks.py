"""Principle 2: no output format ever contains a raw secret.

Every positive sample of every registered detector, plus the fixture repositories, is
scanned; the raw values the detectors saw are collected straight from the detection
stage, and then every report format (and the CLI's stdout/stderr) is searched for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.registry import DETECTORS, scan_document
from blastscan.reports.base import OutputFormat, render
from blastscan.reports.graph_export import GraphFormat, render_graph
from blastscan.scanner.cli.main import app

from support import FIXTURES, scan


def _write_samples(root: Path) -> None:
    for detector in DETECTORS:
        for index, sample in enumerate(detector.positives):
            target = root / detector.id / str(index) / sample.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(sample.text)


def _raw_secrets(root: Path) -> set[str]:
    secrets: set[str] = set()
    for path in root.rglob("*"):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            for candidate in scan_document(Document.of(rel, path.read_text())).candidates:
                secrets.add(candidate.secret)
    # Very short values (a 4-char password) would match by chance; detectors never emit them.
    return {s for s in secrets if len(s) >= 6}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secrets")
    _write_samples(root)
    for name in ("incident", "staging", "scenarios"):
        for path in (FIXTURES / name).rglob("*"):
            if path.is_file():
                target = root / name / path.relative_to(FIXTURES / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    return root


def test_the_corpus_really_holds_secrets(corpus: Path) -> None:
    secrets = _raw_secrets(corpus)
    assert len(secrets) >= 2 * len(DETECTORS)
    assert len(scan(corpus).credentials) >= len(DETECTORS)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_no_format_contains_a_raw_secret(corpus: Path, fmt: OutputFormat) -> None:
    secrets = _raw_secrets(corpus)
    result = scan(corpus)
    for color in (False, True):
        report = render(result, fmt, color=color, width=200)
        leaked = sorted(s[:4] + "…" for s in secrets if s in report)
        assert not leaked, f"{fmt} output contains raw secrets starting {leaked}"


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_no_graph_format_contains_a_raw_secret(corpus: Path, fmt: GraphFormat) -> None:
    secrets = _raw_secrets(corpus)
    graph = render_graph(scan(corpus), fmt)
    assert not [s[:4] for s in secrets if s in graph]


def test_cli_streams_contain_no_raw_secret(corpus: Path) -> None:
    secrets = _raw_secrets(corpus)
    for fmt in OutputFormat:
        result = CliRunner().invoke(app, [str(corpus), "--format", fmt.value])
        assert result.exit_code in (0, 1)
        assert not [s for s in secrets if s in result.output]
