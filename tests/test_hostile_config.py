"""Files named by configuration or flags, when the scanned tree is hostile (issue 18, cases 1
and 6): FIFOs, devices, paths out of the target, bombs nested 100,000 deep, bytes that are
not UTF-8. Each ends in one line on stderr and exit 2, fast, quoting no value of the file.

What could hang or fill memory runs in a subprocess with a timeout and an address-space
cap, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

runner = CliRunner()
# A value a hostile file holds that must never reach the CI log (not a real key).
SECRET = "sk_live_51HbQ7aXk9PzR2mN4vT6wY8uC0eL3jG5hF7dS1q"
OUTSIDE = "a repository's configuration may only name its own files"
ACME = """id = "acme"
name = "Acme"
source = "wiki"

[[kind]]
id = "api_key"
scope = "account"
environment_scoped = false
operations = ["cluster.delete"]
why = "whole account"
source = "wiki"

[[operation]]
id = "cluster.delete"
resource = "clusters"
destructive = true
names = ["acme rm"]
why = "deletes"
source = "wiki"
"""


# Runs the CLI on each argv in one child interpreter (one start-up for many runs), with a
# timeout and an address-space cap over all of them: a FIFO that blocks or a /dev/zero read
# to its end fails the test instead of hanging or swapping the suite.
_DRIVER = """
import json, sys
from typer.testing import CliRunner
from blastscan.scanner.cli.main import app
runs = []
for argv in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, argv)
    crashed = not isinstance(result.exception, SystemExit | None)
    runs.append((1 if crashed else result.exit_code, result.stdout,
                 repr(result.exception) if crashed else result.stderr))
