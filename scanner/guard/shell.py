"""Split a shell command into simple commands (argv lists), the way a reader of it would.

Not a shell: no expansion and no execution. ``shlex`` in punctuation mode separates
``;``, ``&&``, ``||``, ``|``, ``&``, parentheses and redirections; a newline ends a
command too; ``$(...)`` and backquotes open a nested command, which is split as well.
``bash -c STRING`` and wrappers (``sudo``, ``env A=b``, ``timeout 5``, ``xargs``, ...)
are unwrapped so that the real program is ``argv[0]``. A command shlex cannot split (an
unclosed quote) falls back to whitespace words: the guard still sees every word.
"""

from __future__ import annotations

import re
import shlex
from typing import NamedTuple

_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "|&", ";;", "(", ")", "\n", "`", "$("})
_REDIRECTS = frozenset({"<", ">", ">>", "<<", "<<<", ">&", "<&", "&>", "&>>", ">|", "<>"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish"})
_WRAPPERS = frozenset({"sudo", "doas", "env", "time", "nohup", "nice", "ionice", "command",
                       "exec", "builtin", "xargs", "timeout", "stdbuf", "strace", "watch"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_MAX_DEPTH = 4
_MAX_WORDS = 20_000
# shlex is pure Python (about a microsecond a character): past this a command is split on
# whitespace instead, which still shows the guard every word, only not quote-aware.
_MAX_SHLEX = 16 * 1024


class Simple(NamedTuple):  # not a dataclass: see fence.model on start-up time
    argv: tuple[str, ...]  # after unwrapping; argv[0] is the program as written
    redirects: tuple[str, ...]  # files named by < > >> ...

    @property
    def program(self) -> str:
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""


def split(command: str, depth: int = 0) -> tuple[Simple, ...]:
    words = _words(command.replace("$(", " $( ").replace("`", " ` "))
    found: list[Simple] = []
    argv: list[str] = []
    redirects: list[str] = []
    pending_redirect = False
    for word in words:
        if word in _SEPARATORS:
            found.extend(_finish(argv, redirects, depth))
            argv, redirects = [], []
        elif word in _REDIRECTS:
            pending_redirect = True
        elif pending_redirect:
            redirects.append(word)
            pending_redirect = False
        else:
            argv.append(word)
    found.extend(_finish(argv, redirects, depth))
    return tuple(found)


def _words(command: str) -> list[str]:
    if len(command) > _MAX_SHLEX:
        return command.split()[:_MAX_WORDS]
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()<>\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        for word in lexer:
            words.append(word)
            if len(words) >= _MAX_WORDS:
                break
    except ValueError:  # an unclosed quote: every whitespace word still counts
        return command.split()[:_MAX_WORDS]
    return words


def _finish(argv: list[str], redirects: list[str], depth: int) -> list[Simple]:
    words = _unwrap(argv)
    if (depth < _MAX_DEPTH and len(words) >= 3 and words[0].rsplit("/", 1)[-1] in _SHELLS
            and words[1].startswith("-") and "c" in words[1]):
        return [Simple(tuple(words), tuple(redirects)), *split(words[2], depth + 1)]
    nested = [inner for word in words if depth < _MAX_DEPTH and ("$(" in word or "`" in word)
              for inner in split(word.split("$(", 1)[-1].replace("`", " ", 1), depth + 1)]
    if not words and not redirects:
        return nested
    return [Simple(tuple(words), tuple(redirects)), *nested]


def _unwrap(argv: list[str]) -> list[str]:
    """Drop leading ``VAR=value`` words and wrapper programs with their options."""
    words = list(argv)
    while words:
        head = words[0].rsplit("/", 1)[-1]
        if _ASSIGNMENT.match(words[0]):
            words.pop(0)
        elif head in _WRAPPERS and len(words) > 1:
            words.pop(0)
            while words and (words[0].startswith("-") or _ASSIGNMENT.match(words[0])
                             or (head == "timeout" and words[0][:1].isdigit())):
                words.pop(0)
        else:
            break
    return words
