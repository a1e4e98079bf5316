"""Standalone IAM policy documents: ``{"Version": "2012-10-17", "Statement": [...]}``.

The shape and its wildcards are providers.md §2.4. Also accepts the wrappers the AWS CLI
prints (``aws iam get-policy-version`` → ``PolicyVersion.Document``;
``get-role-policy`` → ``PolicyDocument``), since those get saved into repositories too.
The principal is unknown from the document alone, so it is the file's stem.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import policy
from blastscan.detectors.evidence.iac.model import IamGrant
from blastscan.detectors.match.finishing import finishing

_VERSIONS = ("2012-10-17", "2008-10-17")


def collect(doc: Document) -> Iterator[IamGrant]:
    try:
        with finishing("JSON"):  # nesting past the stack: counted, not "nothing found"
            data = json.loads(doc.text)
    except ValueError:
        return  # not JSON (or malformed): nothing found
    document = _unwrap(data)
    if document is None:
        return
    principal = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    start = doc.text.find('"Statement"')
    yield from policy.grants(document, path=doc.path, line=doc.line_no(max(start, 0)),
                             principal=principal, locate=policy.text_locator(doc, start))


def _unwrap(data: object) -> dict[str, object] | None:
    """The policy document in ``data``, looking through the CLI's wrapper keys."""
    for _ in range(3):
        if not isinstance(data, dict):
            return None
        if data.get("Version") in _VERSIONS and "Statement" in data:
            return data
        data = data.get("PolicyVersion", data.get("Document", data.get("PolicyDocument")))
    return None
