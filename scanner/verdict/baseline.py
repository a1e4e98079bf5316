"""The baseline: paths a team has reviewed and accepted, with who, why and until when.

An entry is keyed on what does not move when a file is edited (peers.md §4.2): the
credential's fingerprint (a hash: never the secret), the path of a file it was found in,
and the action and environment of the path — no line numbers, commits or timestamps,
so moving lines, re-indenting and unrelated edits leave the file byte-identical. A path
is accepted only when every file its credential sits in is covered: the same secret
copied into a new file is a new exposure and gates again, as does an expired entry.

Each entry records its fingerprint ``scheme`` (``hmac-sha256:<key id>``). Entries written
before keyed fingerprints have none and carry the unkeyed ``sha256:`` fingerprint: they
match a credential's legacy fingerprint (computed at scan time, never reported), and
``baseline update`` rewrites them under the current key, justifications kept. A keyed
entry under another key can never match, so loading one is an error that says so rather
than a baseline that silently accepts nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path as FilePath
from typing import Any

from blastscan.scanner import json_text, names
from blastscan.scanner.config import named_files
from blastscan.scanner.errors import BaselineError
from blastscan.scanner.models import Path, ResolvedCredential, StaleEntry

VERSION = 1
#: Where ``baseline create`` writes, and where a scan looks when no baseline is named.
DEFAULT_NAME = ".blastscan-baseline.json"
LEGACY_SCHEME = "sha256"  # what an entry without a ``scheme`` was written with
_ENTRY_KEYS = frozenset({"fingerprint", "path", "action", "environment", "reason", "owner",
                         "expires"})
_OPTIONAL_KEYS = frozenset({"path_escaped", "scheme"})
_SCHEME = re.compile(r"sha256|hmac-sha256:[0-9a-f]{16}")


@dataclass(frozen=True, slots=True, order=True)
class Key:
    fingerprint: str
    path: str
    action: str
    environment: str


@dataclass(frozen=True, slots=True)
class Entry:
    key: Key
    reason: str
    owner: str
    expires: date | None = None
    scheme: str = LEGACY_SCHEME

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today  # valid through that day


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[Entry, ...]

    def get(self, key: Key) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)


@dataclass(frozen=True, slots=True, order=True)
class FileKey:
    """A path's key in one file, under the current scheme and the legacy one."""

    current: Key
    legacy: Key | None

    def match(self, entries: dict[Key, Entry]) -> Entry | None:
        found = entries.get(self.current)
        if found is None and self.legacy is not None:
            found = entries.get(self.legacy)
        return found


def path_keys(path: Path, credentials: dict[str, ResolvedCredential]) -> tuple[FileKey, ...]:
    """One key per distinct file the path's credential was found in."""
    resolved = credentials.get(path.credential_id)
    if resolved is None:
        return ()
    files = sorted({loc.path for loc in resolved.credential.locations})
    cred, env = resolved.credential, str(path.environment)
    return tuple(FileKey(Key(cred.fingerprint, f, path.action, env),
                         Key(cred.legacy_fingerprint, f, path.action, env)
                         if cred.legacy_fingerprint else None) for f in files)


def current_keys(paths: Iterable[Path],
                 credentials: Iterable[ResolvedCredential]) -> Iterator[tuple[Path, FileKey]]:
    by_id = {rc.credential.id: rc for rc in credentials}
    for path in paths:
        for key in path_keys(path, by_id):
            yield path, key


def build(keys: Iterable[FileKey], previous: Baseline | None, *, scheme: str,
          reason: str | None, owner: str | None, expires: date | None) -> Baseline:
    """Every current key, keeping the justification already on file for known ones (a
    legacy entry's too: it is rewritten under ``scheme``)."""
    known = {e.key: e for e in previous.entries} if previous else {}
    entries = {}
    for key in sorted(set(keys)):
        kept = key.match(known)
        if kept is None:
            if not reason or not owner:
                raise BaselineError("new paths need a justification: pass --reason and --owner")
            kept = Entry(key.current, reason, owner, expires)
        entries[key.current] = replace(kept, key=key.current, scheme=scheme)
    return Baseline(tuple(entries.values()))


