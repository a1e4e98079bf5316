"""Issue 18, case 5: a stdout that cannot be written is one line and exit 2.

Exit 1 means "the gate failed" and nothing else: a full disk (``> /dev/full``), a closed
pipe or a closed stdout used to end in a 42-line traceback and status 1. Each command
runs in a subprocess (the console script's own exit path is what is tested), bounded by
a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blastscan.reports.common import sorted_paths

from support import FIXTURES, scan

TIMEOUT = 60
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux devices and signals")


def _blastscan(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "blastscan.scanner", *args],
                          stderr=subprocess.PIPE, timeout=TIMEOUT, check=False,
                          **options)  # type: ignore[call-overload]


def _commands() -> list[list[str]]:
    incident = str(FIXTURES / "incident")
    path_id = sorted_paths(scan(FIXTURES / "incident").paths)[0].id
    return [["scan", incident, "--no-history", "-f", "sarif"], ["providers"],
            ["graph", incident, "--no-history"], ["explain", path_id, incident, "--no-history"],
            ["--version"], ["scan-files", "--root", incident, f"{incident}/.env.staging"]]


def _assert_one_line(done: subprocess.CompletedProcess[bytes], reason: str) -> None:
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().splitlines() == [
        f"blastscan: error: cannot write to stdout: {reason}"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_stdout_is_exit_2_for_every_command() -> None:
    with open("/dev/full", "wb") as full:  # started together: the suite waits for one
        running = [subprocess.Popen([sys.executable, "-m", "blastscan.scanner", *command],
                                    stdout=full, stderr=subprocess.PIPE)
                   for command in _commands()]
        for process in running:
            _, stderr = process.communicate(timeout=TIMEOUT)
            done = subprocess.CompletedProcess(process.args, process.returncode, b"", stderr)
            _assert_one_line(done, "No space left on device")


def test_a_closed_pipe_is_exit_2() -> None:
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write is EPIPE
    try:
        done = _blastscan(str(FIXTURES / "incident"), "--no-history", stdout=write)
    finally:
        os.close(write)
    _assert_one_line(done, "Broken pipe")


def test_a_closed_stdout_is_exit_2() -> None:
    done = subprocess.run([sys.executable, "-m", "blastscan.scanner", str(FIXTURES / "incident"),
                           "--no-history"], stderr=subprocess.PIPE, timeout=TIMEOUT,
                          check=False, preexec_fn=lambda: os.close(1))
    _assert_one_line(done, "it is closed")
