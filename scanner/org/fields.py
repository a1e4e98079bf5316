"""Typed access to a parsed JSON document that names what failed, never what it held.

Each :class:`Field` knows where it is (``paths[2].hops[0].label``), so a report that
does not fit the contract is refused with the field's position only: the report is a
hostile repository's, and its values may be crafted to forge a CI log line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from blastscan.scanner.errors import BlastscanError

_MAX_TEXT = 1 << 16  # a label or reason is a line; 64 KiB of one is not a report


@dataclass(frozen=True, slots=True)
class Field:
    value: Any
    where: str
    error: type[BlastscanError]

    def _fail(self, expected: str) -> BlastscanError:
        return self.error(f"{self.where or 'the document'}: expected {expected}")

    def _child(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str) -> Field:
        if not isinstance(self.value, dict):
            raise self._fail("an object")
        if key not in self.value:
            raise self.error(f"{self._child(key)}: missing")
        return Field(self.value[key], self._child(key), self.error)

    def optional(self, key: str) -> Field:
        """A field later versions added: absent reads as None (each accessor's default)."""
        if not isinstance(self.value, dict):
            raise self._fail("an object")
        return Field(self.value.get(key), self._child(key), self.error)

    def items(self) -> Iterator[Field]:
        if self.value is None:
            return
        if not isinstance(self.value, list):
            raise self._fail("a list")
        for index, item in enumerate(self.value):
            yield Field(item, f"{self.where}[{index}]", self.error)

    def text(self, *, allow_empty: bool = False, default: str | None = None) -> str:
        if self.value is None and default is not None:
            return default
        if (not isinstance(self.value, str) or (not self.value and not allow_empty)
                or len(self.value) > _MAX_TEXT):
            raise self._fail("a string" if allow_empty else "a non-empty string")
        return self.value

    def text_or_none(self) -> str | None:
        return None if self.value is None else self.text(allow_empty=True)

    def integer(self, *, default: int | None = None) -> int:
        if self.value is None and default is not None:
            return default
        if not isinstance(self.value, int) or isinstance(self.value, bool) or self.value < 0:
            raise self._fail("a non-negative integer")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self._fail("true or false")
        return self.value

    def boolean_or_none(self) -> bool | None:
        return None if self.value is None else self.boolean()

    def choice(self, allowed: Sequence[str]) -> str:
        if not isinstance(self.value, str) or self.value not in allowed:
            raise self._fail("one of " + ", ".join(allowed))
        return self.value
