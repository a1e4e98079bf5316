"""``blastscan providers``: the provider knowledge base as text or JSON.

A pure ``providers -> str`` reporter like the scan reporters. Text goes through rich
into a string (no terminal probing, so output is the same everywhere); JSON is sorted
and indented so that it diffs cleanly. Only knowledge-base facts are shown, never
anything from a scanned repository.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text

from blastscan.detectors.knowledge.loader import Provider
from blastscan.detectors.knowledge.sources import urls


def render_providers(providers: Iterable[Provider], fmt: str = "text", width: int = 100,
                     catalog: str | None = None) -> str:
    """``catalog``: one line on the vendor-token catalog (its rules, or why it is absent)."""
    ordered = sorted(providers, key=lambda p: p.id)
    if fmt == "json":
        extra = {} if catalog is None else {"catalog": catalog}
        return json.dumps({"providers": [_as_dict(p) for p in ordered], **extra}, indent=2,
                          sort_keys=True) + "\n"
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, height=25, force_terminal=False,
                      force_jupyter=False, color_system=None, no_color=True,
                      legacy_windows=False, emoji=False, highlight=False, _environ={})
    for p in ordered:
        console.print(Text(f"{p.name} ({p.id})", style="bold"))
        for kind in p.kinds:
            env = ", environment-scoped" if kind.environment_scoped else ""
            ops = ", ".join(_op_label(p, o) for o in kind.operations) or "none known"
            console.print(Text(f"  {kind.id} [{kind.scope.value}{env}]: {ops}"))
        if p.backups:
            console.print(Text(f"  backups: {p.backups}"))
        console.print(Text(f"  uncertain facts: {p.uncertain_count}"))
        cited = provider_urls(p)
        # URLs, not the research notes the sources were compiled in: those are not shipped.
        console.print(Text("  sources:" + ("" if cited else " no public URL recorded (UNCERTAIN)")))
        for url in cited:
            console.print(Text(f"    {url}"), overflow="ignore", crop=False)
        console.print()
    console.print(Text(f"{len(ordered)} providers"))
    if catalog is not None:
        console.print(Text(catalog))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def provider_urls(p: Provider) -> tuple[str, ...]:
    """Every URL the provider's entries cite, in file order, each once."""
    texts = [p.source, p.backups_source, *(k.source for k in p.kinds),
             *(o.source for o in p.operations), *(f.source for f in p.formats)]
    return tuple(dict.fromkeys(url for text in texts for url in urls(text)))


def _op_label(p: Provider, op_id: str) -> str:
    op = p.operation(op_id)
    return f"{op.id.removeprefix(p.id + '.')} ({op.names[0]})"


def _as_dict(p: Provider) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "source": p.source, "urls": list(provider_urls(p)),
        "variables": list(p.variables), "hosts": list(p.hosts), "headers": list(p.headers),
        "backups": p.backups, "backups_source": p.backups_source,
        "uncertain_facts": p.uncertain_count,
        "kinds": [{"id": k.id, "scope": k.scope.value,
                   "environment_scoped": k.environment_scoped,
                   "operations": list(k.operations), "why": k.why, "source": k.source,
                   "uncertain": k.uncertain} for k in p.kinds],
        "operations": [{"id": o.id, "resource": o.resource, "destructive": o.destructive,
                        "backups_in_blast_radius": o.backups_in_blast_radius,
                        "names": list(o.names), "why": o.why, "source": o.source,
                        "uncertain": o.uncertain} for o in p.operations],
        "formats": [{"label": f.label, "kind": f.kind, "regex": f.pattern,
                     "keywords": list(f.keywords), "context": f.context, "source": f.source,
                     "uncertain": f.uncertain} for f in p.formats],
    }
