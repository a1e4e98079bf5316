"""Imported findings (``--import FILE``) become candidates the normal pipeline resolves.

Each finding is read back at its file and line with blastscan's own detectors: a
candidate there with the same secret (or, when the report withholds the secret, the
one whose SHA-1 detect-secrets recorded, or the one gitleaks' redacted ``Match`` lines
up with) is taken as-is, with the detector renamed ``import:TOOL``. It then carries the
same provider, kind, identity and facts as blastscan's own finding, so the two merge
into one credential. A secret blastscan's detectors do not recognise on the line is
tried on its own, then named by the tool's rule (``github-pat``, ``Github``,
``kingfisher.aws.1`` → the knowledge base's provider), else generic. Suppression
markers and placeholder filters apply to imports as to everything else; a finding whose
secret cannot be recovered (redacted, file gone) is dropped.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from blastscan.detectors.base import Detector, Document
from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.detectors.match.filters import filter_reason
from blastscan.detectors.match.suppress import is_suppressed
from blastscan.detectors.registry import scan_document
from blastscan.scanner.models import Candidate, Location, SourceKind
from blastscan.scanner.pipeline import discovery, filescan, history
from blastscan.scanner.pipeline.import_formats import Finding
from blastscan.scanner.pipeline.sources import source_kind

# Rule words that name a provider differently from its knowledge-base id.
_ALIASES = {"google": "gcp", "postgresql": "postgres", "mongo": "mongodb", "fly": "flyio",
            "terraform": "terraform-cloud", "tfc": "terraform-cloud", "docker": "dockerhub",
            "1password": "onepassword", "hashicorp": "vault", "teams": "microsoft-teams",
            "microsoftteams": "microsoft-teams", "openai": "openai", "pgsql": "postgres"}
_TOKENS = re.compile(r"""(["'])(.*?)\1|[^\s"'`=:,;()<>{}\[\]]{6,}|[A-Za-z0-9+/_\-.~]{6,}""")
_COMMIT = re.compile(r"[0-9a-f]{7,64}")


def candidates(findings: Iterable[Finding], root: Path,
               extra: tuple[Detector, ...] = ()) -> Iterator[Candidate]:
    files: dict[tuple[str, str | None], tuple[Document, tuple[Candidate, ...]] | None] = {}
    for found in findings:
        rel = _relative(root, found.path)
        if rel is None:
            continue  # outside the target: not something an agent here can read
        key = (rel, found.commit)
        if key not in files:
            text = _text(root, rel, found.commit)
            files[key] = None if text is None else (
                Document.of(rel, text), filescan.scan_text(rel, text, extra).candidates)
        read = files[key]
        doc, native = read if read is not None else (None, ())
        line = doc.line(found.line) if doc is not None else ""
        # A reported value that is not on its line was redacted or hashed by the tool.
        secret = found.secret if doc is None or (found.secret or "") in line else None
        picked = _pick(found, secret, native)
        where = (Location(rel, found.line, SourceKind.GIT_HISTORY, found.commit)
                 if found.commit else Location(rel, found.line, source_kind(rel)))
        if picked is None:
            secret = secret or _recover(found, line)
            if secret is None:
                continue
            picked = _from_value(found, rel, secret, extra)
        elif not found.commit:
            where = picked.location  # tools count lines differently; ours is the one merged
        if picked.provider == "generic":
            # The tool's specific rule (``stripe-access-token``) says more than our net.
            named = provider_of(found.rule, picked.secret)
            if named[0] != "generic":
                picked = replace(picked, provider=named[0], kind=named[1])
        candidate = replace(picked, detector=f"import:{found.tool}", location=where)
        if filter_reason(candidate) or (doc is not None and is_suppressed(doc, candidate)):
            continue
        yield candidate


def _pick(found: Finding, secret: str | None, native: tuple[Candidate, ...]
          ) -> Candidate | None:
    """Our own candidate for a finding: by secret (or its hash) anywhere in the file,
    nearest the reported line first; with neither, the one on that line."""
    near = sorted(native, key=lambda c: (abs(c.location.line - found.line),
                                         c.provider == "generic"))
    if found.hashed:
        return next((c for c in near if _sha1(c.secret) == found.hashed), None)
    if secret is not None:
        return next((c for c in near if _overlaps(c.secret, secret)), None)
    return next((c for c in near if c.location.line == found.line), None)


def _overlaps(ours: str, theirs: str) -> bool:
    # TruffleHog reports a whole connection URI where blastscan keeps its password.
    return ours == theirs or (min(len(ours), len(theirs)) >= 8 and (
        ours in theirs or theirs in ours))


def _recover(found: Finding, line: str) -> str | None:
    if found.hashed:
        tokens = (m.group(2) if m.group(1) else m.group(0) for m in _TOKENS.finditer(line))
        return next((t for t in tokens if _sha1(t) == found.hashed), None)
    if found.match and "REDACTED" in found.match:
        # gitleaks --redact keeps the text around the secret: line it up with the file.
        slot = r"([^\s'\"`]+)"
        match = re.search(slot.join(re.escape(p) for p in found.match.split("REDACTED")), line)
        return match.group(1) if match else None
    return None


def _from_value(found: Finding, rel: str, secret: str,
                extra: tuple[Detector, ...]) -> Candidate:
    detection = scan_document(Document.of(rel, secret + "\n"), extra=extra)
    known = min(detection.candidates, key=lambda c: c.provider == "generic", default=None)
    if known is not None:
        return known
    provider, kind = provider_of(found.rule, secret)
    return Candidate("import", provider, kind, secret, Location(rel, found.line))


def provider_of(rule: str, secret: str = "") -> tuple[str, str]:
    """(provider, kind) a tool's rule or detector name points to; generic when none."""
    knowledge = load_knowledge()
    words = [w.lower() for w in (*re.split(r"[^A-Za-z0-9]+", rule),
                                 *re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", rule)) if w]
    named = [_ALIASES.get(w, w) for w in words]
    provider = next((w for w in named if w in knowledge and w != "generic"), None) or next(
        (p for w in words for p in knowledge if len(p) >= 4 and w.startswith(p)), None)
    if provider is None or provider == "generic":
        if "private" in words or "pem" in words:
            return "generic", "private_key"
        basic = {"basic", "uri", "url", "password"} & set(words)
        bearer = {"jwt", "bearer", "web"} & set(words)
        return "generic", "basic_credentials" if basic else (
            "bearer_token" if bearer else "secret")
    if provider == "aws" and secret[:4] in ("AKIA", "ASIA"):
        return "aws", "access_key_id"
    return provider, knowledge[provider].kinds[0].id


def _relative(root: Path, path: str) -> str | None:
    given = Path(path)
    if given.is_absolute():
        for base in (root.absolute(), root.resolve()):
            if given.is_relative_to(base):
                return given.relative_to(base).as_posix()
        return None
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    return None if not parts or ".." in parts else "/".join(parts)


def _text(root: Path, rel: str, commit: str | None) -> str | None:
    if commit is None:
        file = root / rel
        ref = discovery.FileRef(file, rel, 0)
        text = discovery.read_text(ref) if file.is_file() else None
        return text if isinstance(text, str) else None
    if not _COMMIT.fullmatch(commit):
        return None  # never hand git something that could be an option
    command = ["git", "--no-pager", "-C", str(root)]
    for item in (*history._HARDENING, f"safe.directory={root}"):
        command += ("-c", item)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | history._ENV
    try:
        done = subprocess.run([*command, "cat-file", "blob", f"{commit}:{rel}"], env=env,
                              capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return None if discovery.is_binary(done.stdout[:8192]) else done.stdout.decode(
        "utf-8", errors="replace")


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest()
