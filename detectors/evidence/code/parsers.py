"""Pick a tree-sitter grammar for a file and parse it, never raising.

Grammars come from the official per-language wheels (no bundled mega-packages), one
cached :class:`Parser` per language. Files above :data:`MAX_BYTES` are not parsed:
structure from a generated megabyte blob is not worth the time. Dotenv and SQL files
have no grammar here; the caller handles them line by line.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

import tree_sitter_bash
import tree_sitter_hcl
import tree_sitter_javascript
import tree_sitter_json
import tree_sitter_python
import tree_sitter_toml
import tree_sitter_typescript
import tree_sitter_yaml
from tree_sitter import Language, Parser, Tree

MAX_BYTES = 1 << 20

_GRAMMARS: dict[str, Callable[[], object]] = {
    "python": tree_sitter_python.language,
    "javascript": tree_sitter_javascript.language,
    "typescript": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "bash": tree_sitter_bash.language,
    "yaml": tree_sitter_yaml.language,
    "json": tree_sitter_json.language,
    "toml": tree_sitter_toml.language,
    "hcl": tree_sitter_hcl.language,
}
_SUFFIXES = {
    ".py": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".sh": "bash", ".bash": "bash", ".zsh": "bash",
    ".yml": "yaml", ".yaml": "yaml",
    ".json": "json",
    ".toml": "toml",
    ".tf": "hcl", ".hcl": "hcl", ".tfvars": "hcl",
    ".sql": "sql",
}


def language_for(path: str) -> str | None:
    """The language of a file from its name: a grammar name, "dotenv", "sql" or None."""
    name = os.path.basename(path).lower()
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return "dotenv"
    if name in {".bashrc", ".zshrc", ".profile", ".bash_profile", ".envrc"}:
        return "bash"
    return _SUFFIXES.get(os.path.splitext(name)[1])


@functools.cache
def language(name: str) -> Language:
    """The grammar, loaded once (the language modules compile their queries against it)."""
    return Language(_GRAMMARS[name]())


@functools.cache
def parser(name: str) -> Parser:
    """One parser per grammar, built on first use."""
    return Parser(language(name))


def parse(name: str, source: bytes) -> Tree | None:
    """Parse ``source``; None when too large, too deep (:func:`too_deep`), not a grammar
    language, or the parser fails.

    tree-sitter recovers from syntax errors by itself (ERROR nodes); the guard is for
    the binding refusing input (e.g. a timeout or an internal error).
    """
    if name not in _GRAMMARS or len(source) > MAX_BYTES or too_deep(name, source):
        return None
    return _parse(name, source)


# Grammars whose external scanner writes its indentation stack into tree-sitter's fixed
# 1,024-byte state buffer without checking that it fits: a document nested deeper writes
# past the buffer and the process dies with SIGSEGV, no traceback, no report
# (tree-sitter-yaml 0.7.2 at about 255 levels, issue #48 upstream; tree-sitter-python
# 0.25 at about 500, issue #350). Each level starts at a wider indentation, so a line's
# leading run (blanks, and YAML's compact ``- ``, ``? ``, ``: `` indicators) bounds the
# depth; a tab is counted as 8, as the Python scanner counts it. Real files stay far
# below: a line indented 200 columns is data, not structure.
_STACKED: dict[str, tuple[str, int]] = {"yaml": (r"^[ \t?:-]{25,}", 200),
                                         "python": (r"^[ \t]{50,}", 400)}
# The same patterns for the bytes handed to the parser and for a document's text (the file
# pass asks before it decides to defer a parse, without encoding the text to ask).
_BYTES = {name: (re.compile(p.encode(), re.MULTILINE), n) for name, (p, n) in _STACKED.items()}
_TEXT = {name: (re.compile(p, re.MULTILINE), n) for name, (p, n) in _STACKED.items()}


def too_deep(name: str, source: bytes | str) -> bool:
    """Whether ``source`` may nest deeper than ``name``'s scanner can hold (see above)."""
    if name == "python" and not _may_stack(source):
        return False  # nearly every file: two substring searches instead of a regex scan
    if isinstance(source, str):
        rule = _TEXT.get(name)
        if rule is None:
            return False
        text_pattern, limit = rule
        runs: list[str] | list[bytes] = [m[0] for m in text_pattern.finditer(source)]
    else:
        raw = _BYTES.get(name)
        if raw is None:
            return False
        bytes_pattern, limit = raw
        runs = [m[0] for m in bytes_pattern.finditer(source)]
    # The pattern's minimum is limit / 8: a shorter run cannot be as wide, tabs and all.
    return any(len(run) + 7 * _tabs(run) >= limit for run in runs)


def _may_stack(source: bytes | str) -> bool:
    """A Python line with at least 50 leading blanks, or a tab anywhere (8 columns)."""
    if isinstance(source, str):
        return "\t" in source or "\n" + " " * 50 in source or source.startswith(" " * 50)
    return b"\t" in source or b"\n" + b" " * 50 in source or source.startswith(b" " * 50)


def _tabs(run: str | bytes) -> int:
    return run.count("\t") if isinstance(run, str) else run.count(b"\t")


# The evidence pass parses a file to see where a name occurs, then collects its usages
# from the same bytes: keeping the last tree spares that second parse.
@functools.lru_cache(maxsize=1)
def _parse(name: str, source: bytes) -> Tree | None:
    try:
        return parser(name).parse(source)
    except (ValueError, RuntimeError):
        return None
