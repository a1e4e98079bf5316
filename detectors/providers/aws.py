"""``aws-access-key``: AWS access key ids and secret access keys, paired.

A key id (``AKIA…`` long-lived, ``ASIA…`` STS, ``ABIA``/``ACCA``; gitleaks
``aws-access-token`` regex [GL], prefix table [TH:pkg/detectors/aws/utils.go]) is not a
secret on its own: what signs requests is the 40-character secret access key, which has
no prefix and is recognised only with context (providers.md §2.1): assigned to an
AWS-ish name (``aws_secret_access_key``, ``AWS_SECRET``, ``SecretAccessKey``), assigned
to a secret-ish name in a file that holds a key id, or within a couple of lines of a key
id. Each key id is paired with the nearest such secret in the same file and reported as
one ``access_key`` credential whose identity is the key id, so the resolver can reason
about one IAM principal instead of two loose strings. Leftovers are reported alone:
``access_key_id`` (the id names a principal that an agent can target) and
``secret_access_key`` (a secret whose id lives elsewhere).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.assign import is_secret_name
from blastscan.detectors.match.names import assigned_name
from blastscan.scanner.models import Candidate

_KEY_ID = re.compile(r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b")  # [GL]
_SECRET = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")  # [TH], [KF]
_AWS_SECRET_NAME = re.compile(r"aws.?secret|secret.?access.?key", re.IGNORECASE)
# The same, for lowered text: names are ASCII, so a name it matches lowers to text this
# matches; every match holds ``secret`` at most 4 characters after its start.
_AWS_SECRET_LOWERED = re.compile(r"aws.?secret|secret.?access.?key")
# ``_SECRET`` matches are the runs of exactly 40 of its characters not followed by ``=``:
# found in the document's UTF-8 bytes with every byte mapped to ``a`` (a run character),
# ``=`` or a space (anything else, including every byte of a non-ASCII character).
_RUN_BYTES = bytes(97 if chr(b) in string.ascii_letters + string.digits + "/+"
                   else b if b == 61 else 32 for b in range(256))
_RUN = b"a" * 40
_MORE_RUN = re.compile(rb"a*")
_ADJACENT_LINES = 2
_FULL_PAIRING = 10_000  # id x secret pairs compared exhaustively
_NEIGHBOURS = 4

_ID1, _SK1 = "AKIAYRRP3LFYDZBL2NU6", "cm9d0HUNFbhnDYG4Sqhva3oc6MPUZgn/iPYmFThw"
_ID2, _SK2 = "ASIAWGFKE5E2J4DG225U", "1gc1F3edRw5pprbMcM41VOdj15TsCgovyUpr5lHA"


@dataclass(frozen=True, slots=True)
class _Found:
    value: str
    offset: int
    line: int
    name: str


def _looks_random(value: str) -> bool:
    # Secret keys are random base64: mixed case and a digit or ``/``/``+``. This drops
    # hex digests (git SHAs) and long identifiers that happen to be 40 characters.
    return (any(c.islower() for c in value) and any(c.isupper() for c in value)
            and any(c.isdigit() or c in "/+" for c in value))


def _may_name_aws_secret(lowered: str) -> bool:
    """Whether the document holds text ``_AWS_SECRET_NAME`` could match in a name."""
    at = lowered.find("secret")
    while at != -1:
        if any(_AWS_SECRET_LOWERED.match(lowered, start) for start in (at - 4, at - 3, at)
               if start >= 0):
            return True
        at = lowered.find("secret", at + 1)
    return False


def _secret_starts(text: str) -> Iterator[int]:
    """Where ``_SECRET`` matches start, in order, without trying it at every position
    (45 ms per 2 MB of API model; 3 ms this way)."""
    data = text.encode("utf-8", "surrogatepass")
    runs = data.translate(_RUN_BYTES)
    ascii_only = len(data) == len(text)
    chars = done = 0
    at = runs.find(_RUN)
    while at != -1:  # ``at`` starts a run: the search starts where no run goes on
        more = _MORE_RUN.match(runs, at)  # always matches: ``a*``
        end = more.end() if more else at
        if end - at == 40 and runs[end:end + 1] != b"=":
            if ascii_only:
                yield at
            else:  # count the characters up to here, decoding each byte once
                chars += len(data[done:at].decode("utf-8", "surrogatepass"))
                done = at
                yield chars
        at = runs.find(_RUN, end)


def _nearest_first(ids: list[_Found], secrets: list[_Found]) -> list[tuple[int, int]]:
    """(id index, secret index) pairs, closest first (lines apart, then characters)."""
    def distance(k: _Found, s: _Found) -> tuple[int, int]:
        return abs(k.line - s.line), abs(k.offset - s.offset)

    if len(ids) * len(secrets) <= _FULL_PAIRING:
        pairs = [(distance(k, s), i, j) for i, k in enumerate(ids) for j, s in enumerate(secrets)]
    else:  # huge dumps: only the few secrets around each id, so this stays near-linear
        offsets = [s.offset for s in secrets]  # document order
        pairs = []
        for i, k in enumerate(ids):
            at = bisect.bisect(offsets, k.offset)
            for j in range(max(0, at - _NEIGHBOURS), min(len(secrets), at + _NEIGHBOURS)):
                pairs.append((distance(k, secrets[j]), i, j))
    return [(i, j) for _, i, j in sorted(pairs)]


def account_id(key_id: str) -> str | None:
    """The AWS account a key id belongs to, decoded offline: base32 of the characters after
    the four-letter prefix, bits 7..46 of the first six bytes (providers.md §2.1;
    [TH:pkg/detectors/aws/utils.go] ``GetAccountNumFromID``; Tal Be'ery, "A short note on
    AWS KEY ID", 2023). Older ids (``AKIAI…``, ``AKIAJ…``) do not encode it: None."""
    if len(key_id) != 20 or key_id[4] in "IJ":
        return None
    try:
        head = base64.b32decode(key_id[4:])
    except (binascii.Error, ValueError):
        return None
    return f"{(int.from_bytes(head[:6], 'big') & 0x7FFFFFFFFF80) >> 7:012d}"


class AwsAccessKeyDetector:
    id = "aws-access-key"
    keywords = ("akia", "asia", "abia", "acca", "a3t", "aws_secret", "secret_access_key",
                "secretaccesskey", "aws-secret")
    positives = (
        Sample(".aws/credentials",
               f"[prod]\naws_access_key_id = {_ID1}\naws_secret_access_key = {_SK1}\n"),
        Sample(".env", f"AWS_ACCESS_KEY_ID={_ID2}\nAWS_SECRET_ACCESS_KEY={_SK2}\n"),
        Sample("deploy.sh", f"export AWS_ACCESS_KEY_ID={_ID1}\n"),
        Sample("config.json", f'{{"SecretAccessKey": "{_SK2}"}}\n'),
    )
    negatives = (
        Sample(".env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
                       "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
        Sample("notes.txt", f"commit {_SK1.lower()}\nuser AIDAYRRP3LFYDZBL2NU6\n"),
        Sample("app.py", f'SECRET_KEY = "{_SK1}"  # Django, no AWS key id here\n'),
        Sample("x.txt", "AKIAXXXXXXXXXXXXXXXX\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        ids = [_Found(m.group(1), m.start(1), doc.line_no(m.start(1)),
                      assigned_name(doc, m.start(1))) for m in prefix.finditer(_KEY_ID, doc.text)]
        secrets = list(self._secrets(doc, ids))
        paired_ids: set[int] = set()
        paired_secrets: set[int] = set()
        # Greedy nearest-first pairing: in ~/.aws/credentials and .env files each id sits
        # next to its own secret, so the closest pairs are the right ones.
        for i, j in _nearest_first(ids, secrets):
            if i in paired_ids or j in paired_secrets:
                continue
            paired_ids.add(i)
            paired_secrets.add(j)
            yield self._candidate(doc, "access_key", secrets[j], ids[i])
        for i, key_id in enumerate(ids):
            if i not in paired_ids:
                yield self._candidate(doc, "access_key_id", key_id, key_id)
        for j, secret in enumerate(secrets):
            if j not in paired_secrets:
                yield self._candidate(doc, "secret_access_key", secret, None)

    def _secrets(self, doc: Document, ids: list[_Found]) -> Iterator[_Found]:
        if not ids and not _may_name_aws_secret(doc.lowered):
            return  # without a key id, only a name such as ``aws_secret`` admits a secret
        id_lines = {k.line for k in ids}
        for start in _secret_starts(doc.text):
            value = doc.text[start:start + 40]
            if not _looks_random(value):
                continue
            line = doc.line_no(start)
            name = assigned_name(doc, start)
            if (_AWS_SECRET_NAME.search(name)
                    or (ids and name and is_secret_name(name))
                    or any(line + d in id_lines
                           for d in range(-_ADJACENT_LINES, _ADJACENT_LINES + 1))):
                yield _Found(value, start, line, name)

    def _candidate(self, doc: Document, kind: str, secret: _Found,
                   key_id: _Found | None) -> Candidate:
        facts: list[tuple[str, str]] = []
        if secret.name:
            facts.append(("name", secret.name))
        preview = None
        identity = ""
        if key_id is not None:
            facts.append(("key_id_prefix", key_id.value[:4]))
            if (account := account_id(key_id.value)) is not None:
                facts.append(("account", account))
            # An unpaired key id is its own secret: no separate identity to hash in.
            identity = key_id.value if key_id is not secret else ""
            # The key id is an identifier, not a secret: its prefix is safe to show.
            preview = key_id.value[:8] + "…"
        return Candidate(self.id, "aws", kind, secret.value, doc.location(secret.offset),
                         tuple(sorted(facts)), identity, preview)
