"""``stripe-key``: Stripe secret, restricted and webhook signing keys.

The prefix carries both the key type and the mode (providers.md §7.1, §7.5): ``sk_``
secret key (full API access), ``rk_`` restricted key (per-resource permissions), and
``live_``/``test_`` — the most reliable environment signal of any provider, since test
keys "cannot take any live actions against the API". The regex is gitleaks'
``stripe-access-token`` widened to trufflehog's maximum length [GL], [TH:pkg/detectors/
stripe/stripe.go]. Publishable keys (``pk_live_``/``pk_test_``) are meant for browsers
and are never reported. Webhook signing secrets (``whsec_``, [KF:stripe.yml]) only
verify signatures and cannot call the API; they are reported so the resolver can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.names import assigned
from blastscan.scanner.models import Candidate

# gitleaks also accepts ``_prod_``; Stripe documents only live and test modes, so a
# ``prod`` key is treated as live (it can only be a live-mode key if it is real at all).
_KEY = re.compile(r"\b(sk|rk)_(live|test|prod)_[A-Za-z0-9]{10,247}\b")
_WEBHOOK = re.compile(r"\bwhsec_[A-Za-z0-9]{32,}\b")
_KINDS = {"sk": "secret_key", "rk": "restricted_key"}

_LIVE = "sk_live_LoXHtgxjwdW3LIB9WufDmuRX"
_RESTRICTED = "rk_test_XInHfq7vPYNbXvWovFydJqtQ"


class StripeKeyDetector:
    id = "stripe-key"
    keywords = ("sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk_prod_", "rk_prod_", "whsec_")
    positives = (
        Sample(".env.production", f"STRIPE_SECRET_KEY={_LIVE}\n"),
        Sample("billing.py", f'stripe.api_key = "{_RESTRICTED}"\n'),
        Sample("hook.env", "STRIPE_WEBHOOK_SECRET=whsec_iZvyprbFcRvG0PwY49Ll0imDlRKd5J9u\n"),
        Sample("pay.sh", f"curl https://api.stripe.com/v1/customers -u {_LIVE}:\n"),
    )
    negatives = (
        Sample(".env", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_pJJ2Rpqf2a9sKKy2IZwljsKJ\n"),
        Sample("docs.md",
               "curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:\n"),
        Sample("task.go", 'nonMatchingToken := "task_test_j3b5w272gczvagivyhyu8u588oxwbr"\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for m in _KEY.finditer(doc.text):
            mode = "test" if m.group(2) == "test" else "live"
            yield self._candidate(doc, m.start(), m.group(0), _KINDS[m.group(1)],
                                  [("mode", mode)])
        for m in _WEBHOOK.finditer(doc.text):
            yield self._candidate(doc, m.start(), m.group(0), "webhook_secret", [])

    def _candidate(self, doc: Document, offset: int, secret: str, kind: str,
                   facts: list[tuple[str, str]]) -> Candidate:
        assignment = assigned(doc, offset)
        if assignment is not None:
            facts.append(("name", assignment.name))
        return Candidate(self.id, "stripe", kind, secret, doc.location(offset),
                         tuple(sorted(facts)))
