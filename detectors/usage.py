"""Collect how the repository *uses* credentials: headers, API hosts, operations, environments.

This is the static evidence the resolver reads to decide a token's kind and
environment (providers.md §0.2: prefer the header used in code over the variable
name). It runs on every document but only does work when a cheap keyword is present.
Each usage keeps the identifiers on its line so it can be joined to the credential
whose variable it mentions; the join itself is the resolver's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.keywords import KeywordIndex
from blastscan.scanner.models import Usage

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")

# (kind, value, pattern). Header forms: [RW-DOCS:content/docs/integrations/api.md],
# [RW-CLI:src/client.rs]; hosts: providers.md §1.4; mutations: [RW-SCHEMA] §1.5.
_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("header", "project-access-token", re.compile(r"project-access-token", re.I)),
    ("header", "team-access-token", re.compile(r"team-access-token", re.I)),
    ("header", "bearer", re.compile(
        r"authorization[\"']?\s*[:=,]\s*(?:f|`|\$)?[\"'`]?\s*bearer"
        r"|\bbearer\s+[\"'`]?[$\{%<]", re.I)),
    ("host", "backboard.railway", re.compile(r"backboard\.railway\.(?:app|com)", re.I)),
)
# A literal each pattern above cannot match without, and the characters that let an
# IGNORECASE regex match where ``str.lower`` would not find it (dotted and dotless I, long S,
# the Kelvin sign).
_LITERALS = ("project-access-token", "team-access-token", "bearer", "backboard.railway.")
_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")
_MUTATION = re.compile(
    r"\b(volumeDelete|volumeInstanceBackupDelete|volumeInstanceBackupRestore|serviceDelete|"
    r"environmentDelete|projectDelete|projectScheduleDelete(?:Force)?|workspaceDelete)\b")
# Every _MUTATION match holds one of these: plain substring tests skip its regex (slow on
# large files: an alternation tried at every word boundary) where no name can match.
_MUTATION_NAMES = ("volumeDelete", "volumeInstanceBackup", "serviceDelete", "environmentDelete",
                   "projectDelete", "projectScheduleDelete", "workspaceDelete")
# Every substring the gates below test, lowercased (a mutation name's lowercase form is
# a necessary condition; the exact name is checked after).
_GATES = KeywordIndex(("railway", "access-token", "bearer", "delete", "--environment",
                       "environment:", *_LITERALS, *(n.lower() for n in _MUTATION_NAMES)))
_CLI = re.compile(r"\brailway\s+(volume\s+delete|service\s+delete|environment\s+delete|delete|"
                  r"down|up|run|link|variables?)\b")
_ENVIRONMENT = re.compile(
    r"(?:--environment[= ]|\s-e\s+|RAILWAY_ENVIRONMENT(?:_NAME)?[\"']?\s*[=:]\s*)"
    r"[\"']?([A-Za-z][\w-]*)"
    r"|^\s*environment:\s*[\"']?([A-Za-z][\w-]*)\s*$",
    re.M,
)


def collect(doc: Document) -> Iterator[Usage]:
    # Each family only runs when its cheap substring gate is present: most files have none.
    present = _GATES.present_in(doc)  # one pass finds every gate word below
    names_on: dict[int, tuple[str, ...]] = {}
    railway = "railway" in present
    if railway or "access-token" in present or "bearer" in present:
        folds = not doc.text.isascii() and any(char in doc.text for char in _FOLDS)
        for (kind, value, pattern), literal in zip(_PATTERNS, _LITERALS, strict=True):
            if literal not in present and not folds:
                continue  # the regex needs the literal: skip its scan of a large file
            for m in pattern.finditer(doc.text):
                found = m.group(0).lower() if kind == "host" else value
                yield _usage(doc, m.start(), kind, found, names_on)
    if "delete" in present and any(name.lower() in present and name in doc.text
                                   for name in _MUTATION_NAMES):
        for m in _MUTATION.finditer(doc.text):
            yield _usage(doc, m.start(), "operation", m.group(1), names_on)
    if railway:
        for m in _CLI.finditer(doc.text):
            command = "railway " + " ".join(m.group(1).split())
            yield _usage(doc, m.start(), "cli", command, names_on)
    if railway or "--environment" in present or "environment:" in present:
        for m in _ENVIRONMENT.finditer(doc.text):
            environment = (m.group(1) or m.group(2)).lower()
            yield _usage(doc, m.start(), "environment", environment, names_on)


def _usage(doc: Document, offset: int, kind: str, value: str,
           names_on: dict[int, tuple[str, ...]]) -> Usage:
    line_no = doc.line_no(offset)
    names = names_on.get(line_no)
    if names is None:
        # Once per line, shared by its usages: a minified file's one line holds thousands
        # of usages and identifiers, and listing them per usage was quadratic in both.
        names = names_on[line_no] = tuple(sorted(set(_IDENT.findall(doc.line(line_no)))))
    return Usage(doc.path, line_no, kind, value, names)
