"""What kind of call a knowledge-base operation name is, so the guard knows how to look.

The knowledge base names operations as a reader would meet them: a CLI (``railway
volume delete``), a SQL statement (``DROP DATABASE``), an HTTP route (``DELETE
/v2/volumes``), or an API, SDK or GraphQL identifier (``volumeDelete``,
``rds:DeleteDBInstance``, ``.delete()``). Standard library only: the guard imports it.
"""

from __future__ import annotations

import re
from enum import StrEnum


class NameKind(StrEnum):
    CLI = "cli"  # argv words: the program, then its sub-commands in order
    SQL = "sql"  # a statement anywhere in the command (psql -c, a heredoc, a pipe)
    HTTP = "http"  # METHOD /route: a request with that method to a URL with that route
    IDENTIFIER = "identifier"  # a word in what the command sends (a GraphQL body, code)


_METHODS = ("DELETE", "POST", "PUT", "PATCH", "GET")
_CLI = re.compile(r"[a-z][a-z0-9_.-]*( [a-z0-9:_.-][a-z0-9:_.=-]*| --?[a-z][a-z-]*)+")
_SQL = re.compile(r"[A-Z]+( [A-Z]+)*")


def classify(name: str) -> NameKind:
    if name.split(" ", 1)[0] in _METHODS and " " in name:
        return NameKind.HTTP
    if _SQL.fullmatch(name):
        return NameKind.SQL
    if _CLI.fullmatch(name):
        return NameKind.CLI
    return NameKind.IDENTIFIER


def cli_commands(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({n for n in names if classify(n) is NameKind.CLI}))
