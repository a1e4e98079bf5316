"""Issue 18, cases 5 and 7: how the process ends, whatever the caller does to it.

Case 5: exit 1 means "the gate failed" and nothing else; a full disk (``> /dev/full``),
a closed pipe or a closed stdout used to end in a 42-line traceback and status 1.
Case 7: SIGTERM (a cancelled CI job) left the graph helper and the pool workers alive,
re-parented to PID 1 and holding the caller's stderr pipe, so the caller hung too; Ctrl-C
printed dozens of traceback lines. Each command runs in a subprocess (the console
script's own exit path is what is tested), bounded by a timeout; a regression that
leaves children behind has its process group killed at the end of the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
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
            ["--version"]]


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
        # stderr full too: the message is lost, the status still is not the gate's 1.
        mute = subprocess.Popen([sys.executable, "-m", "blastscan.scanner", "--version"],
                                stdout=full, stderr=full)
        for process in running:
            _, stderr = process.communicate(timeout=TIMEOUT)
            done = subprocess.CompletedProcess(process.args, process.returncode, b"", stderr)
            _assert_one_line(done, "No space left on device")
        assert mute.wait(TIMEOUT) == 2


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


# A scan slow enough to be stopped while the graph helper and the pool workers run:
# more files than the pool's threshold, each with code evidence to parse.
_SLOW_FILE = 'import os\ntoken = os.environ["RAILWAY_TOKEN"]\npassword = "hunter2xyz{n}"\n' * 100
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


@pytest.fixture(scope="module")
def slow_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("slow")
    for n in range(600):
        folder = root / f"d{n % 20}"
        folder.mkdir(exist_ok=True)
        (folder / f"f{n}.py").write_text(_SLOW_FILE.format(n=n))
    return root


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                # The fields after the command name (which may hold spaces): state, ppid.
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.add(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            if (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z":
                alive.add(pid)
    return alive


@contextlib.contextmanager
def _scanning(tree: Path) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    """A scan of ``tree`` once its helper and workers run; its process group is killed
    afterwards whatever happened (a regression must not leave processes behind)."""
    process = subprocess.Popen([sys.executable, "-m", "blastscan.scanner", "scan", str(tree),
                                "--no-history", "--no-progress"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while len(kids := _children(process.pid)) < 3 and time.monotonic() < deadline:
            assert process.poll() is None, "the scan ended before it could be stopped"
            time.sleep(0.02)
        assert len(kids) >= 3, kids  # the graph helper and two workers
        yield process, kids
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(TIMEOUT)


def _ended(process: subprocess.Popen[bytes], kids: set[int]) -> bytes:
    """stderr, once it reaches EOF: only when no child holds the pipe any more."""
    _, stderr = process.communicate(timeout=10)
    deadline = time.monotonic() + 5
    while _alive(kids) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(kids), "children outlived the scan"
    return stderr


needs_cores = pytest.mark.skipif(_CORES < 2, reason="one core: no helper and no pool")


@needs_cores
def test_sigterm_ends_every_child_and_exits_143(slow_tree: Path) -> None:
    with _scanning(slow_tree) as (process, kids):
        process.send_signal(signal.SIGTERM)
        stderr = _ended(process, kids)
        assert process.returncode == 143
        assert stderr.decode().splitlines() == ["blastscan: terminated"]


@needs_cores
def test_ctrl_c_ends_every_child_and_exits_130_without_a_traceback(slow_tree: Path) -> None:
    with _scanning(slow_tree) as (process, kids):
        os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
        stderr = _ended(process, kids)
        assert process.returncode == 130
        assert stderr.decode().splitlines() == ["blastscan: interrupted"]


@needs_cores
def test_children_die_with_a_parent_killed_outright(slow_tree: Path) -> None:
    with _scanning(slow_tree) as (process, kids):
        process.kill()  # no handler runs: the kernel's parent-death signal must do it
        _ended(process, kids)