print(json.dumps(runs))
"""


def _cap() -> None:
    limit = 1 << 30  # /dev/zero read to its end needs far more: MemoryError, exit 1
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _isolated(*runs: list[str | Path]) -> list[tuple[int, str, str]]:
    argvs = [[str(a) for a in argv] for argv in runs]
    done = subprocess.run([sys.executable, "-c", _DRIVER, json.dumps(argvs)],
                          capture_output=True, text=True, timeout=30, preexec_fn=_cap,
                          check=True)
    return [tuple(run) for run in json.loads(done.stdout)]  # type: ignore[misc]


def _one_error(code: int, stdout: str, stderr: str) -> str:
    assert code == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr


def _repo(tmp_path: Path, config: str = "") -> Path:
    target = tmp_path / "repo"
    target.mkdir(parents=True)
    (target / "app.py").write_text("print('hello')\n")
    if config:
        (target / ".blastscan.toml").write_text(config)
    return target


def _scan(target: Path, *args: str) -> str:
    result = runner.invoke(app, [str(target), "--no-history", *args])
    assert isinstance(result.exception, SystemExit | None), result.exception
    return _one_error(result.exit_code, result.stdout, result.stderr)


def _baseline(file: Path) -> Path:
    file.write_text(json.dumps({"version": 1, "tool": "blastscan", "entries": []}))
    return file


def test_fifos_and_devices_never_block_nor_fill_memory(tmp_path: Path) -> None:
    configs = ['baseline = "pipe"\n', 'providers = ["pipe"]\n', 'baseline = "zero"\n',
               'providers = ["zero"]\n', 'baseline = "/dev/zero"\n',
               'providers = ["/dev/zero"]\n']
    targets = []
    for index, config in enumerate(configs):
        target = _repo(tmp_path / str(index), config)
        os.mkfifo(target / "pipe")
        (target / "zero").symlink_to("/dev/zero")
        targets.append(target)
    os.mkfifo(tmp_path / "fifo")
    flagged = [(flag, name) for flag in ("--baseline", "--import")
               for name in ("/dev/zero", tmp_path / "fifo")]
    # The configured baseline is what `create` writes: it is not read, so cannot block.
    create = ["baseline", "create", targets[0], "--reason", "r", "--owner", "o"]
    plain = _repo(tmp_path / "plain")
    # --home stores are read only when regular files inside the home (a regression guard:
    # this held before issue 18).
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    os.mkfifo(home / ".netrc")
    (home / ".aws" / "credentials").symlink_to("/dev/zero")
    (home / ".npmrc").symlink_to(tmp_path / "fifo")
    runs = _isolated(*([t, "--no-history"] for t in targets),
                     *([plain, "--no-history", *f] for f in flagged),
                     [plain, "--no-history", "--home", home], create)
    expected = ["pipe: not a regular file (a FIFO)"] * 2 + [OUTSIDE] * 4 + [
        "not a regular file (a character device)", "not a regular file (a FIFO)"] * 2
    for (code, stdout, stderr), message in zip(runs, expected, strict=False):
        assert message in _one_error(code, stdout, stderr)
    assert runs[-2][0] == 0, runs[-2]
    assert runs[-1][0] == 0, runs[-1]
    assert (targets[0] / ".blastscan-baseline.json").is_file()


def test_a_file_past_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(64 << 20)  # sparse: no disk, but larger than any baseline
    assert "larger than 16 MiB" in _scan(_repo(tmp_path), "--baseline", str(big))


@pytest.mark.parametrize("name", ["../outside.json", "ABSOLUTE", "inside-link.json",
                                  "sub/../../outside.json"])
def test_the_configuration_names_only_files_inside_the_target(tmp_path: Path,
                                                              name: str) -> None:
    outside = _baseline(tmp_path / "outside.json")
    name = str(outside) if name == "ABSOLUTE" else name
    target = _repo(tmp_path, f'baseline = "{name}"\nproviders = []\n')
    (target / "sub").mkdir()
    (target / "inside-link.json").symlink_to(outside)
    assert OUTSIDE in _scan(target)


def test_a_flag_or_variable_may_name_a_file_anywhere(tmp_path: Path) -> None:
    outside = _baseline(tmp_path / "outside.json")
    target = _repo(tmp_path)
    assert runner.invoke(app, [str(target), "--no-history", "--baseline", str(outside)]
                         ).exit_code == 0
    assert runner.invoke(app, [str(target), "--no-history"],
                         env={"BLASTSCAN_BASELINE": str(outside)}).exit_code == 0
    # The flag beats a configured baseline out of the tree, which is then never read.
    (target / ".blastscan.toml").write_text('baseline = "/dev/zero"\n')
    assert runner.invoke(app, [str(target), "--no-history", "--baseline", str(outside)]
                         ).exit_code == 0


def test_a_configuration_file_that_links_out_of_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.toml").write_text(f'{SECRET} = "x"\n')
    target = _repo(tmp_path)
    (target / ".blastscan.toml").symlink_to(tmp_path / "elsewhere.toml")
    assert OUTSIDE in _scan(target)


def test_a_baseline_inside_the_target_still_works(tmp_path: Path) -> None:
    target = _repo(tmp_path, 'baseline = "ci/baseline.json"\n')
    (target / "ci").mkdir()
    _baseline(target / "ci" / "baseline.json")
    assert runner.invoke(app, [str(target), "--no-history"]).exit_code == 0


@pytest.mark.parametrize("provider", [
    f'{SECRET} = "x"\n' + ACME,  # an unknown key
    ACME.replace('scope = "account"', f'scope = "{SECRET}"'),
    ACME.replace('operations = ["cluster.delete"]', f'operations = ["{SECRET}"]'),
    ACME.replace('id = "acme"', f'id = "{SECRET}!"'),
    ACME.replace('id = "api_key"', f'id = "{SECRET}"') + f'\n[[format]]\nkind = "{SECRET}x"\n'
    f'regex = "a"\nkeywords = ["a"]\nsource = "s"\n',
    ACME + f'\n[[format]]\nkind = "api_key"\nregex = "(?P<{SECRET}->a)"\nkeywords = ["a"]\n'
    'source = "s"\n',  # re.error quotes a group's name
    ACME + f"\n[{SECRET}]\nx = 1\n[{SECRET}]\n",  # tomli quotes a table declared twice
    ACME.replace('why = "deletes"', f'why = ["{SECRET}"]'),
    'id = "acme"\nname = "Acme"\nsource = "s"\nkind = 3\n',  # was a TypeError traceback
])
def test_a_bad_provider_file_never_echoes_its_values(tmp_path: Path, provider: str) -> None:
    target = _repo(tmp_path, 'providers = ["kb/acme.toml"]\n')
    (target / "kb").mkdir()
    (target / "kb" / "acme.toml").write_text(provider)
    stderr = _scan(target)
    assert "kb/acme.toml" in stderr
    assert SECRET not in stderr


@pytest.mark.parametrize("config", [
    f'{SECRET} = "x"\n', f'fail_on = "{SECRET}"\n', f'max_file_size = "{SECRET}"\n',
    f'[[override]]\nseverity = "low"\nprovider = "x"\n{SECRET} = 1\n',
    f'[[detector]]\nid = "x"\nregex = "a"\nprovider = "{SECRET}"\nkind = "secret"\n',
    f'[[detector]]\nid = "x"\nregex = "a"\nprovider = "generic"\nkind = "{SECRET}"\n',
    f'[[detector]]\nid = "x"\nregex = "(?P<{SECRET}->a)"\nprovider = "generic"\nkind = "secret"\n',
    f"[{SECRET}]\nx = 1\n[{SECRET}]\n",
])
def test_a_bad_configuration_never_echoes_its_values(tmp_path: Path, config: str) -> None:
    assert SECRET not in _scan(_repo(tmp_path, config))


def test_a_hostile_file_name_is_escaped_on_one_line(tmp_path: Path) -> None:
    target = _repo(tmp_path, 'baseline = "x\\nPASS  no path\\u001b[2K\\u202e.json"\n')
    stderr = _scan(target)
    assert "\x1b" not in stderr
    assert "\u202e" not in stderr
    assert "x\\nPASS" in stderr


def _deep(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def test_a_deep_baseline_is_one_error(tmp_path: Path) -> None:
    target = _repo(tmp_path, 'baseline = "deep.json"\n')
    (target / "deep.json").write_text(_deep())
    assert "nested too deeply" in _scan(target)
    assert "nested too deeply" in _scan(_repo(tmp_path / "b"), "--baseline",
                                        str(target / "deep.json"))


@pytest.mark.parametrize("report", [_deep(), '{"results": ' + _deep() + "}",
                                    "[]\n" + "[" * 100_000 + "\n"])
def test_a_deep_import_is_one_error(tmp_path: Path, report: str) -> None:
    (tmp_path / "report.json").write_text(report)
    assert "nested too deeply" in _scan(_repo(tmp_path), "--import",
                                        str(tmp_path / "report.json"))


@pytest.mark.parametrize(("name", "text"), [
    (".blastscan.toml", "a = " + "[" * 100_000 + "\n"),
    ("pyproject.toml", "[tool.blastscan]\nx = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n"),
])
def test_a_deep_configuration_is_one_error(tmp_path: Path, name: str, text: str) -> None:
    target = _repo(tmp_path)
    (target / name).write_text(text)
    assert f"{name}: not valid TOML: nested too deeply" in _scan(target)


@pytest.mark.parametrize("config", [
    "max_file_size = " + "9" * 5_000 + "\n",  # past int()'s digit limit: tomli's ValueError
    'max_file_size = "' + "9" * 5_000 + '"\n',
    'exclude = ["[z-a]"]\n',  # pathspec's re.error
    '[[override]]\nseverity = "low"\npath = "[z-a]"\n',
])
def test_values_that_broke_a_parser_are_one_error(tmp_path: Path, config: str) -> None:
    _scan(_repo(tmp_path, config))


def test_a_huge_number_in_a_baseline_or_import_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text('{"version": ' + "1" * 5_000 + "}")
    target = _repo(tmp_path)
    assert "a number too large" in _scan(target, "--baseline", str(tmp_path / "big.json"))
    assert "a number too large" in _scan(target, "--import", str(tmp_path / "big.json"))


@pytest.mark.parametrize("name", ["kb/acme.toml", ".blastscan.toml"])
def test_bytes_that_are_not_utf8_are_one_error(tmp_path: Path, name: str) -> None:
    target = _repo(tmp_path, 'providers = ["kb/acme.toml"]\n')
    (target / "kb").mkdir()
    (target / "kb" / "acme.toml").write_text(ACME)
    (target / name).write_bytes((target / name).read_bytes() + b'\nname = "\xff\xfe"\n')
    assert "not UTF-8" in _scan(target)


@pytest.mark.parametrize("report", [
    '[{"RuleID": "x", "File": "app.py", "StartLine": Infinity}]',  # json.loads takes it
    '{"SourceMetadata": {"Data": {"Filesystem": {"file": "app.py", "line": 1e999}}}}',
])
def test_an_infinite_line_number_is_one_error(tmp_path: Path, report: str) -> None:
    (tmp_path / "report.json").write_text(report)
    assert "a field of the wrong type" in _scan(_repo(tmp_path), "--import",
                                                str(tmp_path / "report.json"))


def test_an_import_never_echoes_a_value(tmp_path: Path) -> None:
    report = tmp_path / "gitleaks.json"
    report.write_text(json.dumps([{"RuleID": "x", "File": "app.py", "StartLine": SECRET}]))
    stderr = _scan(_repo(tmp_path), "--import", str(report))
    assert "not a gitleaks" in stderr
    assert SECRET not in stderr
