"""Start-up: a scan imports only what every scan needs (each library below cost milliseconds
of every run), and the shortcut that spares rich's import agrees with rich. (networkx is
needed by every scan's graph step; the engine imports it while the workers run.)"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from blastscan.scanner.cli import main as cli

from support import FIXTURES


def test_a_json_scan_to_a_file_loads_no_terminal_or_glob_library(tmp_path: Path) -> None:
    # A fresh interpreter, and no variable that makes rich see a terminal everywhere.
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    args = [str(FIXTURES / "incident"), "--no-history", "-f", "json", "-o",
            str(tmp_path / "report.json")]
    code = (
        "import sys\n"
        "from blastscan.scanner.cli.main import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('rich', 'pathspec') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert out.strip() == "[]"
    assert (tmp_path / "report.json").stat().st_size > 0


def _closed() -> bool:
    raise ValueError("I/O operation on closed file")


class _Stream:
    def __init__(self, isatty: Callable[[], bool]) -> None:
        self.isatty = isatty

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("isatty", [lambda: True, lambda: False, _closed],
                         ids=["tty", "pipe", "closed"])
@pytest.mark.parametrize("variables", [{}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""},
                                       {"TTY_COMPATIBLE": "0"}, {"TTY_COMPATIBLE": "1"}],
                         ids=str)
@pytest.mark.parametrize("stderr", [True, False])
def test_the_terminal_shortcut_agrees_with_rich(monkeypatch: pytest.MonkeyPatch,
                                                isatty: Callable[[], bool],
                                                variables: dict[str, str], stderr: bool) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr" if stderr else "stdout", _Stream(isatty))
    assert cli._is_terminal(stderr=stderr) == Console(stderr=stderr).is_terminal


def test_a_scan_that_finds_no_credential_imports_neither_networkx_nor_yaml(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n", encoding="utf-8")
    args = [str(tmp_path), "--no-history", "-f", "json", "-o", str(tmp_path / "r.json")]
    code = (
        "import sys\n"
        "from blastscan.scanner.cli.main import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print([m for m in ('networkx', 'yaml') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"  # PyYAML too: it waits for a manifest or a kubeconfig
    assert '"credentials": []' in (tmp_path / "r.json").read_text(encoding="utf-8")
