"""Secret stores a script reads from: Vault paths and Doppler configs (providers.md §22).

A Vault or Doppler token reaches what the repository fetches with it, so the paths and
configs named on command lines are usages (never a secret value):

* ``vault-path``: ``vault kv get secret/prod/db``, ``vault kv get -mount=secret prod/db``
  (→ ``secret/prod/db``), ``vault read database/creds/prod-role``; and the
  ``path "secret/data/prod/*"`` blocks of an HCL Vault policy (see ``policy_paths``).
* ``doppler-config``: ``doppler run --config prd``, ``doppler secrets -c prod``;
  ``.doppler.yaml``'s ``config: prd`` is read by the config module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import cli
from blastscan.scanner.models import Usage

_VAULT_VERBS = frozenset({"read", "write", "list", "delete", "patch"})
_KV_VERBS = frozenset({"get", "put", "patch", "delete", "destroy", "undelete", "list",
                       "rollback", "metadata"})
# Vault's policy syntax is one block per path; the HCL tree is not needed to read it.
_POLICY = re.compile(r'^[ \t]*path[ \t]+"([^"\s$]+/[^"\s$]*)"[ \t]*\{', re.MULTILINE)
_DOPPLER_VERBS = frozenset({"run", "secrets", "configs", "setup", "environments"})


def references(tool: str, words: list[str]) -> list[tuple[str, str]]:
    """``(kind, value)`` usages for one command line of ``tool`` with ``words``."""
    if tool == "vault":
        return [("vault-path", p) for p in _vault(words)]
    if tool == "doppler" and cli.positional(words)[:1] and (
            cli.positional(words)[0] in _DOPPLER_VERBS):
        config = cli.flag(words, ("-c", "--config"))
        return [("doppler-config", config)] if config and "$" not in config else []
    return []


def policy_paths(doc: Document) -> Iterator[Usage]:
    """The paths of a Vault policy's blocks (``path "secret/data/prod/*" { ... }``)."""
    for m in _POLICY.finditer(doc.text):
        yield Usage(doc.path, doc.line_no(m.start(1)), "vault-path", m.group(1))


def _vault(words: list[str]) -> list[str]:
    # Vault flags are Go-style ``-mount=secret``; everything else not starting with "-"
    # is positional: the verb(s), then the path, then key=value pairs.
    args = [w for w in words if not w.startswith("-")]
    mount = next((w.split("=", 1)[1] for w in words if w.startswith(("-mount=", "--mount="))),
                 "")
    if args[:1] == ["kv"] and len(args) >= 3 and args[1] in _KV_VERBS:
        rest = args[3:] if args[1] == "metadata" else args[2:]
        target = rest[0] if rest else ""
    elif args[:1] and args[0] in _VAULT_VERBS and len(args) >= 2:
        target = args[1]
    else:
        return []
    if not target or "=" in target or "$" in target:
        return []
    return [f"{mount.strip('/')}/{target.strip('/')}" if mount else target.strip("/")]
