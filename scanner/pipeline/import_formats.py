"""Read other scanners' reports (``--import FILE``) into plain :class:`Finding` records.

The format is recognised from the content, not the file name: a gitleaks or betterleaks 1.x
report is a JSON list (or JSON lines) of objects with ``RuleID``/``File``/``StartLine``;
betterleaks 2.x writes ``{"findings": [{"rule_id", "match", "location"}]}``;
TruffleHog writes JSON lines with ``SourceMetadata.Data.{Filesystem,Git}``; Kingfisher
writes ``{"findings": [{"rule": …, "finding": {path, line, snippet}}]}`` (or one record a
line with ``--format jsonl``); a detect-secrets baseline is ``{"results": {file: […]}}``
and holds only a SHA-1 of each secret. ``betterleaks:report.json`` names the tool when
the shape alone cannot (betterleaks writes gitleaks' shape). Anything else is a
:class:`UsageError` naming the file, so a broken CI artefact fails loudly (exit 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blastscan.scanner.config import named_files
from blastscan.scanner.errors import UsageError

TOOLS = ("gitleaks", "betterleaks", "trufflehog", "kingfisher", "detect-secrets")
# Values the tools write instead of a secret when asked to redact (gitleaks --redact).
_REDACTED = ("REDACTED", "*****")
# Kingfisher's JSON lines end with summary records that are not findings.
_KINGFISHER_EXTRAS = frozenset({"access_map", "audit"})


class _Shape(ValueError):
    """The report is not one of the known shapes (the message is blastscan's own)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of another tool. ``secret`` is None when the report withholds it."""

    tool: str
    rule: str
    path: str
    line: int
    secret: str | None = None
    match: str | None = None  # gitleaks' ``Match``: the secret in context, maybe redacted
    hashed: str | None = None  # detect-secrets: hex SHA-1 of the secret
    commit: str | None = None  # set when the finding is in git history


def read(spec: str) -> tuple[Finding, ...]:
    """``spec`` is ``FILE`` or ``TOOL:FILE``; raises :class:`UsageError` naming the file.
    The report holds raw secrets: no message quotes a byte of it."""
    hint, _, rest = spec.partition(":")
    tool, file = (hint, Path(rest)) if hint in TOOLS and rest else (None, Path(spec))
    where = f"--import {named_files.shown(file)}"
    text = named_files.read_text(file, error=UsageError, where=where,
                                 limit=named_files.REPORT_LIMIT)
    try:
        return tuple(_findings(text, tool, where))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        # A KeyError's text is a key this module asked for, a _Shape's is ours; the others
        # may quote a value (``int('<secret>')``). OverflowError: a line of Infinity.
        why = (f"no {exc.args[0]!r}" if isinstance(exc, KeyError) else
               str(exc) if isinstance(exc, _Shape) else "a field of the wrong type")
        raise UsageError(f"{where}: not a gitleaks, betterleaks, TruffleHog,"
                         f" Kingfisher or detect-secrets report ({why})") from None


def _findings(text: str, tool: str | None, where: str) -> Iterator[Finding]:
    if not text.strip():
        return  # TruffleHog writes nothing when it finds nothing
    try:
        records: Any = json.loads(text)
    except json.JSONDecodeError:
        records = [named_files.parse_json(line, f"{where}: line {number}", UsageError)
                   for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    except ValueError:  # an integer past Python's 4,300-digit limit
        raise UsageError(f"{where}: not valid JSON: a number too large") from None
    except (RecursionError, MemoryError):
        raise UsageError(f"{where}: not valid JSON: nested too deeply or too large") from None
    if isinstance(records, dict) and isinstance(records.get("results"), dict):
        yield from _detect_secrets(records["results"])
        return
    if isinstance(records, dict):
        records = [records]  # one envelope, or JSON lines holding a single finding
    if not isinstance(records, list):
        raise _Shape("expected a list of findings")
    for record in _unwrapped(records):
        if not isinstance(record, dict):
            raise _Shape("a finding is not an object")
        if "rule_id" in record and "location" in record:
            yield _betterleaks2(record)
        elif "RuleID" in record:
            yield _gitleaks(record, tool or "gitleaks")
        elif "SourceMetadata" in record:
            if (found := _trufflehog(record)) is not None:
                yield found
        elif "rule" in record and "finding" in record:
            yield _kingfisher(record)
        elif not set(record) <= _KINGFISHER_EXTRAS:
            raise _Shape("a finding of no known shape")


def _unwrapped(records: list[Any]) -> Iterator[Any]:
    """The findings, out of their envelopes: betterleaks 2.x and Kingfisher write
    ``{"findings": [...], …}``; Kingfisher's stdout (``--format json | tee``) follows it
    with a summary record whose ``findings`` is a count, which is not a finding."""
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("findings"), list):
            yield from record["findings"]
        elif isinstance(record, dict) and ("findings_by_rule" in record
                                           or isinstance(record.get("findings"), int)):
            continue
        else:
            yield record


def _secret(value: Any) -> str | None:
    if not isinstance(value, str) or not value or any(r in value for r in _REDACTED):
        return None
    # gitleaks --redact=N keeps a prefix and appends "...": only the file has the rest.
    return None if value.endswith("...") else value


def _gitleaks(r: dict[str, Any], tool: str) -> Finding:
    return Finding(tool, str(r["RuleID"]), str(r["File"]), int(r["StartLine"]),
                   _secret(r.get("Secret")), r.get("Match") or None,
                   commit=r.get("Commit") or None)


def _betterleaks2(r: dict[str, Any]) -> Finding:
    """betterleaks 2.x: ``rule_id``, ``match.{value,full}``, ``location.{path,start_line}``
    and, for ``betterleaks git``, ``attributes["git.sha"]`` (seen in 2.0.0-rc.4 reports)."""
    match, location = r.get("match") or {}, r["location"]
    attributes = r.get("attributes") or {}
    commit = attributes.get("git.sha") if isinstance(attributes, dict) else None
    return Finding("betterleaks", str(r["rule_id"]), str(location["path"]),
                   int(location["start_line"]), _secret(match.get("value")),
                   match.get("full") or None,
                   commit=commit if isinstance(commit, str) and commit else None)


def _trufflehog(r: dict[str, Any]) -> Finding | None:
    data = r["SourceMetadata"]["Data"]
    for source in ("Filesystem", "Git", "Github", "Gitlab"):
        where = data.get(source)
        if isinstance(where, dict) and where.get("file"):
            secret = _secret(r.get("Raw")) or _secret(r.get("RawV2"))
            return Finding("trufflehog", str(r.get("DetectorName") or r.get("DetectorType")),
                           str(where["file"]), int(where.get("line") or 1), secret,
                           commit=where.get("commit") or None)
    return None  # a source without files (an S3 object, a Docker layer): nothing to locate


def _kingfisher(r: dict[str, Any]) -> Finding:
    rule, found = r["rule"], r["finding"]
    git = found.get("git_metadata") or {}
    commit = git.get("commit") if isinstance(git, dict) else None
    if isinstance(commit, dict):
        commit = commit.get("id")
    return Finding("kingfisher", str(rule.get("id") or rule["name"]), str(found["path"]),
                   int(found["line"]), _secret(found.get("snippet")),
                   commit=commit if isinstance(commit, str) and commit else None)


def _detect_secrets(results: dict[str, Any]) -> Iterator[Finding]:
    for path, entries in results.items():
        for entry in entries:
            yield Finding("detect-secrets", str(entry["type"]), str(path),
                          int(entry["line_number"]), hashed=str(entry["hashed_secret"]))
