"""The call indicators (话务指标) of a period, over the calls offered in it.

- a call belongs to the period it was offered in (entered the queue);
- a call counts once it has an outcome — answered at a seat, or abandoned by the caller
  while waiting; a call still waiting is not yet counted either way;
- **接通率** (answer rate): answered / (answered + abandoned);
- **15 秒接通率** (GB/T 33358): answered within 15 seconds of entering the queue /
  (answered + abandoned);
- **平均等待时长**: seconds from entering the queue to the answer, over the answered calls;
- **放弃**: calls the caller hung up on before an answer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

WITHIN_S = 15  # the answer-speed threshold of 15 秒接通率

_COUNTS = f"""
SELECT
  coalesce(sum(answered_at IS NOT NULL OR abandoned_at IS NOT NULL), 0),
  coalesce(sum(answered_at IS NOT NULL), 0),
  coalesce(sum(answered_at IS NOT NULL AND answer_wait_s <= {WITHIN_S}), 0),
  coalesce(sum(answered_at IS NULL AND abandoned_at IS NOT NULL), 0),
  coalesce(sum(CASE WHEN answered_at IS NOT NULL THEN answer_wait_s END), 0)
FROM calls WHERE offered_at >= ? AND offered_at < ?
"""


@dataclass(frozen=True, slots=True)
class CallCounts:
    """The counts of a period's calls the call indicators are made of."""

    offered: int  # with an outcome: answered or abandoned
    answered: int
    answered_within_15s: int
    abandoned: int
    wait_seconds: int  # summed over the answered

    @property
    def answer_rate(self) -> float | None:
        """接通率: answered / offered."""
        return self.answered / self.offered if self.offered else None

    @property
    def answered_within_15s_rate(self) -> float | None:
        """15 秒接通率: answered within 15 s / offered."""
        return self.answered_within_15s / self.offered if self.offered else None

    @property
    def mean_wait_seconds(self) -> float | None:
        """平均等待时长 in seconds, over the answered."""
        return self.wait_seconds / self.answered if self.answered else None

    def as_json(self) -> dict[str, int]:
        """The counts by name."""
        return {
            "offered": self.offered,
            "answered": self.answered,
            "answered_within_15s": self.answered_within_15s,
            "abandoned": self.abandoned,
        }


def call_counts(conn: sqlite3.Connection, bounds: tuple[str, str]) -> CallCounts:
    """The counts over the calls offered from ``bounds[0]`` up to ``bounds[1]`` (stored times)."""
    return CallCounts(*conn.execute(_COUNTS, bounds).fetchone())


NONE = CallCounts(0, 0, 0, 0, 0)


def _grouped(conn: sqlite3.Connection, bounds: tuple[str, str], key: str) -> dict:
    sql = _COUNTS.replace("SELECT", f"SELECT {key},", 1) + " GROUP BY 1"
    return {k: CallCounts(*rest) for k, *rest in conn.execute(sql, bounds)}


def by_hour(conn: sqlite3.Connection, bounds: tuple[str, str]) -> list[CallCounts]:
    """The counts for each hour of the day 0–23, over the calls offered within ``bounds``
    (a day's hours, or a month's added up hour by hour)."""
    hours = _grouped(conn, bounds, "CAST(substr(offered_at, 12, 2) AS INTEGER)")
    return [hours.get(h, NONE) for h in range(24)]


def by_day(conn: sqlite3.Connection, bounds: tuple[str, str]) -> dict[str, CallCounts]:
    """The counts of each day (YYYY-MM-DD) that had calls within ``bounds``."""
    return _grouped(conn, bounds, "substr(offered_at, 1, 10)")
