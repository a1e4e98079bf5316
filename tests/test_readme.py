"""The README's snippets name only things that exist (issue 21): commands and their flags,
pre-commit hook ids and their arguments, Action inputs, local paths, anchors and tags.

A snippet that cannot resolve (``uses: OWNER/blastscan@v0``, ``rev: v0.1.0`` with no such
tag) fails the first user who copies it. Each fenced block is checked by its kind: shell
lines and the usage block against ``--help``; a workflow's ``uses: ./`` against
action.yml's inputs; a pre-commit configuration against .pre-commit-hooks.yaml (a local
hook must run what the published hook of the same id runs); the TOML against the keys
the configuration accepts. Links to files and anchors must resolve.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app
from blastscan.scanner.config.settings import FILE_KEYS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
# Actions other than this one that the snippets may use, at the major the docs cite.
THIRD_PARTY = {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"}


def _blocks(kind: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(README) if lang == kind]


@cache
def _help(*command: str) -> str:
    got = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)
    assert got.exit_code == 0, got.output
    return got.output


@cache
def _commands() -> frozenset[str]:
    listed = _help().split("Commands:")[1]
    return frozenset(re.findall(r"^\s{2}([a-z][a-z-]*)", listed, re.MULTILINE))


def _check_blastscan(words: list[str]) -> None:
    """``words`` after ``blastscan``: the command exists, and so does each flag in it."""
    if words and words[0] == "baseline":  # `baseline create|update ...`
        subs = words[1].split("|")
        assert set(subs) <= {"create", "update"}, subs
        commands = [["baseline", sub] for sub in subs]
    elif words and words[0] in _commands():
        commands = [[words[0]]]
    else:
        commands = [["scan"]]  # `blastscan PATH` is `blastscan scan PATH`
    for command in commands:
        known = _help(*command)
        for flag in _FLAG.findall(" ".join(words)):
            assert flag in known, (command, flag)


def _shell_lines() -> list[str]:
    lines = []
    for body in _blocks("sh"):
        for line in body.splitlines():
            code = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()  # drop the comment
            lines += [part.strip() for part in code.split("&&") if part.strip()]
    return lines


def test_there_are_snippets_to_check() -> None:
    assert len(_blocks("sh")) >= 3
    assert len(_blocks("yaml")) >= 2
    assert any(line.startswith("blastscan ") for line in _shell_lines())


def test_shell_snippets_run_real_commands_and_flags() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    for line in _shell_lines():
        words = shlex.split(line)
        if words[0] == "blastscan":
            _check_blastscan(words[1:])
        elif words[:2] == ["pip", "install"]:
            for target in (w for w in words[2:] if not w.startswith("-")):
                path, _, extra = target.partition("[")
                assert (ROOT / path).exists(), target
                assert not extra or extra.rstrip("]") in extras, target
        elif words[0] in ("python", "python3") and words[1].endswith(".py"):
            assert (ROOT / words[1]).is_file(), line


def test_the_usage_block_lists_real_commands_and_flags() -> None:
    usage = next(body for lang, body in _BLOCK.findall(README)
                 if not lang and body.lstrip().startswith("blastscan [scan]"))
    named = set()
    joined: list[str] = []
    for line in usage.splitlines():  # a continuation line belongs to the command above
        if line.startswith(" ") and joined and not line.strip().startswith("#"):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    for line in joined:
        if line.startswith("blastscan "):
            words = line.split("#")[0].replace("[scan]", "scan").split()[1:]
            named.add(words[0])
            _check_blastscan(words)
    assert named >= _commands(), _commands() - named


def _action_inputs() -> set[str]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return set(action["inputs"])


def _workflows() -> list[dict[str, Any]]:
    return [doc for doc in map(yaml.safe_load, _blocks("yaml")) if "jobs" in doc]


def test_workflow_snippets_use_only_this_action_and_its_inputs() -> None:
    workflows = _workflows()
    assert workflows
    for workflow in workflows:
        steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
        ours = [s for s in steps if s.get("uses", "").startswith("./")]
        assert ours, "a workflow snippet that does not use this action"
        for step in steps:
            uses = step.get("uses")
            if uses is None or uses.startswith("./"):
                continue
            assert uses in THIRD_PARTY, uses
        for step in ours:
            assert (ROOT / step["uses"] / "action.yml").is_file()
            assert set(step.get("with", {})) <= _action_inputs(), step["with"]
        permissions = workflow["permissions"]
        assert permissions["security-events"] == "write"
        assert permissions["actions"] == "read"  # private repositories (upload-sarif)


def _published_hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def _tags() -> set[str]:
    done = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return set(done.stdout.split())


def test_pre_commit_snippets_name_real_hooks_and_run_what_they_run() -> None:
    configs = [doc for doc in map(yaml.safe_load, _blocks("yaml")) if "repos" in doc]
    assert configs
    published = _published_hooks()
    for config in configs:
        for repo in config["repos"]:
            if repo["repo"] != "local":
                assert repo.get("rev") in _tags(), f"rev {repo.get('rev')!r} is no tag here"
            for hook in repo["hooks"]:
                assert hook["id"] in published, hook["id"]
                if repo["repo"] == "local":  # the same command as the published hook
                    mine = published[hook["id"]]
                    assert hook["entry"].split() == [*mine["entry"].split(), *mine["args"]]
                    assert hook.get("verbose", False) == mine.get("verbose", False)
                    words = hook["entry"].split()
                    assert words[0] == "blastscan"
                    _check_blastscan(words[1:])


def test_the_commented_alternative_hook_matches_the_published_one() -> None:
    """The blast-radius hook is shown commented out under the other: it must still run
    what the published hook runs."""
    for body in _blocks("yaml"):
        if "repos:" not in body or "# - id:" not in body:
            continue
        lines = [line for line in body.splitlines() if re.match(r"\s+# {1,3}\S", line)]
        uncommented = "\n".join(re.sub(r"#\s?", "", line, count=1) for line in lines
                                if not line.strip().startswith("# or "))
        hooks = yaml.safe_load(uncommented)
        mine = _published_hooks()[hooks[0]["id"]]
        assert hooks[0]["entry"].split() == [*mine["entry"].split(), *mine["args"]]
        assert hooks[0].get("verbose", False) == mine.get("verbose", False)


def test_the_configuration_snippet_uses_real_keys() -> None:
    (body,) = _blocks("toml")
    table = tomllib.loads(body)["tool"]["blastscan"]
    assert set(table) <= FILE_KEYS, set(table) - FILE_KEYS


def test_no_snippet_holds_a_placeholder_that_cannot_resolve() -> None:
    for lang, body in _BLOCK.findall(README):
        assert "OWNER" not in body, lang
        assert not re.search(r"@v\d", body) or all(
            uses in THIRD_PARTY for uses in re.findall(r"uses:\s*(\S+@v\d\S*)", body)), body


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\]\(([^)\s]+)\)", README))))
def test_links_resolve(target: str) -> None:
    if target.startswith(("http://", "https://")):
        return  # not fetched: the tests are offline
    if target.startswith("#"):
        headings = re.findall(r"^#{1,6} (.+)$", README, re.MULTILINE)
        assert target[1:] in {_anchor(h) for h in headings}, target
    else:
        assert (ROOT / target).exists(), target


def test_named_repository_files_exist() -> None:
    """Files of this repository the prose names in backticks (``.ci/constraints.py``)."""
    named = set(re.findall(r"`((?:\.ci|docs|tests|benchmarks|\.github)/[^`*\s]+)`", README))
    named |= {n for n in re.findall(r"`([\w.-]+\.(?:txt|yml|yaml|toml))`", README)
              if (ROOT / n).exists() or n in ("constraints.txt", "action.yml")}
    assert named
    for name in sorted(named):
        assert (ROOT / name).exists(), name
