"""The explicit detector registry and the per-document detection pass.

Detectors are listed here by hand (no import-time discovery), so adding one is a
reviewed, one-line change and a test can assert that every id is unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from blastscan.detectors.base import Detector, Document
from blastscan.detectors.files.django_settings import DjangoSettingsDetector
from blastscan.detectors.files.docker_config import DockerConfigDetector
from blastscan.detectors.files.ftp_clients import FtpClientDetector
from blastscan.detectors.files.hibernate import HibernateDetector
from blastscan.detectors.files.kube_secret import KubeSecretDetector
from blastscan.detectors.files.pgpass import PgpassDetector
from blastscan.detectors.files.rails_database import RailsDatabaseDetector
from blastscan.detectors.files.rails_key import RailsMasterKeyDetector
from blastscan.detectors.files.spring_datasource import SpringDatasourceDetector
from blastscan.detectors.files.tfstate import TfstateDetector
from blastscan.detectors.files.wp_config import WpConfigDetector
from blastscan.detectors.knowledge.formats import KbFormatDetector
from blastscan.detectors.match.examples import reason as example_reason
from blastscan.detectors.match.filters import filter_reason
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.detectors.match.suppress import MARKERS, Markers
from blastscan.detectors.providers.agent_config import AgentConfigDetector
from blastscan.detectors.providers.aws import AwsAccessKeyDetector
from blastscan.detectors.providers.catalog import CatalogDetector
from blastscan.detectors.providers.commands import CommandSecretDetector
from blastscan.detectors.providers.connection_string import ConnectionStringDetector
from blastscan.detectors.providers.custom import CustomDetector
from blastscan.detectors.providers.database_url import DatabaseUrlDetector
from blastscan.detectors.providers.detect_secrets_plugins import DetectSecretsPluginsDetector
from blastscan.detectors.providers.generic import GenericSecretDetector
from blastscan.detectors.providers.github import GitHubTokenDetector
from blastscan.detectors.providers.home_stores import HomeStoreDetector
from blastscan.detectors.providers.http_auth import HttpAuthDetector
from blastscan.detectors.providers.kubeconfig import KubeconfigDetector
from blastscan.detectors.providers.markup import MarkupSecretDetector
from blastscan.detectors.providers.password_hash import PasswordHashDetector
from blastscan.detectors.providers.private_key import PrivateKeyDetector
from blastscan.detectors.providers.railway import RailwayTokenDetector
from blastscan.detectors.providers.stripe import StripeKeyDetector
from blastscan.detectors.providers.supabase import SupabaseKeyDetector
from blastscan.detectors.providers.url_token import UrlTokenDetector
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Candidate, Location

DETECTORS: tuple[Detector, ...] = (
    RailwayTokenDetector(),
    AwsAccessKeyDetector(),
    GitHubTokenDetector(),
    StripeKeyDetector(),
    SupabaseKeyDetector(),
    DatabaseUrlDetector(),
    PgpassDetector(),
    WpConfigDetector(),
    FtpClientDetector(),
    RailsMasterKeyDetector(),
    KubeconfigDetector(),
    PrivateKeyDetector(),
    DetectSecretsPluginsDetector(),
    KbFormatDetector(),
    CatalogDetector(),
    GenericSecretDetector(),
    HttpAuthDetector(),
    CommandSecretDetector(),
    MarkupSecretDetector(),
    UrlTokenDetector(),
    DockerConfigDetector(),
    ConnectionStringDetector(),
    SpringDatasourceDetector(),
    HibernateDetector(),
    DjangoSettingsDetector(),
    RailsDatabaseDetector(),
    TfstateDetector(),
    KubeSecretDetector(),
    PasswordHashDetector(),
    AgentConfigDetector(),
    HomeStoreDetector(),
)

#: Detector classes built from a repository's configuration for one scan (never listed
#: above: they have no fixed id or samples).
CONFIGURED: tuple[type, ...] = (CustomDetector,)

# When two detectors report the same secret on the same line, the specific one wins.
_GENERIC_PROVIDERS = frozenset({"generic"})
_KEYWORD_NET = "generic-secret"
_CATALOG = "catalog"
_FEW = 64
# Facts about where a value sits (not what it is) that survive that choice.
_CONTEXT_FACTS = frozenset({"mcp_server", "linked_environment"})


def _generic(candidate: Candidate) -> bool:
    """No provider detector's: a generic value, or the keyword net's (whose provider, when
    the name names a vendor, is only that name's say)."""
    return candidate.provider in _GENERIC_PROVIDERS or candidate.detector == _KEYWORD_NET


def _weaker(previous: Candidate, candidate: Candidate) -> bool:
    """Whether ``previous`` gives way to ``candidate``: a generic value yields to any later
    reader, except to the keyword net, which only saw a name and a value (a format reader
    such as ftp-client knows which field is the password)."""
    if not _generic(previous):
        return False
    return candidate.detector != _KEYWORD_NET or previous.detector == _KEYWORD_NET


def _beside_own(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Without the catalog's view of a value another provider detector found on the same
    line with other bounds (the adapter's GitLab token, a Teams webhook URL): one token,
    one credential, reported by the detector that knows more."""
    kept = list(candidates)
    own: dict[int, list[str]] = {}
    for c in kept:
        if c.detector != _CATALOG and not _generic(c):
            own.setdefault(c.location.line, []).append(c.secret)
    # One search of a line's values joined finds the catalog value inside one of them;
    # the other way round is a loop, kept for lines of a few values (a minified line of
    # 20,000 tokens seen by both would make it 400 million tests).
    joined = {line: "\0".join(values) for line, values in own.items()}
    return [c for c in kept if c.detector != _CATALOG or not (
        c.secret in joined.get(c.location.line, "\0") or any(
            o in c.secret for o in own.get(c.location.line, ())[:_FEW]))]


@dataclass(frozen=True, slots=True)
class Detection:
    candidates: tuple[Candidate, ...]
    suppressed: int
    filtered: int
    # A detector's parser could not finish the document (an alias bomb, say): the other
    # detectors' candidates are kept, and the file pass counts the file as unparseable.
    unparseable: bool = False


#: A keyword ``file:<suffix>`` gates a detector on the file's name instead of its text, for
#: formats whose content has no word of its own (a ``.pgpass`` line is colons and values).
FILE_KEYWORD = "file:"


def _file_suffixes(detectors: tuple[Detector, ...]) -> tuple[str, ...]:
    return tuple(sorted({k.removeprefix(FILE_KEYWORD) for d in detectors for k in d.keywords
                         if k.startswith(FILE_KEYWORD)}))


@lru_cache(maxsize=8)
def _index(detectors: tuple[Detector, ...]) -> KeywordIndex:
    # The suppression markers ride along: one pass says whether a document holds any.
    return KeywordIndex((*MARKERS, *(k for d in detectors for k in d.keywords
                                     if not k.startswith(FILE_KEYWORD))))


_NONE: frozenset[str] = frozenset()


def named_present(path: str, suffixes: tuple[str, ...] | None = None) -> frozenset[str]:
    """The ``file:`` keywords a path's name satisfies (``ops/.pgpass`` → ``file:.pgpass``)."""
    name = path.rsplit("/", 1)[-1].lower()
    listed = _SUFFIXES if suffixes is None else suffixes
    if not name.endswith(listed):  # one call for all: most names end in none of them
        return _NONE
    return frozenset(FILE_KEYWORD + s for s in listed if name.endswith(s))


def _gates(detectors: tuple[Detector, ...]) -> tuple[frozenset[str], ...]:
    # Sets, not the detectors' tuples: ``present.isdisjoint`` of a set walks the smaller
    # side (the few keywords a document holds), of a tuple all of it (the catalog's 349
    # keywords, on every document: 3% of a Django scan).
    return tuple(frozenset(d.keywords) for d in detectors)


def _by_keyword(detectors: tuple[Detector, ...]) -> tuple[dict[str, tuple[int, ...]],
                                                           frozenset[int]]:
    """Which detectors (by position) each keyword gates, and those without keywords
    (always run): a document holding a few keywords then costs a few lookups, not a test
    of every detector's gate."""
    gated: dict[str, list[int]] = {}
    for i, detector in enumerate(detectors):
        for keyword in set(detector.keywords):
            gated.setdefault(keyword, []).append(i)
    always = frozenset(i for i, d in enumerate(detectors) if not d.keywords)
    return {k: tuple(v) for k, v in gated.items()}, always


INDEX = _index(DETECTORS)
_SUFFIXES = _file_suffixes(DETECTORS)
_BY_KEYWORD, _ALWAYS = _by_keyword(DETECTORS)


def _chosen(detectors: tuple[Detector, ...], present: frozenset[str],
            extra: tuple[Detector, ...]) -> Iterable[Detector]:
    """The detectors whose gate ``present`` opens, in registry order, then ``extra``'s."""
    if detectors is DETECTORS:
        get = _BY_KEYWORD.get
        positions = set(_ALWAYS)
        for keyword in present:
            positions.update(get(keyword, ()))
        yield from map(DETECTORS.__getitem__, sorted(positions))
        listed: tuple[Detector, ...] = extra
    else:
        listed = (*detectors, *extra)
    for detector, gate in zip(listed, _gates(listed), strict=True):
        if not gate or not present.isdisjoint(gate):
            yield detector


def scan_document(doc: Document, detectors: tuple[Detector, ...] = DETECTORS,
                  extra: tuple[Detector, ...] = ()) -> Detection:
    """``extra``: detectors a configuration adds for one scan (checked without an index:
    they are few, and building an automaton per document would cost more)."""
    found: dict[tuple[str, int], Candidate] = {}
    hidden: set[tuple[str, int]] = set()
    suppressed = filtered = 0
    unparseable = False
    index = INDEX if detectors is DETECTORS else _index(detectors)
    suffixes = _SUFFIXES if detectors is DETECTORS else _file_suffixes(detectors)
    present = index.present_in(doc) | named_present(doc.path, suffixes) | {
        k for d in extra for k in d.keywords if k in doc.lowered}
    markers = None if present.isdisjoint(MARKERS) else Markers(doc)
    for detector in _chosen(detectors, present, extra):
        detected: list[Candidate] = []
        try:  # extend keeps what the detector yielded before giving up (its fallback)
            detected.extend(detector.detect(doc))
        except Unparseable:  # contained to this detector: a bomb must not hide the others
            unparseable = True
        for candidate in detected:
            if markers is not None and markers.hides(candidate):
                suppressed += 1
                hidden.add((candidate.secret, candidate.location.line))
                continue
            if filter_reason(candidate) is not None:
                filtered += 1
                continue
            key = (candidate.secret, candidate.location.line)
            previous = found.get(key)
            if previous is None:
                found[key] = candidate
                continue
            # Keep the more specific detector's candidate, plus the context the other
            # one saw (the MCP server an agent-config detector found the value under).
            keep, other = ((candidate, previous) if _weaker(previous, candidate)
                           else (previous, candidate))
            context = {f for f in other.facts if f[0] in _CONTEXT_FACTS}
            found[key] = replace(keep, facts=tuple(sorted({*keep.facts, *context})))
    if not found:  # most documents: nothing to order, mark or end
        return Detection((), suppressed, filtered, unparseable)
    # ``ignore[github]`` hides the GitHub token, and so the generic detector's view of
    # the same value too: otherwise a narrow suppression would resurface it as "generic".
    for key in hidden & found.keys():
        if _generic(found[key]):
            del found[key]
            suppressed += 1
    ordered = sorted(_beside_own(found.values()),
                     key=lambda c: (c.location.line, c.detector, c.identity))
    # Read here, while the document and the raw value are at hand (see examples.py).
    marked = tuple(_with_end(replace(c, example=why) if (why := example_reason(c, doc)) else c,
                             doc) for c in ordered)
    return Detection(marked, suppressed, filtered, unparseable)


def _with_end(candidate: Candidate, doc: Document) -> Candidate:
    """The candidate with the column after its secret, when the text at its location is
    the secret itself, on one line (a decoded or multi-line value has no honest end)."""
    where, secret = candidate.location, candidate.secret
    if where.column < 1 or not secret or "\n" in secret:
        return candidate
    start = doc.line_span(where.line)[0] + where.column - 1
    if not doc.text.startswith(secret, start):
        return candidate
    # Built directly: dataclasses.replace twice per candidate was a tenth of the scan of a
    # bundle with 60,000 values on one line.
    ended = Location(where.path, where.line, where.source, where.commit, where.column,
                     where.column + len(secret))
    return replace(candidate, location=ended)
