"""Parser calls on scanned files: malformed input is the caller's, exhaustion is counted.

A parser meets two kinds of bad file. Malformed text (a Helm template in a ``.yaml``, a
truncated JSON) has an answer — it is not this format — and each reader turns its
``ValueError`` into "nothing found". A file no parser can finish (100,000 nested brackets,
an alias bomb, memory that runs out) has none: the reader does not know what the file
holds, and a gate must say so. :func:`finishing` turns that second kind, and only it,
into :class:`Unparseable`, which the file pass counts per file as ``unparseable``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from blastscan.scanner.errors import Unparseable


@contextmanager
def finishing(parser: str) -> Iterator[None]:
    """Run one parser call; RecursionError or MemoryError becomes :class:`Unparseable`."""
    try:
        yield
    except (RecursionError, MemoryError):
        # ``from None``: the parser's frames (tens of thousands deep) are no use to anyone.
        raise Unparseable(f"{parser}: the file is nested too deeply or too large to parse"
                          ) from None
