"""A knowledge entry's ``source`` text, as the public URLs a reader can open.

Sources in the provider files are prose citing URLs inline
(``https://airtable.com/developers/…``, ``docs.aws.amazon.com/…``) and tags
(``[RW-DOCS:content/docs/volumes/backups.md]``, ``[GL:adafruit-api-key]``). The tags
were defined in research notes that are not shipped, so ``data/sources.toml`` maps each
tag to a URL, validated when loaded. A reference to a section of those notes
(``providers.md §2.4``) has no URL: it is left out, and a source with nothing else is
reported as having no public URL rather than pointing at a file the user does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import tomli

from blastscan.scanner.errors import KnowledgeError

_TAG = re.compile(r"\[([A-Z][A-Z0-9-]*)(?::([^\]\s]+))?\]")
_URL = re.compile(r"https?://[^\s;,()\[\]<>\"']+")
# A host-and-path citation without a scheme: "docs.aws.amazon.com/cli/latest/…".
_BARE = re.compile(r"(?<![\w./@-])((?:[a-z0-9-]+\.)+(?:com|io|org|dev|net|app|co|cloud)"
                   r"/[^\s;,()\[\]<>\"']*)")
_SAFE_PATH = re.compile(r"[A-Za-z0-9._/-]+")


@dataclass(frozen=True, slots=True)
class Tag:
    what: str
    url: str  # may hold {path}: the part of the tag after its colon

    def resolve(self, path: str | None) -> str | None:
        if "{path}" not in self.url:
            return self.url
        if path is None or not _SAFE_PATH.fullmatch(path) or ".." in path:
            return None
        return self.url.replace("{path}", path)


@lru_cache(maxsize=1)
def tags() -> dict[str, Tag]:
    entry = resources.files("blastscan.detectors.knowledge").joinpath("data/sources.toml")
    try:
        data = tomli.loads(entry.read_text(encoding="utf-8"))
    except tomli.TOMLDecodeError as exc:
        raise KnowledgeError(f"sources.toml: {exc}") from exc
    found = {}
    for name, fields in data.get("tag", {}).items():
        what, url = fields.get("what"), fields.get("url")
        if set(fields) != {"what", "url"} or not isinstance(what, str) or \
                not isinstance(url, str) or not url.startswith("https://"):
            raise KnowledgeError(f"sources.toml: tag {name} needs what and an https url")
        found[name] = Tag(what, url)
    if set(data) != {"tag"}:
        raise KnowledgeError(f"sources.toml: unknown tables {sorted(set(data) - {'tag'})}")
    return found


def urls(source: str | None) -> tuple[str, ...]:
    """Every URL ``source`` cites, in the order cited, each once."""
    if not source:
        return ()
    found = [(m.start(), m.group(0).rstrip(".")) for m in _URL.finditer(source)]
    found += [(m.start(), "https://" + m.group(1).rstrip(".")) for m in _BARE.finditer(source)]
    known = tags()
    for match in _TAG.finditer(source):
        tag = known.get(match.group(1))
        url = tag.resolve(match.group(2)) if tag else None
        if url is not None:
            found.append((match.start(), url))
    return tuple(dict.fromkeys(url for _, url in sorted(found)))
