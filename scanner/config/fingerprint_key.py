"""The key credential fingerprints are an HMAC under (issue 16).

An unkeyed hash of a weak password lets anyone holding a report test guesses offline; a
keyed one does not, and the same key across an organisation's scans still makes the same
secret the same fingerprint in every report, which is what ``blastscan merge`` joins on.

Where the key comes from, first found wins:

1. ``BLASTSCAN_FINGERPRINT_KEY``: the key itself (CI sets it from a secret);
2. ``BLASTSCAN_FINGERPRINT_KEY_FILE``: a file holding it, named by the CI author;
3. ``fingerprint_key_file`` in the repository's configuration: read like a baseline
   (bounded, no blocking open, confined to the scanned directory: the file is hostile);
4. the per-machine default: 32 random bytes created once, mode 0600, at
   ``$XDG_CONFIG_HOME/blastscan/fingerprint-key`` (``~/.config/...``). Reports from one
   machine then join, and its scans stay deterministic.

The key id in ``fingerprint_scheme`` (``hmac-sha256:<id>``) is a domain-separated hash of
the key cut to 16 hex digits: it tells two keys apart and reveals nothing about either.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from blastscan.scanner.config import named_files
from blastscan.scanner.errors import ConfigError
from blastscan.scanner.pipeline.fingerprint import SCHEME

ENV_KEY = "BLASTSCAN_FINGERPRINT_KEY"
ENV_KEY_FILE = "BLASTSCAN_FINGERPRINT_KEY_FILE"
_KEY_LIMIT = 4096  # a key is tens of bytes; a key file past this is not one
_ID_DOMAIN = b"blastscan/key-id/v1\x00"


@dataclass(frozen=True, slots=True)
class FingerprintKey:
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not self.secret:
            raise ConfigError("fingerprint key: empty")

    @property
    def id(self) -> str:
        return hashlib.sha256(_ID_DOMAIN + self.secret).hexdigest()[:16]

    @property
    def scheme(self) -> str:
        """What the JSON report's ``fingerprint_scheme`` says: the algorithm and key id."""
        return f"{SCHEME}:{self.id}"


def resolve(environ: Mapping[str, str], configured: Path | None = None,
            root: Path | None = None) -> FingerprintKey:
    """``configured``: the configuration file's ``fingerprint_key_file`` (confined to
    ``root``); the variables win over it, as everywhere in configuration."""
    if value := environ.get(ENV_KEY, "").strip():
        return FingerprintKey(value.encode())
    if name := environ.get(ENV_KEY_FILE, ""):
        return read(Path(name), where=ENV_KEY_FILE)
    if configured is not None:
        return read(configured, where="fingerprint_key_file", root=root)
    return machine_default(environ)


def read(file: Path, *, where: str, root: Path | None = None) -> FingerprintKey:
    at = f"{where}: {named_files.shown(file)}"
    text = named_files.read_text(file, error=ConfigError, where=at, root=root,
                                 limit=_KEY_LIMIT)
    if not text.strip():
        raise ConfigError(f"{at}: the key file is empty")
    return FingerprintKey(text.strip().encode())


def default_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "blastscan" / "fingerprint-key"


def machine_default(environ: Mapping[str, str]) -> FingerprintKey:
    """The per-machine key, created on first use: written whole to a private temporary
    file, then linked into place (link fails if the name exists), so two first scans
    racing both read the one complete key that won; 0600: the key is a secret."""
    file = default_path(environ)
    if not os.path.lexists(file):
        try:
            file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = file.with_name(f".{file.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                os.write(fd, secrets.token_hex(32).encode() + b"\n")
            finally:
                os.close(fd)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, file)
            os.unlink(temporary)
        except OSError as exc:
            raise ConfigError(f"cannot create the per-machine fingerprint key "
                              f"{named_files.shown(file)} ({exc.strerror or exc}): set "
                              f"{ENV_KEY} or {ENV_KEY_FILE}") from None
    return read(file, where="per-machine fingerprint key")
