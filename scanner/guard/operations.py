"""Does a command run a destructive operation the scan found reachable?

The names come from the fence (the knowledge base's names for each fenced operation),
matched by kind (:mod:`blastscan.scanner.fence.names`): a CLI by its argv words in order
(``kubectl -n prod delete namespace prod`` is ``kubectl delete namespace``), SQL by its
keywords anywhere (multi-word statements case-insensitively; a lone keyword such as
``FLUSHALL`` only in capitals, so ``truncate -s 0 log`` is not ``TRUNCATE``), and an API
identifier (``volumeDelete``) or HTTP route only when the command sends something: a
network client, ``gh api``, or an interpreter running inline code.
"""

from __future__ import annotations

import re

from blastscan.scanner.fence.model import Fence, FencedCredential, FencedOperation
from blastscan.scanner.fence.names import NameKind, classify
from blastscan.scanner.guard.shell import Simple

_NETWORK = frozenset({"curl", "wget", "http", "https", "xh", "httpie", "grpcurl", "nc", "ncat",
                      "socat", "websocat", "aws", "gcloud", "az"})
_INTERPRETERS = frozenset({"python", "python3", "node", "deno", "bun", "ruby", "perl", "php"})
_INLINE = frozenset({"-c", "-e", "--eval", "-r", "eval", "-p", "--print"})

Found = tuple[str, FencedOperation, FencedCredential]


class Operations:
    def __init__(self, fence: Fence) -> None:
        self._cli: list[tuple[tuple[str, ...], str, FencedOperation, FencedCredential]] = []
        self._text: list[tuple[re.Pattern[str], bool, str, FencedOperation,
                               FencedCredential]] = []
        for cred in fence.credentials:
            for op in cred.operations:
                for name in op.names:
                    self._add(name, op, cred)
        # The most specific name first: ``railway volume delete`` before ``railway delete``.
        self._cli.sort(key=lambda item: (-len(item[0]), item[1]))

    def _add(self, name: str, op: FencedOperation, cred: FencedCredential) -> None:
        kind = classify(name)
        if kind is NameKind.CLI:
            self._cli.append((tuple(name.split()), name, op, cred))
        elif kind is NameKind.SQL:
            words = r"\s+".join(re.escape(w) for w in name.split())
            flags = re.IGNORECASE if " " in name else 0
            self._text.append((re.compile(rf"\b{words}\b", flags), False, name, op, cred))
        elif kind is NameKind.HTTP:
            method, _, route = name.partition(" ")
            literal = re.split(r"[{:]", route, maxsplit=1)[0] if route[:1] == "/" else route
            if len(literal) > 2:
                self._text.append((re.compile(
                    rf"(?:-X\s*|--request[=\s]+|--method[=\s]+|\b(?:https?|xh)\s+)['\"]?{method}"
                    rf"\b.*{re.escape(literal)}|{re.escape(literal)}.*(?:-X\s*|--request[=\s]+)"
                    rf"['\"]?{method}\b", re.DOTALL), True, name, op, cred))
        else:
            left = r"(?<![A-Za-z0-9_])" if name[:1].isalnum() or name[:1] == "_" else ""
            right = r"(?![A-Za-z0-9_])" if name[-1:].isalnum() or name[-1:] == "_" else ""
            self._text.append((re.compile(left + re.escape(name) + right), True, name, op,
                               cred))

    def in_command(self, command: str, simples: tuple[Simple, ...]) -> Found | None:
        for simple in simples:
            for words, name, op, cred in self._cli:
                if simple.program == words[0] and _in_order(words[1:], simple.argv[1:]):
                    return name, op, cred
        return self.in_text(command, sender=any(_sends(s) for s in simples))

    def in_text(self, text: str, sender: bool) -> Found | None:
        for pattern, needs_sender, name, op, cred in self._text:
            if (sender or not needs_sender) and pattern.search(text):
                return name, op, cred
        return None


def _in_order(wanted: tuple[str, ...], argv: tuple[str, ...]) -> bool:
    remaining = iter(argv)
    return all(any(word == arg for arg in remaining) for word in wanted)


def _sends(simple: Simple) -> bool:
    program, args = simple.program, simple.argv[1:]
    if program in _NETWORK or (program == "gh" and args[:1] == ("api",)):
        return True
    base = program.rstrip("0123456789.")
    return (program in _INTERPRETERS or base in _INTERPRETERS) and bool(_INLINE & set(args))
