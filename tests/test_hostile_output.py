"""Issue 18, cases 3 and 4: names from a hostile tree are data in every output.

Case 3: a file name that is not UTF-8 (legal on Linux) crashed every ``--output`` write,
SARIF even to stdout, and left a 0-byte baseline. Case 4: a newline, ESC or bidi control
in a file name (or a path in git history) reached the text report raw and could forge a
``PASS`` verdict line or a GitHub Actions ``::error::`` workflow command.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from blastscan.scanner import names
from blastscan.scanner.cli import output
from blastscan.scanner.cli.main import app
from blastscan.scanner.verdict import baseline

runner = CliRunner()
BAD = os.fsdecode(b"bad\xff\xfe.env")  # what os.listdir gives: surrogate-escaped
SECRETS = ("RAILWAY_TOKEN=5c3b2f1e-8a7d-4e6b-9c0f-1a2b3c4d5e6f\n"
           "AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n")
FORGED = ("x\nPASS  no path at or above critical\n::error::forged\n::warning::w\n"
          "\x1b[2K\u202eevil.env")
WRAPPED = "a" * 70 + " PASS  no path at or above critical ::error::wrapped.env"
UNSAFE = ("\x1b", "\u202e", "\x00", "\x7f", "\x85", "\u2066", "\u200f", "\r")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs bytes file names")


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / BAD).write_text(SECRETS, encoding="utf-8")
    return root


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "html", "text"])
def test_a_name_that_is_not_utf8_reaches_every_output_file(bad_tree: Path, tmp_path: Path,
                                                           fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    code, _ = _invoke("scan", str(bad_tree), "--no-history", "-f", fmt, "-o", str(out))
    assert code == 1  # the gate failed on the token: the write itself succeeded
    text = out.read_bytes().decode("utf-8")  # strict: valid UTF-8
    if fmt == "json":
        locations = [loc for c in json.loads(text)["credentials"] for loc in c["locations"]]
        assert locations
        for loc in locations:
            assert loc["path"] == "bad\ufffd\ufffd.env"
            assert loc["path_escaped"] == "bad\\xff\\xfe.env"
            assert names.unescaped(loc["path_escaped"]) == BAD  # lossless
    elif fmt == "sarif":
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(text)["runs"][0]["results"] for loc in r["locations"]}
        assert uris == {"bad%FF%FE.env"}  # RFC 3986: the raw bytes, percent-encoded
    elif fmt == "text":
        assert "bad\\xff\\xfe.env" in text
    else:
        assert "bad\ufffd\ufffd.env" in text


def test_sarif_to_stdout_with_a_name_that_is_not_utf8(bad_tree: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "blastscan.scanner", "scan", str(bad_tree),
                           "--no-history", "-f", "sarif"], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    json.loads(done.stdout.decode("utf-8"))


def test_a_utf8_name_has_no_escaped_form() -> None:
    assert names.escaped("config/prod.env") is None
    assert names.uri("a b/é.env") == "a%20b/%C3%A9.env"


def test_baseline_create_round_trips_a_name_that_is_not_utf8(bad_tree: Path) -> None:
    code, _ = _invoke("baseline", "create", str(bad_tree), "--reason", "r", "--owner", "o")
    assert code == 0
    written = bad_tree / ".blastscan-baseline.json"
    entries = json.loads(written.read_bytes().decode("utf-8"))["entries"]
    assert {e["path_escaped"] for e in entries} == {"bad\\xff\\xfe.env"}
    # The keys read back match the scan's own: every path is accepted, the gate passes.
    code, text = _invoke("scan", str(bad_tree), "--no-history", "-f", "json",
                         "--baseline", str(written))
    assert code == 0, text
    assert json.loads(text)["gate"]["status"] == "pass"


def test_a_failed_baseline_write_leaves_no_file_and_create_runs_again(
        bad_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    code, text = _invoke("baseline", "create", str(bad_tree), "--reason", "r", "--owner", "o")
    assert code == 2
    assert "No space left on device" in text
    assert sorted(p.name for p in bad_tree.iterdir()) == [BAD]  # no baseline, no temp file
    monkeypatch.undo()
    code, _ = _invoke("baseline", "create", str(bad_tree), "--reason", "r", "--owner", "o")
    assert code == 0
    assert json.loads((bad_tree / ".blastscan-baseline.json").read_text())["entries"]


def test_a_failed_report_write_keeps_the_old_report(bad_tree: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.json"
    out.write_text("the previous report\n")
    monkeypatch.setattr(output.os, "replace", _fail)
    code, text = _invoke("scan", str(bad_tree), "--no-history", "-f", "json", "-o", str(out))
    assert (code, text.count("\n")) == (2, 1)
    assert out.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "tree"]


def _fail(*_: object) -> None:
    raise OSError(errno.EIO, os.strerror(errno.EIO))


def _assert_inert(report: str, forged: tuple[str, ...]) -> None:
    """Every line of ``report`` starts with what blastscan wrote."""
    lines = report.splitlines()
    assert lines
    assert lines[0].startswith(("PASS", "FAIL"))
    for char in UNSAFE:
        assert char not in report
    for line in lines[1:]:
        assert not line.startswith(("PASS", "FAIL")), line  # the verdict is line one only
        # GitHub runs a workflow command from any line that starts with one once trimmed.
        assert not line.lstrip().startswith(("::", "##[")), line
        assert not line.startswith(forged), line


def _hostile_tree(root: Path) -> None:
    root.mkdir()
    (root / FORGED).write_text(SECRETS, encoding="utf-8")
    (root / WRAPPED).write_text(SECRETS.replace("6f\n", "60\n"), encoding="utf-8")
    (root / "[bold]x.env").write_text(SECRETS.replace("6f\n", "61\n"), encoding="utf-8")


def test_text_report_neutralises_names_in_the_tree(tmp_path: Path) -> None:
    _hostile_tree(tmp_path / "tree")
    result = runner.invoke(app, ["scan", str(tmp_path / "tree"), "--no-history"])
    assert result.exit_code == 1, result.output
    _assert_inert(result.output, ("x\\n", "a" * 10, "evil"))
    assert "x\\nPASS  no path at or above" in result.output  # shown, escaped
    assert "\\x1b[2K\\u202eevil.env" in result.output
    assert "[bold]x.env" in result.output  # rich markup prints literally


def test_explain_neutralises_names_in_the_tree(tmp_path: Path) -> None:
    _hostile_tree(tmp_path / "tree")
    code, text = _invoke("scan", str(tmp_path / "tree"), "--no-history", "-f", "json")
    for credential in json.loads(text)["credentials"]:
        code, text = _invoke("explain", credential["id"], str(tmp_path / "tree"), "--no-history")
        assert code == 0
        for char in UNSAFE:
            assert char not in text
        for line in text.splitlines():
            assert not line.lstrip().startswith(("::", "##[", "PASS")), line


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_text_report_neutralises_names_in_git_history(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _hostile_tree(repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    base = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@x",
            "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "c"], ["rm", "-rqf", "."],
                 ["commit", "-qm", "gone"]):
        subprocess.run([*base, *args], check=True, capture_output=True, env=env, timeout=30)
    assert not [p for p in repo.iterdir() if p.name != ".git"]  # only history holds them
    result = runner.invoke(app, ["scan", str(repo), "--history"])
    assert result.exit_code == 1, result.output
    assert "::error::forged" in result.output  # found, and shown escaped
    _assert_inert(result.output, ("x\\n", "a" * 10, "evil"))


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot"])
def test_graph_exports_hold_hostile_names(tmp_path: Path, fmt: str) -> None:
    _hostile_tree(tmp_path / "tree")
    (tmp_path / "tree" / BAD).write_text(SECRETS.replace("6f\n", "62\n"), encoding="utf-8")
    out = tmp_path / f"graph.{fmt}"
    code, text = _invoke("graph", str(tmp_path / "tree"), "--no-history", "-f", fmt,
                         "-o", str(out))
    assert code == 0, text
    written = out.read_bytes().decode("utf-8")
    if fmt == "json":
        labels = {node["label"] for node in json.loads(written)["nodes"]}
        assert FORGED + ":1" in labels  # JSON escapes it: the label is the name itself
        assert "bad\ufffd\ufffd.env:1" in labels
        return
    for char in UNSAFE:
        assert char not in written
    if fmt == "graphml":
        ElementTree.fromstring(written)  # XML 1.0 cannot hold ESC: it must not be there
    escape = "\\\\" if fmt == "dot" else "\\"  # Graphviz reads one backslash as an escape
    assert f"bad{escape}xff{escape}xfe.env" in written


def test_output_through_a_symlink_or_into_a_fifo_keeps_them(bad_tree: Path,
                                                             tmp_path: Path) -> None:
    # Renaming over the target would cut a symlink, and replace a FIFO or a device
    # (``-o /dev/null`` run as root) with a regular file: those are written in place.
    real, link, fifo = tmp_path / "real.json", tmp_path / "link.json", tmp_path / "fifo"
    link.symlink_to(real)
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    for target in (link, fifo):
        code, text = _invoke("scan", str(bad_tree), "--no-history", "-f", "json",
                             "-o", str(target))
        assert code == 1, text
    reader.join(10)
    assert link.is_symlink()
    assert json.loads(real.read_text())["credentials"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received == [real.read_bytes()]


def test_escaped_names_round_trip_and_printable_text_is_inert() -> None:
    rng = random.Random(18)
    pieces = [*(c.encode() for c in ("a", "\\", "x", "u", "n", "0", "f", "é", "\U0001f600",
                                     "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u202e",
                                     "\u2066", "\u061c", "\u2028")),
              b"\x80", b"\xc3", b"\xe2", b"\xfe", b"\xff"]  # bytes that are not UTF-8 alone
    for _ in range(20000):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        name = os.fsdecode(raw)  # what the file system gives Python
        assert names.raw(name) == raw
        if (escaped := names.escaped(name)) is not None:
            assert names.unescaped(escaped) == name, repr(name)
            escaped.encode("utf-8")
        shown = names.printable(name)
        shown.encode("utf-8")
        names.readable(name).encode("utf-8")  # strict: valid text
        for char in (*UNSAFE, "\n", "\u2066", "\u061c", "\u2028"):
            assert char not in shown


def test_a_hostile_path_escaped_in_a_baseline_is_read_without_a_crash(tmp_path: Path) -> None:
    entry = {"fingerprint": "sha256:x", "path": "p", "path_escaped": "\ud800\\x\\uzz\\xff",
             "action": "a", "environment": "production", "reason": "r", "owner": "o",
             "expires": None}
    file = tmp_path / "baseline.json"
    file.write_text(json.dumps({"version": 1, "entries": [entry]}))  # ASCII: \ud800 escaped
    assert baseline.load(file).entries[0].key.path.endswith("\\x\\uzz\udcff")