def check_scheme(baseline: Baseline, scheme: str, where: str) -> Baseline:
    """``baseline``, unless an entry is keyed under another key than this scan's."""
    for entry in baseline.entries:
        if entry.scheme not in (LEGACY_SCHEME, scheme):
            raise BaselineError(
                f"baseline {where}: written with fingerprint scheme {entry.scheme}, this scan"
                f" uses {scheme}: set BLASTSCAN_FINGERPRINT_KEY to the key it was written"
                " with, or recreate it")
    return baseline


def stale(baseline: Baseline, found: set[Key]) -> tuple[StaleEntry, ...]:
    return tuple(sorted(
        StaleEntry(e.key.fingerprint, e.key.path, e.key.action, e.key.environment,
                   e.owner, e.reason) for e in baseline.entries if e.key not in found))


def dumps(baseline: Baseline) -> str:
    rows = [{"fingerprint": e.key.fingerprint, "scheme": e.scheme, "path": e.key.path,
             "action": e.key.action, "environment": e.key.environment, "reason": e.reason,
             "owner": e.owner, "expires": e.expires.isoformat() if e.expires else None}
            for e in sorted(baseline.entries, key=lambda e: e.key)]
    document = {"version": VERSION, "tool": "blastscan", "entries": rows}
    return json_text.dumps(document)


def load(file: FilePath, *, root: FilePath | None = None) -> Baseline:
    """``root``: the scanned repository's configuration named the file, so it must lie
    inside that directory (:mod:`blastscan.scanner.config.named_files`)."""
    where = f"baseline {named_files.shown(file)}"
    text = named_files.read_text(file, error=BaselineError, where=where, root=root)
    data = named_files.parse_json(text, where, BaselineError)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BaselineError(f"{where}: expected an object with version {VERSION}")
    rows = data.get("entries")
    if not isinstance(rows, list):
        raise BaselineError(f"{where}: 'entries' must be a list")
    return Baseline(tuple(_entry(where, i, row) for i, row in enumerate(rows)))


def _entry(file: str, index: int, row: Any) -> Entry:
    where = f"{file}: entries[{index}]"
    # ``path_escaped``: the lossless name of a file whose name is not UTF-8 (json_text).
    if not isinstance(row, dict) or set(row) - _OPTIONAL_KEYS != _ENTRY_KEYS:
        raise BaselineError(f"{where}: expected exactly the keys {sorted(_ENTRY_KEYS)}"
                            f" (and optionally {sorted(_OPTIONAL_KEYS)})")
    text = {k: row[k] for k in _ENTRY_KEYS - {"expires"}}
    if not all(isinstance(v, str) and v for v in text.values()):
        raise BaselineError(f"{where}: every field but 'expires' must be a non-empty string")
    name = row.get("path_escaped")
    if name is not None and not (isinstance(name, str) and name):
        raise BaselineError(f"{where}: 'path_escaped' must be a non-empty string")
    path = names.unescaped(name) if name else text["path"]
    key = Key(text["fingerprint"], path, text["action"], text["environment"])
    scheme = row.get("scheme", LEGACY_SCHEME)
    if not (isinstance(scheme, str) and _SCHEME.fullmatch(scheme)):
        raise BaselineError(f"{where}.scheme: expected {LEGACY_SCHEME} or hmac-sha256:<key id>")
    entry = Entry(key, text["reason"], text["owner"], scheme=scheme)
    if row["expires"] is None:
        return entry
    if not isinstance(row["expires"], str):
        raise BaselineError(f"{where}.expires: expected a date YYYY-MM-DD or null")
    return replace(entry, expires=parse_date(row["expires"], where + ".expires"))


def parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BaselineError(f"{where}: expected a date YYYY-MM-DD") from exc
