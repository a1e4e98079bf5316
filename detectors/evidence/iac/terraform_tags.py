"""Terraform environment tags: what a module's resources say they are (issue 20).

``tags = { Environment = "production" }`` on a resource (AWS, Azure, DigitalOcean take
``tags``; Google ``labels``) and a provider's ``default_tags { tags = {…} }`` (registry.
terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block: "tags
… applied to all resources managed by this provider") name the environment of what the
module manages. They are target evidence for the credentials of that module: the key
that configures its provider, and any secret written inside a tagged block. Keys read are
those of :mod:`hints` (``Environment``, ``env``, ``stage``, ``tier``, any case); a
computed value (``var.env``, ``merge(…)``) proves nothing and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import hcl, hints
from blastscan.detectors.evidence.iac.model import TargetTag

# Terraform provider local names -> knowledge-base provider ids.
_PROVIDERS = {"aws": "aws", "google": "gcp", "google-beta": "gcp", "azurerm": "azure",
              "digitalocean": "digitalocean", "heroku": "heroku", "cloudflare": "cloudflare"}


def _provider(resource_type: str) -> str | None:
    return _PROVIDERS.get(resource_type.split("_", 1)[0])


def _tag(block: hcl.Block, key: str) -> tuple[str, str, str] | None:
    tags = block.attributes.get(key)
    return hints.tag(tags) if isinstance(tags, dict) else None


def collect(doc: Document, blocks: tuple[hcl.Block, ...]) -> Iterator[TargetTag]:
    for block in blocks:
        if block.type == "resource" and len(block.labels) == 2:
            provider = _provider(block.labels[0])
            found = _tag(block, "tags") or _tag(block, "labels")
            if provider is not None and found is not None:
                key, value, env = found
                yield TargetTag(doc.path, block.line, block.end_line or block.line,
                                ".".join(block.labels), provider, f"{key}={value}", env)
        elif block.type == "provider" and len(block.labels) == 1:
            provider = _PROVIDERS.get(block.labels[0])
            for defaults in block.children("default_tags"):
                found = _tag(defaults, "tags")
                if provider is not None and found is not None:
                    key, value, env = found
                    yield TargetTag(doc.path, defaults.line, block.end_line or block.line,
                                    f"provider {block.labels[0]} default_tags", provider,
                                    f"{key}={value}", env)
