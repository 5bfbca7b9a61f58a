"""Long work says how far it is: a protocol the store's long loops report to, and a
reporter that says nothing. The front ends draw it (a bar on a terminal, plain lines in a
log); the store never prints."""

from __future__ import annotations

import time
from typing import Protocol, TextIO


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

LINE_EVERY_S = 5.0  # plain lines: one this often, and one at the end of each stage


class Lines:
    """Plain lines on ``stream``: 重放事件 12000/37132（9800 个/秒，约剩 3 秒）."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.what, self.total, self.done = "", None, 0
        self.started = self.said = time.monotonic()

    def begin(self, what: str, total: int | None) -> None:
        self.close()
        self.what, self.total, self.done = what, total, 0
        self.started = self.said = time.monotonic()

    def advance(self, done: int) -> None:
        self.done += done
        if time.monotonic() - self.said >= LINE_EVERY_S:
            self._say()

    def close(self) -> None:
        """Say where the stage ended (at the end of the work)."""
        self._say()

    def _say(self) -> None:
        if not self.what:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        left = ""
        if self.total and rate > 0 and self.done < self.total:
            left = f"，约剩 {(self.total - self.done) / rate:.0f} 秒"
        print(f"{self.what} {count}（{rate:.0f} 个/秒{left}）", file=self.stream, flush=True)
        self.said = time.monotonic()
