"""``blastscan fence``: the fence file, each agent file's merge, idempotence, dry run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_no_secret_leaks import _raw_secrets, _write_samples
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app
from blastscan.scanner.errors import FenceError
from blastscan.scanner.fence import claude_settings, files, ignore_file
from blastscan.scanner.fence.agents import AGENTS
from blastscan.scanner.fence.derive import derive
from blastscan.scanner.fence.model import DEFAULT_FENCE, dumps, loads
from blastscan.scanner.fence.plan import apply, diff, plan
from blastscan.scanner.models import ScanResult, Severity

from support import FIXTURES, scan

runner = CliRunner()
TOKEN_FILE = "tools/analytics/export_bookings.py"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "incident"
    shutil.copytree(FIXTURES / "incident", root)
    return root


def _fence(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["fence", str(root), "--no-history", *args])
    return result.exit_code, result.output


def test_fence_of_the_incident_names_the_file_the_variable_and_the_operations(
        incident: ScanResult) -> None:
    fence = derive(incident)
    (cred,) = fence.credentials
    assert cred.files == (TOKEN_FILE,)
    assert cred.variables == ("RAILWAY_TOKEN",)
    assert cred.fingerprint == incident.credentials[0].credential.fingerprint
    volume = next(o for o in cred.operations if o.action == "railway.volume.delete")
    assert volume.environment == "production"
    assert set(volume.names) == {"volumeDelete", "railway volume delete"}
    # Only the critical paths: the staging ones (medium) are not fenced at the default.
    assert {o.environment for o in cred.operations} == {"production"}
    assert len(derive(incident, Severity.MEDIUM).credentials[0].operations) == 12


def test_fence_file_round_trips_and_is_deterministic(incident: ScanResult) -> None:
    text = dumps(derive(incident))
    assert loads(text) == derive(incident)
    assert dumps(loads(text)) == text
    assert "redacted" not in text
    assert "382f" not in text


def test_staging_fixture_fences_nothing(staging: ScanResult) -> None:
    assert derive(staging).credentials == ()


@pytest.mark.parametrize("bad", [
    "[]", "{", '{"fence_version": 2}',
    '{"fence_version": 1, "fail_on": "critical", "credentials": [{"id": "c", "fingerprint":'
    ' "md5:x", "provider": "p", "kind": "k"}]}',
    '{"fence_version": 1, "fail_on": "critical", "credentials": [{"id": "c", "fingerprint":'
    ' "sha256:' + "0" * 64 + '", "provider": "p", "kind": "k", "files": ["../etc/passwd"]}]}',
    '{"fence_version": 1, "fail_on": "critical", "credentials": [], "written": {"/abs": []}}',
])
def test_a_hostile_fence_file_is_refused(bad: str) -> None:
    with pytest.raises(FenceError):
        loads(bad)


def test_fence_writes_claude_and_cursor_rules_for_the_token_file(tree: Path) -> None:
    code, out = _fence(tree)
    assert code == 0, out
    settings = json.loads((tree / ".claude/settings.json").read_text())
    deny = settings["permissions"]["deny"]
    assert f"Read(./{TOKEN_FILE})" in deny
    assert f"Edit(./{TOKEN_FILE})" in deny
    assert "Bash(railway volume delete *)" in deny
    assert f"/{TOKEN_FILE}" in (tree / ".cursorignore").read_text().splitlines()
    for name in (".geminiignore", ".codeiumignore"):
        assert f"/{TOKEN_FILE}" in (tree / name).read_text().splitlines()
    fence = loads((tree / DEFAULT_FENCE).read_text())
    assert fence.written_to(".claude/settings.json") == tuple(sorted(deny))
    assert "GitHub Copilot" in out  # says what it could not fence


def test_second_run_changes_nothing(tree: Path) -> None:
    assert _fence(tree)[0] == 0
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    code, out = _fence(tree)
    assert code == 0
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before
    assert "wrote" not in out


def test_dry_run_shows_a_diff_and_writes_nothing(tree: Path) -> None:
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    code, out = _fence(tree, "--dry-run")
    assert code == 0
    assert "+++ b/.claude/settings.json" in out
    assert "382fd124" not in out  # the fixture token: not in the diff, not even a prefix
    assert f"+/{TOKEN_FILE}" in out
    assert sorted(p.relative_to(tree) for p in tree.rglob("*")) == before
    _fence(tree)
    assert "up to date" in _fence(tree, "--dry-run")[1]


def test_a_scan_of_a_fenced_tree_finds_nothing_new(tree: Path) -> None:
    first = scan(tree, history=False)
    _fence(tree, "--hook")
    again = scan(tree, history=False)
    assert [c.credential.id for c in again.credentials] == [
        c.credential.id for c in first.credentials]


def test_scan_refreshes_the_fence_file_and_keeps_the_record(tree: Path) -> None:
    _fence(tree)
    fenced = (tree / DEFAULT_FENCE).read_text()
    result = runner.invoke(app, ["scan", str(tree), "--no-history", "-q", "--fence-file",
                                 str(tree / DEFAULT_FENCE)])
    assert result.exit_code == 1
    assert (tree / DEFAULT_FENCE).read_text() == fenced, "same scan, same fence and record"
    fresh = tmp = tree / "other-fence.json"
    runner.invoke(app, ["scan", str(tree), "--no-history", "-q", "--fence-file", str(tmp)])
    refreshed = loads(fresh.read_text())
    assert refreshed.credentials[0].files == (TOKEN_FILE,)
    assert refreshed.written == ()  # a new fence file records no agent rules


CLAUDE_SETTINGS = """{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm run test *)"],
    "deny": ["Read(./.env)", "WebFetch"],
    "defaultMode": "default"
  },
  "env": {"FOO": "bar"}
}
"""


def test_claude_merge_keeps_every_user_key_and_rule() -> None:
    rules = claude_settings.rules((TOKEN_FILE,), ("railway volume delete",))
    merged, added = claude_settings.merge(CLAUDE_SETTINGS, (), rules)
    data = json.loads(merged)
    assert data["model"] == "opus"
    assert data["env"] == {"FOO": "bar"}
    assert data["$schema"].startswith("https://")
    assert data["permissions"]["allow"] == ["Bash(npm run test *)"]
    assert data["permissions"]["defaultMode"] == "default"
    assert data["permissions"]["deny"][:2] == ["Read(./.env)", "WebFetch"]
    assert set(added) == set(rules)
    # Next run, one file fewer: exactly blastscan's rules go, the user's stay.
    again, added_again = claude_settings.merge(merged, added, ())
    assert json.loads(again)["permissions"]["deny"] == ["Read(./.env)", "WebFetch"]
    assert added_again == ()


def test_claude_merge_leaves_a_rule_the_user_wrote_too() -> None:
    rule = f"Read(./{TOKEN_FILE})"
    user = json.dumps({"permissions": {"deny": [rule]}})
    merged, added = claude_settings.merge(user, (), (rule,))
    assert merged == user
    assert added == ()
    removed, _ = claude_settings.merge(merged, added, ())
    assert json.loads(removed)["permissions"]["deny"] == [rule]


def test_claude_hook_is_added_once() -> None:
    once, _ = claude_settings.merge(CLAUDE_SETTINGS, (), (), hook=True)
    twice, _ = claude_settings.merge(once, (), (), hook=True)
    assert once == twice
    (group,) = json.loads(twice)["hooks"]["PreToolUse"]
    assert group["hooks"][0]["command"] == "blastscan-guard"


@pytest.mark.parametrize("bad", ["[1]", "{not json", '{"permissions": []}',
                                 '{"permissions": {"deny": "Read(x)"}}'])
def test_claude_merge_refuses_what_it_cannot_keep(bad: str) -> None:
    with pytest.raises(FenceError):
        claude_settings.merge(bad, (), ("Read(./x)",))


CURSORIGNORE = "# build output\ndist/\n\n# keep this one\n!dist/keep.txt\n*.log"


def test_ignore_merge_keeps_comments_and_patterns_and_is_idempotent() -> None:
    merged = ignore_file.merge(CURSORIGNORE, (TOKEN_FILE, ".env.production"))
    assert merged.startswith(CURSORIGNORE + "\n\n" + ignore_file.BEGIN + "\n")
    assert "/.env.production\n" in merged
    assert f"/{TOKEN_FILE}\n" in merged
    assert ignore_file.merge(merged, (TOKEN_FILE, ".env.production")) == merged
    updated = ignore_file.merge(merged, (TOKEN_FILE,))
    assert "/.env.production" not in updated
    assert updated.startswith(CURSORIGNORE)
    assert ignore_file.merge(updated, ()) == CURSORIGNORE + "\n"


def test_ignore_merge_keeps_crlf_and_escapes_specials() -> None:
    merged = ignore_file.merge("a\r\nb\r\n", ("!odd #name*.env",))
    assert merged.startswith("a\r\nb\r\n\r\n")
    assert "/\\!odd \\#name\\*.env\r\n" in merged


@pytest.mark.parametrize("broken", [ignore_file.BEGIN + "\n/x\n",
                                    ignore_file.END + "\n" + ignore_file.BEGIN + "\n"])
def test_ignore_merge_refuses_unbalanced_markers(broken: str) -> None:
    with pytest.raises(FenceError):
        ignore_file.merge(broken, ("x",))


def test_fence_refuses_to_write_through_a_symlink(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "home-claude"
    outside.mkdir()
    (tree / ".claude").symlink_to(outside)
    code, out = _fence(tree)
    assert code == 2
    assert "symlink" in out
    assert list(outside.iterdir()) == []
    (tree / ".claude").unlink()
    (tree / ".cursorignore").symlink_to(tmp_path / "elsewhere")
    assert _fence(tree)[0] == 2
    assert not (tmp_path / "elsewhere").exists()


def test_fence_reads_agent_files_bounded_and_never_opens_a_fifo(tree: Path) -> None:
    os.mkfifo(tree / ".geminiignore")
    with pytest.raises(FenceError, match="regular"):
        files.read_text(tree, ".geminiignore")
    (tree / ".geminiignore").unlink()
    (tree / ".geminiignore").write_text("x" * 100)
    with pytest.raises(FenceError, match="larger"):
        files.read_text(tree, ".geminiignore", limit=10)


def test_fence_writes_no_secret_into_any_file(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write_samples(root)
    for name in ("incident", "staging", "scenarios"):
        shutil.copytree(FIXTURES / name, root / name)
    secrets = _raw_secrets(root)
    result = scan(root, history=False)
    fence = derive(result, Severity.INFO)
    assert len(fence.credentials) > 10, "the corpus fences many credentials"
    changes = plan(root, fence, AGENTS, DEFAULT_FENCE, hook=True)
    written = "".join(c.new for c in changes) + diff(changes)
    assert not [s[:4] for s in secrets if s in written]
    apply(root, changes)


def test_scan_hints_at_fence_when_an_agent_is_configured(tree: Path) -> None:
    def stderr() -> str:
        result = CliRunner().invoke(app, [str(tree), "--no-history"])
        assert result.exit_code == 1
        return result.stderr

    assert "blastscan fence" not in stderr(), "no agent configured: no hint"
    (tree / "CLAUDE.md").write_text("# notes for the agent\n")
    assert "`blastscan fence` would write deny rules for the 6 path(s)" in stderr()
    _fence(tree)
    assert "blastscan fence" not in stderr(), "fenced: no hint"


def test_end_to_end_round_trip_with_the_users_files(tree: Path) -> None:
    (tree / ".claude").mkdir()
    (tree / ".claude/settings.json").write_text(CLAUDE_SETTINGS)
    (tree / ".cursorignore").write_text(CURSORIGNORE)
    assert _fence(tree)[0] == 0
    first = {n: (tree / n).read_text() for n in (".claude/settings.json", ".cursorignore")}
    assert _fence(tree)[0] == 0
    assert {n: (tree / n).read_text() for n in first} == first
    # The token is removed: the next fence takes blastscan's rules out, the user's stay.
    token_file = tree / TOKEN_FILE
    token_file.write_text(token_file.read_text().replace(
        '"382fd124-a457-4031-8b07-9d12cfb5da5e"', 'os.environ["RAILWAY_TOKEN"]'))
    assert _fence(tree)[0] == 0
    settings = json.loads((tree / ".claude/settings.json").read_text())
    assert settings == json.loads(CLAUDE_SETTINGS)
    assert (tree / ".cursorignore").read_text() == CURSORIGNORE + "\n"
    assert loads((tree / DEFAULT_FENCE).read_text()).credentials == ()
