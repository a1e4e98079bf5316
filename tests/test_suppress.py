"""Inline suppression markers: blastscan's own, with rules, and other tools' markers."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.match import suppress
from blastscan.detectors.registry import scan_document
from blastscan.scanner.cli.main import app

runner = CliRunner()
TOKEN = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"
LINE = f"GITHUB_TOKEN={TOKEN}"


def _detect(text: str) -> tuple[int, int]:
    detection = scan_document(Document.of("config.sh", text))
    return len(detection.candidates), detection.suppressed


@pytest.mark.parametrize("text", [
    f"{LINE}  # blastscan: ignore\n",
    f"{LINE}  # blastscan: ignore[github-token]\n",
    f"{LINE}  # blastscan: ignore[github]\n",
    f"{LINE}  # blastscan: ignore[generic-secret, github]\n",
    f"# blastscan: ignore-next-line\n{LINE}\n",
    f"# blastscan: ignore-next-line[github]\n{LINE}\n",
    f"{LINE}  # pragma: allowlist secret\n",
    f"# pragma: allowlist nextline secret\n{LINE}\n",
    f"{LINE}  # gitleaks:allow\n",
    f"{LINE}  # kingfisher:ignore\n",
    f"{LINE}  # kingfisher:allow\n",
    f"{LINE}  # trufflehog:ignore\n",
])
def test_each_marker_suppresses(text: str) -> None:
    found, suppressed = _detect(text)
    assert found == 0
    assert suppressed >= 1


@pytest.mark.parametrize("text", [
    f"{LINE}  # blastscan: ignore[generic-secret]\n",  # another rule: the token stays
    f"{LINE}  # blastscan: ignore[stripe]\n",
    f"# blastscan: ignore[github]\n{LINE}\n",  # same-line markers do not reach down
])
def test_rules_and_lines_are_respected(text: str) -> None:
    assert _detect(text)[0] == 1


def test_detector_rule_id(tmp_path: Path) -> None:
    detection = scan_document(Document.of("config.sh", f"{LINE}\n"))
    detector = detection.candidates[0].detector
    assert _detect(f"{LINE}  # blastscan: ignore[{detector}]\n")[0] == 0


def test_suppressed_count_reaches_the_report(tmp_path: Path) -> None:
    (tmp_path / "deploy.sh").write_text(f"{LINE}  # trufflehog:ignore\n")
    result = runner.invoke(app, [str(tmp_path), "--no-history"])
    assert result.exit_code == 0
    assert "suppressed 0" not in result.output
    assert "suppressed" in result.output


def _minified(count: int) -> str:
    rng = random.Random(4)
    alphabet = string.ascii_letters + string.digits
    return ";".join(f'key="{"".join(rng.choices(alphabet, k=32))}"' for _ in range(count))


def test_a_long_line_is_read_for_markers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A minified bundle is one line holding thousands of values: reading its markers
    per value was quadratic (29 s of CPU for 4,000 values)."""
    reads: list[int] = []
    real = suppress._FOREIGN_SAME_LINE

    class Counting:
        def search(self, text: str) -> re.Match[str] | None:
            reads.append(len(text))
            return real.search(text)

    monkeypatch.setattr(suppress, "_FOREIGN_SAME_LINE", Counting())
    text = _minified(300) + "  // the allowlist word alone hides nothing"
    detection = scan_document(Document.of("bundle.min.js", text))
    assert len(detection.candidates) == 300
    assert reads == [len(text)]
    hidden = scan_document(Document.of("bundle.min.js", _minified(300) + " // gitleaks:allow"))
    assert (len(hidden.candidates), hidden.suppressed) == (0, 300)
