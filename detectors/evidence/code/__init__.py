"""Structural usage evidence from code, with tree-sitter.

``collect(doc)`` complements the regex collector in ``blastscan.detectors.evidence.usage``: it
parses Python, JS/TS, shell, YAML, JSON, TOML and HCL (and reads dotenv and SQL files
line by line) and yields :class:`Usage` records of kinds ``alias``, ``header``,
``host``, ``operation``, ``cli``, ``sql`` and ``environment``. Values are identifiers,
header names, hosts and operation names only — never a secret. Only documents whose
lowercased text contains one of :data:`KEYWORDS` are parsed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator

from tree_sitter import Tree

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import config, evidence, javascript, kube, python, shell
from blastscan.detectors.evidence.code.parsers import MAX_BYTES, language_for, parse, too_deep
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Usage

__all__ = ["GATES", "KEYWORDS", "Need", "collect", "need", "too_deep"]

KEYWORDS: tuple[str, ...] = (
    "authorization", "bearer", "access-token", "private-token", "api-key", "apikey",
    "environ", "getenv", "process.env", "import.meta.env", "delete", "drop ", "truncate",
    "mutation", "railway", "kubectl", "helm", "terraform", "gh repo", "supabase", "stripe",
    "boto3", "curl", "wget", "heroku", "flyctl", "fly apps", "vercel", "doctl", "aws ",
    "environment:", "env:", "secrets.", "${",
    # Secret stores a kubeconfig, Vault or Doppler token reaches (providers.md §10, §22).
    "secretkeyref", "secretref", "kind: secret", "vault", "doppler", "capabilities", "setup:",
)
_Reader = Callable[[Tree, Document], Iterator[Usage]]
_READERS: dict[str, _Reader] = {
    "python": python.usages,
    "javascript": javascript.usages,
    "typescript": lambda tree, doc: javascript.usages(tree, doc, "typescript"),
    "tsx": lambda tree, doc: javascript.usages(tree, doc, "tsx"),
    "bash": shell.usages,
    "yaml": config.usages,
    "json": config.usages,
    "toml": config.usages,
    "hcl": config.usages,
}
_DOTENV = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(\S.*?)\s*$", re.M)


class Need(enum.Enum):
    """Whether a document's evidence must be collected, and when (see :func:`need`)."""

    NONE = "none"  # an unknown language or no keyword: collect() yields nothing
    ALWAYS = "always"
    IF_NAMED = "if-named"  # only when the file defines or names a credential


# Kinds the resolvers read across the whole repository, not joined to one credential by a
# name or a file: workflow secrets and ``jobs.<id>.environment``, Kubernetes Secrets, Vault
# paths, Doppler configs, ``railway -e``. Config and shell files that may hold them are
# always parsed; Python, JS and TS readers only yield alias/header/host/operation/sql.
_REPO_WIDE = ("railway", "doppler")
# How the readers can meet the rest, as text (each a superset of what they read): a
# ``vault`` command with a verb (stores._vault: flags may sit between), a Kubernetes marker
# in YAML (only YAML is read as manifests), and a job's environment as a scalar or a
# ``name`` (config.py: jobs.<id>.environment[.name]) in YAML, JSON, TOML or HCL.
_VAULT = re.compile(r"(?<![\w.-])vault(?:\s|\\\s)+(?:-\S*(?:\s|\\\s)+)*[\"']?"
                    r"(?:kv|read|write|list|delete|patch)\b")
_JOB_ENVIRONMENT = re.compile(
    r"environment[\"']?(?:\s*[:=]\s*(?:\{\s*[\"']?name\b|[^\s{])|\.name\b|\]|\s*\{\s*name\b)")
_CODE = frozenset({"python", "javascript", "typescript", "tsx"})
# Every lowercase word need() tests, found in one pass (the exact-case ones checked after).
GATES = KeywordIndex((*KEYWORDS, *_REPO_WIDE, *kube.MARKERS, "vault", "jobs", "environment",
                      *config.JSON_KEYS))


def need(doc: Document) -> Need:
    """Every usage of a name-joined kind names only identifiers that appear in its own
    file (tests/test_evidence_gate.py checks this on every fixture). So a file with no
    credential in it and none of the credentials' names (or their aliases) cannot add
    evidence to any credential, and its tree-sitter parse, most of a scan's time, can
    wait until the names are known: :mod:`blastscan.scanner.pipeline.evidence_pass`."""
    language = language_for(doc.path)
    if language is None or len(doc.text) > MAX_BYTES:
        return Need.NONE
    present = GATES.present_in(doc)  # one pass for every test
    if present.isdisjoint(KEYWORDS):
        return Need.NONE
    if language in ("dotenv", "sql"):
        return Need.ALWAYS  # line regexes, no parse: not worth a second read
    if (language == "json" and present.isdisjoint(config.JSON_KEYS)
            and not doc.path.endswith("package.json")):
        return Need.NONE  # an API model or a fixture: no key any rule reads
    if language in _CODE:
        return Need.IF_NAMED
    path = doc.path
    text = doc.text
    if (path.startswith(".github/workflows/") or path.endswith((".hcl", "/.doppler.yaml"))
            or path == ".doppler.yaml" or not present.isdisjoint(_REPO_WIDE)
            or (language == "yaml" and not present.isdisjoint(kube.MARKERS))
            or ("vault" in present and "vault" in text and _VAULT.search(text))
            or ("jobs" in present and "environment" in present and "jobs" in text
                and "environment" in text and _JOB_ENVIRONMENT.search(text))):
        return Need.ALWAYS
    return Need.IF_NAMED


def collect(doc: Document) -> Iterator[Usage]:
    """Usages in one document, in line order; nothing for ungated or unknown files."""
    language = language_for(doc.path)
    if language is None or need(doc) is Need.NONE:
        return iter(())
    if language == "dotenv":
        return _dotenv(doc)
    if language == "sql":
        return _sql(doc)
    source = doc.text.encode("utf-8", "replace")
    if too_deep(language, source):  # its parser would crash the process: counted instead
        raise Unparseable(f"tree-sitter {language}: nested deeper than its parser can hold")
    tree = parse(language, source)
    if tree is None:
        return iter(())
    try:
        return iter(list(_READERS[language](tree, doc)))
    except (ValueError, UnicodeError):
        return iter(())  # a shape the readers do not know: no evidence from this file
    except (RecursionError, MemoryError):  # a pathological tree: counted, not a crash
        raise Unparseable(f"tree-sitter {language}: the tree is too deep to read") from None


def _dotenv(doc: Document) -> Iterator[Usage]:
    """``ALIAS=${SOURCE}`` lines: the only structure a dotenv file has."""
    for m in _DOTENV.finditer(doc.text):
        source = evidence.single_ref(m.group(2))
        if source is not None:
            yield Usage(doc.path, doc.line_no(m.start(1)), "alias", source, (m.group(1),))


def _sql(doc: Document) -> Iterator[Usage]:
    for offset, statement in evidence.sql(doc.text):
        yield Usage(doc.path, doc.line_no(offset), "sql", statement)
