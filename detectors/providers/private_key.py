"""``private-key``: PEM-armoured private keys (RSA, EC, DSA, OpenSSH, PKCS#8, PGP).

A private key is a credential whatever it unlocks: an SSH deploy key, a TLS key, a
GitHub App key ([TH:pkg/detectors/githubapp]), a GCP service account. The BEGIN line
names the key type ([GL:private-key]); ``ENCRYPTED PRIVATE KEY`` is still reported, since
its passphrase often sits in the same repository. A block needs at least 64 base64
characters of body (as gitleaks requires), so documentation stubs such as
``-----BEGIN PRIVATE KEY-----\\nanything\\n-----END…`` are skipped. Keys embedded in JSON
strings (``"private_key": "-----BEGIN…\\n…"``) are found too: the body is normalised by
dropping whitespace and literal ``\\n`` escapes, so the same key in a ``.pem`` file and in
a service-account JSON has one fingerprint. Keys built in code from string literals
(``"-----BEGIN RSA PRIVATE KEY-----\\n" + "MIIE…\\n" + …``, Python's implicit
concatenation, Java/C# ``+``, PHP ``.``) are read by first removing the joins between the
literals. PuTTY ``.ppk`` files (``PuTTY-User-Key-File-2/3``) carry the key in their
``Private-Lines`` (the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html).
Reported at the BEGIN (or header) line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.scanner.models import Candidate

_BEGIN = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----")
_BODY_CHARS = re.compile(r"[A-Za-z0-9+/=\s\\:,.-]*")  # base64, PEM headers, ``\n`` escapes
_MAX_BODY = 65_536
# PEM headers such as ``Proc-Type: 4,ENCRYPTED`` / PGP ``Version:`` are not key material.
_HEADER = re.compile(r"^[A-Za-z-]+:.*$", re.MULTILINE)
_NOISE = re.compile(r"\\n|\\r|\s")
# The join between two string literals: closing quote, an operator or none, maybe a line
# break, opening quote (``" +\n  "``, ``"\n    "``, ``' . '``).
_JOIN = re.compile(r"""\\?["'`]\s*(?:\+|\.|&|\|\|)?\s*(?:\\\n)?\s*["'`]""")
_PPK = re.compile(r"PuTTY-User-Key-File-[23]: *(\S+)\r?\n(?:.*\r?\n){0,8}?"
                  r"Private-Lines: *(\d{1,4})\r?\n")
_MIN_BODY = 64
_KEY_TYPES = {"RSA": "rsa", "EC": "ec", "DSA": "dsa", "OPENSSH": "openssh",
              "ENCRYPTED": "encrypted", "PGP": "pgp"}

_BODY = ("Wwv2Ogp/rhute2LAKi45GzVFxZaO25jp+BGunyE7q43zwePJPIdVehzV4z+elqAD\n"
         "s57yvIYkZGpguVU7+xEbJPEz02EqbSOnTnB2FwZXZQdK2QlelVXloxv/IHKtoUKC\n"
         "7hLDHnKxfFKlwV0w4BXJ43P2ALkwqQgL5il3I3DO\n")


class PrivateKeyDetector:
    id = "private-key"
    keywords = ("private key", "putty-user-key-file")
    positives = (
        Sample("deploy_key.pem",
               f"-----BEGIN RSA PRIVATE KEY-----\n{_BODY}-----END RSA PRIVATE KEY-----\n"),
        Sample("id_ed25519",
               f"-----BEGIN OPENSSH PRIVATE KEY-----\n{_BODY}-----END OPENSSH PRIVATE KEY-----\n"),
        Sample("sa.json", '{"private_key": "-----BEGIN PRIVATE KEY-----\\n'
                          + _BODY.replace("\n", "\\n") + '-----END PRIVATE KEY-----\\n"}\n'),
        Sample("Keys.java", 'String KEY = "-----BEGIN RSA PRIVATE KEY-----\\n" +\n'
                            + "".join(f'    "{line}\\n" +\n' for line in _BODY.split())
                            + '    "-----END RSA PRIVATE KEY-----";\n'),
        Sample("deploy.ppk", "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n"
                             "Comment: deploy\nPublic-Lines: 1\nAAAAB3NzaC1yc2E\n"
                             f"Private-Lines: 3\n{_BODY}Private-MAC: 0a1b2c\n"),
    )
    negatives = (
        Sample("README.md", "-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----\n"),
        Sample("cert.pem", f"-----BEGIN CERTIFICATE-----\n{_BODY}-----END CERTIFICATE-----\n"),
        Sample("stub.txt",
               "-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        yield from self._putty(doc)
        if "-----BEGIN" not in doc.text:  # what _BEGIN needs (and no lowering)
            return
        for m in _BEGIN.finditer(doc.text):
            # str.find, not a lazy regex: linear even with thousands of BEGIN lines.
            end = doc.text.find(f"-----END {m.group(1)}-----", m.end(), m.end() + _MAX_BODY)
            if end == -1:
                continue
            raw = doc.text[m.end():end]
            if _BODY_CHARS.fullmatch(raw) is None and ('"' in raw or "'" in raw):
                raw = _JOIN.sub("", raw)  # a key assembled from string literals
            # Another BEGIN (a truncated key before this one) or prose in between: the
            # blocks must not be stitched together.
            if "-----" in raw or _BODY_CHARS.fullmatch(raw) is None:
                continue
            body = _NOISE.sub("", _HEADER.sub("", raw.replace("\\n", "\n")))
            if len(body) < _MIN_BODY:
                continue
            first = m.group(1).split(" ")[0]
            key_type = _KEY_TYPES.get(first, "pkcs8")
            yield Candidate(self.id, "generic", "private_key", body, doc.location(m.start()),
                            (("key_type", key_type),))

    def _putty(self, doc: Document) -> Iterator[Candidate]:
        if "PuTTY-User-Key-File" not in doc.text:  # as PuTTYgen writes it
            return
        for m in _PPK.finditer(doc.text):
            lines = doc.text[m.end():].split("\n", int(m.group(2)))[:int(m.group(2))]
            body = _NOISE.sub("", "".join(lines))
            if len(body) >= _MIN_BODY and _BODY_CHARS.fullmatch(body):
                yield Candidate(self.id, "generic", "private_key", body, doc.location(m.start()),
                                (("key_type", "putty"),))
