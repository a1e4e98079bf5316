"""Shell (bash/zsh/sh, and ``run:`` blocks embedded in workflows): CLI and curl evidence.

A command line tells the resolver three things: which destructive CLI verb runs
(``railway volume delete``, ``kubectl delete namespace``), which credential variables it
sees (``RAILWAY_TOKEN=$T railway up`` names both), and for curl which header, host and
method it sends. ``T=$RAILWAY_TOKEN`` is an alias, as in the other languages.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator

from tree_sitter import Node, Query, QueryCursor, Tree

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import cli, evidence, stores
from blastscan.detectors.evidence.code.nodes import Emitter, may_name_operation, text
from blastscan.detectors.evidence.code.parsers import language, parse
from blastscan.scanner.models import Usage

_QUERY = r"""
(variable_assignment name: (variable_name) @name value: (_) @value)
(command name: (command_name) @cmd) @command
([(string) (raw_string) (heredoc_body)] @str (#match? @str "(?i)mutation|drop|truncate|delete"))
"""
_HTTP = frozenset({"curl", "wget"})


@functools.cache
def _query() -> Query:
    return Query(language("bash"), _QUERY)


def usages(tree: Tree, doc: Document, line_offset: int = 0) -> Iterator[Usage]:
    out = Emitter(doc, line_offset)
    for pattern, caps in QueryCursor(_query()).matches(tree.root_node):
        if pattern == 0:
            source = evidence.single_ref(text(caps["value"][0]))
            if source is not None:
                out.add(caps["name"][0], "alias", source, (text(caps["name"][0]),))
        elif pattern == 1:
            _command(out, caps["command"][0])
        elif pattern == 2 and may_name_operation(caps["str"][0]):
            command = _enclosing_command(caps["str"][0])
            out.strings(caps["str"][0], _command_names(command) if command else ())
    return out.sorted()


def embedded(script: str, first_line: int, doc: Document) -> Iterator[Usage]:
    """Usages of a shell snippet that starts on ``first_line`` of ``doc``."""
    tree = parse("bash", script.encode("utf-8", "replace"))
    return usages(tree, doc, first_line - 1) if tree is not None else iter(())


def _word(node: Node) -> str:
    raw = text(node)
    return raw.replace('"', "").replace("'", "") if node.type != "word" else raw


def _command_names(command: Node) -> tuple[str, ...]:
    """Variables the command sees: its ``X=...`` prefixes and every ``$X`` it expands."""
    names: list[str] = []
    for child in command.named_children:
        if child.type == "variable_assignment":
            names.append(text(child.child_by_field_name("name")))
        names.extend(evidence.refs(text(child)))
    return tuple(names)


def _enclosing_command(node: Node) -> Node | None:
    current = node.parent
    for _ in range(4):
        if current is None or current.type == "command":
            return current
        current = current.parent
    return None


# Flags whose value names what the command acts on: the app, namespace, cluster or project
# (heroku/fly ``-a``, kubectl/helm ``-n``/``--context``, gcloud ``--project``, supabase
# ``--project-ref``). Their names are target evidence, not labels of a file.
_TARGET_FLAGS: dict[str, tuple[str, ...]] = {
    "heroku": ("-a", "--app"), "fly": ("-a", "--app"), "flyctl": ("-a", "--app"),
    "kubectl": ("-n", "--namespace", "--context"), "helm": ("-n", "--namespace",
                                                           "--kube-context"),
    "gcloud": ("--project",), "supabase": ("--project-ref",),
}
# What each flag's value is, kept in the usage (``namespace=prod``) so the report can say
# "namespace prod" rather than "the target prod".
_TARGET_NOUNS = {"-a": "app", "--app": "app", "-n": "namespace", "--namespace": "namespace",
                 "--context": "context", "--kube-context": "context", "--project": "project",
                 "--project-ref": "project"}


def _command(out: Emitter, command: Node) -> None:
    args = list(command.children_by_field_name("argument"))
    tool = os.path.basename(text(command.child_by_field_name("name")))
    while tool in ("sudo", "npx", "exec", "command", "bunx") and args:
        tool, args = os.path.basename(_word(args[0])), args[1:]
    names = _command_names(command)
    words = [_word(a) for a in args]
    if tool in _HTTP:
        _http(out, command, args, words, names)
        return
    for value in cli.commands(tool, words):
        out.add(command, "cli", value, names)
    for kind, value in stores.references(tool, words):  # Vault paths, Doppler configs
        out.add(command, kind, value, names)
    if tool == "railway" and (env := cli.flag(words, ("-e", "--environment"))):
        out.add(command, "environment", env.lower(), names)
    for flag in _TARGET_FLAGS.get(tool, ()):  # ``-a orders-prod`` (issue 20)
        if target := cli.flag(words, (flag,)):
            out.add(command, "target", f"{_TARGET_NOUNS[flag]}={target.lower()}", names)


def _http(out: Emitter, command: Node, args: list[Node], words: list[str],
          names: tuple[str, ...]) -> None:
    carries = any(evidence.CREDENTIAL_LIKE.search(n) for n in names)
    for i, word in enumerate(words):
        node, nxt = args[i], words[i + 1] if i + 1 < len(words) else ""
        header = (nxt if word in ("-H", "--header") else word[2:] if word.startswith("-H")
                  else word.split("=", 1)[1] if word.startswith("--header=") else None)
        if header is not None and ":" in header:
            name, value = header.split(":", 1)
            if evidence.is_header(name):
                carries = True
                out.add(node, "header", evidence.header_value(name, value),
                        evidence.refs(value))
        elif word in ("-u", "--user") or word.startswith("--user="):
            carries = True
            credential = nxt if "=" not in word else word.split("=", 1)[1]
            out.add(node, "header", "authorization: basic", evidence.refs(credential))
        elif word == "--oauth2-bearer":
            carries = True
            out.add(node, "header", "authorization: bearer", evidence.refs(nxt))
    method = cli.flag(words, ("-X", "--request", "--method")) or ""
    for word in (w for w in words if "://" in w):
        if method.upper() == "DELETE":
            out.add(command, "operation", evidence.delete_value(word), names)
        if carries:
            for _, host, _path in evidence.urls(word):
                out.add(command, "host", host, names)
