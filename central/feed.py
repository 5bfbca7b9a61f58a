"""The tail of the log in memory, as ready-made JSON, for pulls.

Every accepted event goes to every seat that reads its stream: at 1,000 seats one push
becomes 1,000 deliveries. Each event is therefore encoded once, when it is logged (the
``wire`` column), and the newest ones are kept here in server order, so a seat that is
nearly caught up — nearly all of them — is answered without a query and without encoding
anything again. A seat further behind, or anything this process did not write itself
(another server process), is read from the database instead.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

TAIL_EVENTS = 20_000
TAIL_BYTES = 64 * 1024 * 1024  # and never more than this much of their JSON


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    stream: str
    wire: str  # the event's JSON, as sent to seats


class Tail:
    """The newest logged events, contiguous in server order (no gaps, or it is emptied)."""

    def __init__(self, size: int = TAIL_EVENTS, max_bytes: int = TAIL_BYTES):
        self._entries: deque[Entry] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()

    def extend(self, entries: list[Entry]) -> None:
        """Add events just committed, in order. A gap (events written elsewhere) empties the
        tail: it must never pretend to hold what it does not. The oldest go first when the
        tail holds too many events, or too many bytes of them."""
        with self._lock:
            for entry in entries:
                if self._entries and entry.seq != self._entries[-1].seq + 1:
                    self._entries.clear()
                    self._bytes = 0
                self._entries.append(entry)
                self._bytes += len(entry.wire)
                while self._entries and (
                    len(self._entries) > self._size or self._bytes > self._max_bytes
                ):
                    self._bytes -= len(self._entries.popleft().wire)

    def read(self, start: dict[str, int], limit: int) -> tuple[list[Entry], bool] | None:
        """Events after each stream's cursor, at most ``limit`` (and whether there are
        more); ``None`` if the tail does not reach back to the oldest cursor.

        What it returns is always a gap-free prefix of the log after the cursors: the tail
        only ever holds committed events, contiguous from its first to its last.
        """
        low = min(start.values())
        with self._lock:
            if not self._entries or self._entries[0].seq > low + 1:
                return None
            newer: list[Entry] = []
            for entry in reversed(self._entries):  # a caught-up seat wants only the last few
                if entry.seq <= low:
                    break
                newer.append(entry)
        out: list[Entry] = []
        for entry in reversed(newer):
            cursor = start.get(entry.stream)
            if cursor is None or entry.seq <= cursor:
                continue
            if len(out) == limit:
                return out, True
            out.append(entry)
        return out, False
