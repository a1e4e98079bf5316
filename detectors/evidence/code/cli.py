"""Normalize destructive CLI invocations to stable command words.

``kubectl -n prod delete ns/app`` becomes ``kubectl delete namespace``; the resolver
and the knowledge base match on these strings (providers.md §1.5, §5.4, §8.3, §10.3).
Flags are skipped, and so are the values of flags known to take one, so that
``-n prod`` is not read as a sub-command.
"""

from __future__ import annotations

_VALUED = frozenset({
    "-n", "--namespace", "--context", "--kubeconfig", "-l", "--selector", "-f", "--filename",
    "-o", "--output", "-e", "--environment", "-s", "--service", "-p", "--project",
    "--profile", "--region", "--endpoint-url", "-R", "--repo", "-a", "--app", "-t",
    "--access-token", "--kube-context", "--scope", "--token", "--project-ref", "-c", "--config",
})
_KUBE_ALIASES = {
    "ns": "namespace", "namespaces": "namespace", "pvc": "pvc", "persistentvolumeclaim": "pvc",
    "persistentvolumeclaims": "pvc", "pv": "pv", "persistentvolume": "pv",
    "persistentvolumes": "pv", "sts": "statefulset", "statefulsets": "statefulset",
    "deploy": "deployment", "deployments": "deployment", "svc": "service",
    "services": "service", "po": "pod", "pods": "pod", "secrets": "secret",
}
_RAILWAY_PAIRS = frozenset({("volume", "delete"), ("service", "delete"),
                            ("environment", "delete"), ("project", "delete")})
_DESTROY = frozenset({"delete", "rm", "rb", "destroy", "remove", "uninstall"})


def flag(words: list[str], names: tuple[str, ...]) -> str | None:
    """The value of the first of ``names`` (``-X DELETE``, ``-XDELETE``, ``--x=v``)."""
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(name + "=") or (len(name) == 2 and word.startswith(name)
                                                and len(word) > 2 and word[2] != "-"):
                return word[len(name) + 1:] if "=" in word[:len(name) + 1] else word[2:]
    return None


def positional(words: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _VALUED
        else:
            out.append(word.lower())
    return out


def commands(tool: str, words: list[str]) -> list[str]:
    """Normalized command words for ``tool`` with ``words`` (empty when not of interest)."""
    pos = positional(words)
    head = tuple(pos[:2])
    if tool == "railway" and pos:
        return [f"railway {' '.join(head)}" if head in _RAILWAY_PAIRS else f"railway {pos[0]}"]
    if tool == "kubectl" and pos[:1] == ["delete"]:
        resource = pos[1].split("/")[0] if len(pos) > 1 else ""
        return [f"kubectl delete {_KUBE_ALIASES.get(resource, resource)}".strip()]
    if tool == "helm" and pos[:1] and pos[0] in ("uninstall", "delete", "del", "un"):
        return ["helm uninstall"]
    if tool == "terraform" and (pos[:1] == ["destroy"] or (
            pos[:1] == ["apply"] and "-destroy" in words)):
        return ["terraform destroy"]
    if tool in ("gh", "supabase") and len(pos) >= 2 and pos[1] in _DESTROY | {"reset"}:
        return [f"{tool} {pos[0]} {pos[1]}"]
    if tool == "vercel" and pos[:1] and pos[0] in ("remove", "rm"):
        return ["vercel remove"]
    if tool == "aws" and len(pos) >= 2 and (pos[1].startswith(("delete-", "terminate-", "remove-"))
                                           or (pos[0] == "s3" and pos[1] in ("rm", "rb"))):
        return [f"aws {pos[0]} {pos[1]}"]
    if tool == "heroku" and pos[:1] and pos[0] in ("apps:destroy", "destroy", "pg:reset"):
        return ["heroku pg:reset" if pos[0] == "pg:reset" else "heroku apps:destroy"]
    if tool in ("fly", "flyctl") and "destroy" in pos[:2]:
        return ["fly " + " ".join(pos[:pos.index("destroy") + 1])]
    if tool == "doctl" and "delete" in pos:
        return ["doctl " + " ".join(pos[:pos.index("delete") + 1])]
    return []
