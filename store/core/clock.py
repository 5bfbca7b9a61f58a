"""The city's time: all stored times are ISO 8601 with the +08:00 offset.

China keeps one time zone with no daylight saving, so a fixed offset is exact and needs no
tz database on the seat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

CITY_TZ = timezone(timedelta(hours=8), "CST")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in city time, to the second."""
    return datetime.now(CITY_TZ).replace(microsecond=0)


def to_text(when: datetime) -> str:
    """Store form of a time: ``2026-11-22T09:30:00+08:00``."""
    return when.astimezone(CITY_TZ).isoformat(timespec="seconds")


def from_text(text: str) -> datetime:
    """Parse a stored time back to an aware datetime in city time."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=CITY_TZ)
    return when.astimezone(CITY_TZ)


# Shown for a time that cannot be read (a damaged or forged row): readers never crash.
UNKNOWN_TIME = datetime(2000, 1, 1, tzinfo=CITY_TZ)


def read_time(text: object) -> datetime | None:
    """``from_text`` for readers: None instead of an error for a time that cannot be read."""
    try:
        return from_text(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
