"""``detect-secrets``: detect-secrets' regex plugins for providers without a native detector.

blastscan reuses Yelp detect-secrets' provider regexes as a library (each plugin's
``denylist``; no detect-secrets settings, baselines or network ``verify``) for
SendGrid, OpenAI, npm, PyPI, GitLab, Discord bot tokens, Telegram, Mailchimp,
Artifactory, Azure storage keys and Square OAuth secrets (providers.md §22). The plugins
that another detector covers better (AWS, GitHub, Stripe, private keys, JWTs, keywords,
entropy, basic auth, IPs; Slack, whose knowledge-base formats from gitleaks know the
legacy, config and webhook shapes) are deliberately not used. Each plugin runs only on
documents (and, when its keyword is part of the token, only on lines) that contain one
of its lowercase keywords: that keeps the regexes off most files and, for the plugins whose
regex is shape-only (Discord, Telegram, Artifactory), adds the provider context
that keeps precision up. A match must stand alone (not inside a longer token) and be
random enough (entropy >= 3), which drops templates such as ``GR1348941`` + ``123123…``.
``kind`` names a kind in the provider's knowledge-base file (``sendgrid`` ``api_key``); the
plugin's ``secret_type`` is kept as the ``plugin`` fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.scanner.models import Candidate


@dataclass(frozen=True, slots=True)
class _Plugin:
    plugin: RegexBasedDetector
    provider: str
    kind: str  # a kind of the provider's knowledge-base file
    keywords: tuple[str, ...]
    # True when every match contains a keyword, so lines without one can be skipped;
    # False when the keywords are context (a provider name) that may sit on another line.
    in_token: bool = True
    group: int = 0  # the regex group that holds the secret
    drop_prefix: str = ""  # literal context the regex includes in its match
    accept: re.Pattern[str] | None = None  # extra shape the secret must have

    @property
    def secret_type(self) -> str:
        return str(self.plugin.secret_type)


_MIN_ENTROPY = 3.0  # below this a match is a template (``GR1348941`` + ``123123…``)
_ENTROPY = Base64HighEntropyString()

_PLUGINS = (
    _Plugin(SendGridDetector(), "sendgrid", "api_key", ("sg.",)),
    _Plugin(OpenAIDetector(), "openai", "api_key", ("t3blbkfj",)),
    _Plugin(NpmDetector(), "npm", "access_token", ("_authtoken",), group=1),
    _Plugin(PypiTokenDetector(), "pypi", "upload_token", ("pypi-age",)),
    _Plugin(GitLabTokenDetector(), "gitlab", "token", (
        "glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "gr1348941", "glcbt-", "glimt-",
        "glptt-", "glagent-", "gloas-")),
    _Plugin(DiscordBotTokenDetector(), "discord", "bot_token", ("discord",), in_token=False),
    _Plugin(TelegramBotTokenDetector(), "telegram", "bot_token", ("telegram",), in_token=False),
    # Keys end in ``-us`` and a datacenter digit (the plugin's own denylist regex,
    # ``[0-9a-z]{32}-us[0-9]{1,2}``): the bare ``-us`` of ``en-us``, ``-user``
    # and ``x-amz-user-agent`` selected thousands of lines the regex then ran on.
    _Plugin(MailchimpDetector(), "mailchimp", "api_key", tuple(f"-us{d}" for d in range(10))),
    # The encrypted-password form (AP[0-9A-F]…) matches ordinary words; require context.
    _Plugin(ArtifactoryDetector(), "artifactory", "credentials", ("artifactory", "jfrog"),
            in_token=False),
    _Plugin(AzureStorageKeyDetector(), "azure", "storage_account_key", ("accountkey=",),
            drop_prefix="AccountKey="),
    _Plugin(SquareOAuthDetector(), "square", "oauth_secret", ("sq0csp-",)),
)
# Context characters some regexes match around the secret (Artifactory's boundaries,
# npm's greedy ``_authToken=(npm_.+)``). ``=`` only leads: it trails as base64 padding.
_LEADING = "\"'`=: \t"
_TRAILING = "\"'`,;) \t\r"
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]")


_KEYWORDS = tuple(sorted({k for p in _PLUGINS for k in p.keywords}))
_INDEX = KeywordIndex(_KEYWORDS)


class DetectSecretsPluginsDetector:
    id = "detect-secrets"
    keywords = _KEYWORDS
    positives = (
        Sample("mail.py", 'SENDGRID_API_KEY = "SG.wXl8thQMTwqpgdSvNP8zKt.'
                          'U4QGp26B56NckPfyMQAMzGUhtA5S0KgeUaiScHDvN9b"\n'),
        Sample(".npmrc",
               "//registry.npmjs.org/:_authToken=npm_IRktavfFlRJcO676D2kg11pHaAjjXMy95qxU\n"),
        Sample(".gitlab-ci.yml", "variables:\n  GITLAB_TOKEN: glpat-VoC3QFzlvchDNzbfvxhF\n"),
        Sample("ai.ts", 'const k = "sk-proj-4KK29Le2RrOiaCciZqd3T3BlbkFJkqqO56jE9STQ0O0p7WE7";\n'),
    )
    negatives = (
        Sample("notes.md", "GitLab tokens start with glpat- and SendGrid ones with SG.\n"),
        Sample("ids.txt", "row AC91d20631f244b201762fac330ce3c54c (no provider context)\n"),
        Sample("app.py", 'LABEL = "APE1234567890"  # a label, no provider context\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # One pass for all plugins' keywords: ``in`` per keyword was 23 scans of the text.
        present = _INDEX.present_in(doc)
        for p in _PLUGINS:
            if present.isdisjoint(p.keywords):
                continue
            for line_start, line in _lines(doc, p):
                seen: set[str] = set()
                for column, secret in _matches(p, line):
                    if secret not in seen:
                        seen.add(secret)
                        yield Candidate(self.id, p.provider, p.kind, secret,
                                        doc.location(line_start + column),
                                        (("plugin", p.secret_type),))


def _lines(doc: Document, p: _Plugin) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` of the lines the plugin can match on, in document order."""
    if not p.in_token or len(doc.lowered) != len(doc.text):  # context, or odd Unicode
        offset = 0
        for line in doc.text.split("\n"):
            if not p.in_token or any(k in line.lower() for k in p.keywords):
                yield offset, line
            offset += len(line) + 1
        return
    starts: set[int] = set()
    for keyword in p.keywords:
        at = doc.lowered.find(keyword)
        while at != -1:  # one hit per line is enough: jump to the next line
            starts.add(doc.text.rfind("\n", 0, at) + 1)
            end = doc.text.find("\n", at)
            at = -1 if end == -1 else doc.lowered.find(keyword, end)
    for start in sorted(starts):
        end = doc.text.find("\n", start)
        yield start, doc.text[start:] if end == -1 else doc.text[start:end]


def _matches(p: _Plugin, line: str) -> Iterator[tuple[int, str]]:
    """``(column, secret)`` for each match of the plugin's regexes on one line.

    The plugins' ``denylist`` is used rather than ``analyze_string``: the latter returns
    ``findall`` groups, which for GitLab is the bare prefix (``glpat``), not the token.
    """
    for regex in p.plugin.denylist:
        for m in regex.finditer(line):
            raw = m.group(p.group) or ""
            secret = raw.lstrip(_LEADING).rstrip(_TRAILING).removeprefix(p.drop_prefix)
            if not secret:
                continue
            start = m.start(p.group) + raw.find(secret)
            # A fixed-length regex can match inside a longer token; that is not this token.
            before = line[start - 1:start] if start else ""
            after = line[start + len(secret):start + len(secret) + 1]
            if ((before.isascii() and before.isalnum()) or _TOKEN_CHARS.match(after)
                    or (p.accept is not None and not p.accept.search(secret))
                    or _ENTROPY.calculate_shannon_entropy(secret) < _MIN_ENTROPY):
                continue
            yield start, secret
