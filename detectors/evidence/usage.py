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
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import KeywordIndex
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
_MUTATIONS = ("volumeDelete", "volumeInstanceBackupDelete", "volumeInstanceBackupRestore",
              "serviceDelete", "environmentDelete", "projectDelete", "projectScheduleDelete",
              "projectScheduleDeleteForce", "workspaceDelete")
# The closing \b makes the longer of projectScheduleDelete[Force] win where it is written.
_MUTATION = re.compile(rf"\b({'|'.join(_MUTATIONS)})\b")
# The family gates below, found in one pass (the file pass's, shared with the detectors).
# Within a family, prefix.finditer_in tries each regex only where its opening text occurs
# (case folding included), so a large file that only mentions "bearer" is not scanned
# position by position. The mutations' own names gate theirs: "delete" is in most API
# models (and was no gate for volumeInstanceBackupRestore).
GATES = KeywordIndex(("railway", "access-token", "bearer", "--environment", "environment:",
                      *(m.lower() for m in _MUTATIONS)))
_MUTATION_GATES = frozenset(m.lower() for m in _MUTATIONS)
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
    present = GATES.present_in(doc)  # one pass finds every gate word below
    names_on: dict[int, tuple[str, ...]] = {}
    railway = "railway" in present
    if railway or "access-token" in present or "bearer" in present:
        for kind, value, pattern in _PATTERNS:
            for m in prefix.finditer_in(pattern, doc):
                found = m.group(0).lower() if kind == "host" else value
                yield _usage(doc, m.start(), kind, found, names_on)
    if not present.isdisjoint(_MUTATION_GATES):
        for m in prefix.finditer_in(_MUTATION, doc):
            yield _usage(doc, m.start(), "operation", m.group(1), names_on)
    if railway:
        for m in prefix.finditer_in(_CLI, doc):
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
