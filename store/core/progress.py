"""Long work says how far it is: a protocol the store's long loops report to, and a
reporter that says nothing. The front ends draw it (a bar on a terminal, plain lines in a
log); the store never prints."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a long loop tells whoever waits."""

    def begin(self, what: str, total: int | None) -> None:
        """A stage starts: ``what`` in Chinese, ``total`` items if known beforehand."""

    def advance(self, done: int) -> None:
        """``done`` more items are finished."""


class Silent:
    """Progress nobody watches."""

    def begin(self, what: str, total: int | None) -> None:
        pass

    def advance(self, done: int) -> None:
        pass


SILENT = Silent()
STEP = 1000  # items between two reports: often enough to see, rarely enough to cost nothing
