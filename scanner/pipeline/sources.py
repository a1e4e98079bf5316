"""Sources beyond the working tree: agent config files, home credential stores, env vars.

Every location carries the kind of source it was read from (design.md "Sources"):
:func:`source_kind` tags a path found while walking the target (agent config files are
credentials handed to the agent's tools, providers.md §24), :func:`home_files` lists the
credential stores that exist under a home directory (``--home DIR``: a fixed list, the
home directory is never walked) and :func:`environment_documents` turns the current
environment (``--env``) into one document per variable, whose path is ``env:NAME``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from blastscan.detectors.base import Document
from blastscan.detectors.providers.agent_config import is_agent_config
from blastscan.scanner.models import SkipReason, SourceKind
from blastscan.scanner.pipeline.discovery import FileRef

HOME_PREFIX = "~/"
ENV_PREFIX = "env:"

# providers.md §24 and §1.8. UNCERTAIN there (paths from common knowledge): .codex/auth.json,
# .supabase/access-token, .vault-token, .doppler, doctl, fly, stripe, claude_desktop_config.
# gcloud's credentials.db is SQLite (binary): its application_default_credentials.json twin
# is read instead.
HOME_STORES = (
    ".railway/config.json", ".aws/credentials", ".aws/config", ".kube/config",
    ".docker/config.json", ".config/gh/hosts.yml", ".netrc", "_netrc", ".npmrc", ".pypirc",
    ".git-credentials", ".config/gcloud/application_default_credentials.json",
    ".cursor/mcp.json", ".claude.json", ".claude/settings.json", ".codex/config.toml",
    ".codex/auth.json", ".config/opencode/opencode.json", ".copilot/mcp-config.json",
    ".factory/mcp.json", ".gemini/settings.json", ".supabase/access-token", ".vault-token",
    ".terraform.d/credentials.tfrc.json", ".config/stripe/config.toml", ".fly/config.yml",
    ".config/doctl/config.yaml", ".doppler/.doppler.yaml",
    ".config/Claude/claude_desktop_config.json",
    "Library/Application Support/Claude/claude_desktop_config.json",
)

# Variables every shell sets that never hold a credential; the detectors decide the rest.
_PLAIN_VARS = frozenset({
    "PATH", "HOME", "SHELL", "TERM", "PWD", "OLDPWD", "LANG", "LANGUAGE", "USER", "LOGNAME",
    "HOSTNAME", "SHLVL", "_", "TMPDIR", "TMP", "TEMP", "EDITOR", "VISUAL", "PAGER", "DISPLAY",
    "COLORTERM", "MAIL", "TZ", "MANPATH", "INFOPATH", "LS_COLORS", "COLUMNS", "LINES",
    "SSH_AUTH_SOCK", "SSH_AGENT_PID", "DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY",
    "VIRTUAL_ENV", "PYTHONPATH", "GOPATH", "JAVA_HOME", "PS1", "PS2", "PROMPT_COMMAND",
})
_PLAIN_PREFIXES = ("LC_", "XDG_", "LESS", "TERM_", "HIST", "CONDA_", "PYENV_", "NVM_", "BASH_FUNC_")


def source_kind(rel_path: str) -> SourceKind:
    """The source kind of a path as the scan names it (``~/…`` home, ``env:…`` variable)."""
    if rel_path.startswith(HOME_PREFIX):
        return SourceKind.HOME
    if rel_path.startswith(ENV_PREFIX):
        return SourceKind.ENVIRONMENT
    if is_agent_config(rel_path):
        return SourceKind.AGENT_CONFIG
    return SourceKind.WORKTREE


def home_files(home: Path, max_size: int,
               skipped: Counter[SkipReason] | None = None) -> Iterator[tuple[Path, str]]:
    """(absolute path, ``~/…`` display path) of each credential store present under ``home``.

    A store that is a symlink is read at its target only when that stays inside ``home``
    (a link into another tree is not the user's store); oversize files are skipped. What
    is passed over is counted in ``skipped`` when given.
    """
    count: Counter[SkipReason] = skipped if skipped is not None else Counter()
    try:
        root = home.resolve(strict=True)
    except (OSError, RuntimeError):
        return
    for rel in HOME_STORES:
        path = home / rel
        try:
            if not path.is_file():  # follows links; a dangling or looping one is absent
                continue
            target = path.resolve(strict=True)
            target.relative_to(root)
            size = target.stat().st_size
        except ValueError:
            count[SkipReason.SYMLINK_OUTSIDE_ROOT] += 1
            continue
        except (OSError, RuntimeError):
            count[SkipReason.UNREADABLE] += 1
            continue
        if size > max_size:
            count[SkipReason.TOO_LARGE] += 1
            continue
        yield target, HOME_PREFIX + rel


def home_refs(home: Path, max_size: int,
              skipped: Counter[SkipReason] | None = None) -> Iterator[FileRef]:
    """:func:`home_files` as discovery refs, so ``filescan.scan_file`` reads them as-is."""
    for path, display in home_files(home, max_size, skipped):
        try:
            yield FileRef(path, display, path.stat().st_size)
        except OSError:  # removed since it was listed
            continue


def environment_documents(environ: Mapping[str, str]) -> Iterator[Document]:
    """One ``NAME=value`` document per variable, path ``env:NAME``, in name order."""
    for name in sorted(environ):
        value = environ[name]
        if not value or name in _PLAIN_VARS or name.startswith(_PLAIN_PREFIXES):
            continue
        yield Document.of(ENV_PREFIX + name, f"{name}={value}\n", SourceKind.ENVIRONMENT)
