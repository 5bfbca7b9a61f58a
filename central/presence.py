"""Which seats the server has heard from lately, for the supervisors' watch: every pull
marks its seat (seats pull every few seconds), and each pull's answer carries how many
seats were seen in the last five minutes. Kept in memory — a restarted server knows again
within one sync interval — and counted again at most every few seconds, so a pull served
from memory stays cheap."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WINDOW_SECONDS = 300.0
RECOUNT_SECONDS = 5.0


class Presence:
    """The seats seen within :data:`WINDOW_SECONDS`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._last: dict[str, float] = {}
        self._count = (0, -RECOUNT_SECONDS)
        self._lock = threading.Lock()

    def saw(self, device_id: str) -> int:
        """Mark ``device_id`` as seen now; the seats seen lately, this one included."""
        now = self._clock()
        with self._lock:
            new = device_id not in self._last
            self._last[device_id] = now
            count, counted_at = self._count
            if new or now - counted_at >= RECOUNT_SECONDS:
                since = now - WINDOW_SECONDS
                self._last = {d: t for d, t in self._last.items() if t >= since}
                count = len(self._last)
                self._count = (count, now)
            return count
