"""One error hierarchy for blastscan.

The library raises these and never exits; ``cli.py`` is the single place that turns
them into a one-line message and exit status 2.
"""

from __future__ import annotations


class BlastscanError(Exception):
    """Base class: every error blastscan raises on purpose explains itself."""

    exit_code = 2

    def explain(self) -> str:
        """One line for the user; never contains a secret."""
        return str(self)


class UsageError(BlastscanError):
    """A bad option or combination of options."""


class TargetError(BlastscanError):
    """The scan target is missing, not a directory, or unreadable."""


class OutputError(BlastscanError):
    """The report could not be written where the user asked."""


class KnowledgeError(BlastscanError):
    """A provider knowledge file is malformed (a packaging or editing bug)."""


class HistoryError(BlastscanError):
    """Git history could not be read: no ``git``, a bad revision or a broken repository."""


class ConfigError(BlastscanError):
    """A configuration file or ``BLASTSCAN_*`` variable has an unknown key or a bad value.

    The message always names the key and where it came from (the file, or the variable).
    """


class MergeError(BlastscanError):
    """Reports that cannot be merged: fingerprints under different keys, clashing names."""


class BaselineError(BlastscanError):
    """A baseline file is missing, malformed, or would lose its justifications."""


class Unparseable(BlastscanError):
    """A scanned file a parser could not finish: an alias bomb, nesting past the stack,
    memory exhausted. Raised by the parser calls and caught per file by the file pass,
    which counts the file as ``unparseable`` (never a crash, never a silent empty result).

    The message names the parser and the problem, never a value read from the file.
    """


class CatalogError(BlastscanError):
    """The vendor-token catalog (the installed betterleaks binary's rules) could not be
    read. Never fatal: the catalog detector is then empty and says why."""


class ReportError(BlastscanError):
    """A saved JSON report (``blastscan report FILE``, or an input of ``blastscan merge``) is
    unreadable, too large, or not a schema_version 1 report. The message names the field,
    never a value read from it."""


class FenceError(BlastscanError):
    """A fence file or an agent file ``blastscan fence`` would merge into is malformed,
    too large, or reached through a symlink: refused, never guessed at or overwritten."""
