"""Sources as URLs (issue 21): ``blastscan providers`` cited providers.md, which is not shipped.

``data/sources.toml`` turns each source tag into a public URL; every tag the knowledge base
cites must be in it, and the providers listing prints URLs, never the notes' file name.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from blastscan.detectors.knowledge import sources
from blastscan.detectors.knowledge.loader import load
from blastscan.reports.providers import provider_urls, render_providers
from blastscan.scanner.cli.main import app

runner = CliRunner()


def test_tags_inline_and_bare_urls_resolve_in_order() -> None:
    text = ("DeleteDBInstance docs.aws.amazon.com/cli/latest/reference/rds/delete-db-instance.html;"
            " [RW-DOCS:content/docs/volumes/backups.md]; providers.md §2.5;"
            " https://stripe.com/docs/keys (restricted keys); [GL:aws-access-token]")
    assert sources.urls(text) == (
        "https://docs.aws.amazon.com/cli/latest/reference/rds/delete-db-instance.html",
        "https://github.com/railwayapp/docs/blob/c2a634f1/content/docs/volumes/backups.md",
        "https://stripe.com/docs/keys",
        "https://github.com/gitleaks/gitleaks/blob/b58d3f10/config/gitleaks.toml",
    )


def test_notes_references_unknown_tags_and_odd_paths_give_no_url() -> None:
    assert sources.urls("providers.md §1.6") == ()
    assert sources.urls("[NOPE:x] [RW-DOCS:../../etc/passwd] [RW-DOCS]") == ()
    assert sources.urls(None) == ()


def test_every_tag_the_knowledge_base_cites_is_defined() -> None:
    known = sources.tags()
    cited = set()
    for provider in load().values():
        texts = [provider.source, provider.backups_source,
                 *(k.source for k in provider.kinds), *(o.source for o in provider.operations),
                 *(f.source for f in provider.formats)]
        cited |= {m.group(1) for t in texts if t for m in sources._TAG.finditer(t)}
    assert cited, "the provider files cite tags"
    assert cited <= set(known), sorted(cited - set(known))
    assert all(tag.url.startswith("https://") for tag in known.values())


def test_providers_prints_urls_not_the_unshipped_notes() -> None:
    text = render_providers(load().values())
    assert "providers.md" not in text
    railway = text.split("Railway (railway)", 1)[1].split("\n\n", 1)[0]
    assert "https://github.com/railwayapp/docs/blob/c2a634f1/content/docs/volumes/backups.md" \
        in railway
    assert "https://blog.railway.com/p/your-ai-wants-to-nuke-your-database" in railway
    without = [p for p in load().values() if not provider_urls(p)]
    assert text.count("no public URL recorded (UNCERTAIN)") == len(without)


def test_providers_json_carries_the_urls() -> None:
    done = runner.invoke(app, ["providers", "--format", "json"])
    assert done.exit_code == 0
    data = {p["id"]: p for p in json.loads(done.output)["providers"]}
    assert data["railway"]["urls"] == list(provider_urls(load()["railway"]))
    assert "https://docs.stripe.com/api/customers/delete" in data["stripe"]["urls"]
