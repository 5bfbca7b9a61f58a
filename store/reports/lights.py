"""When a running clock's light turns, worked out once per clock.

:func:`store.tickets.deadlines.light` answers "which light now?" by counting working time
on the calendar; the watch would ask it for tens of thousands of open clocks every few
seconds. A clock's light only moves forward — green, yellow, red — at two moments fixed by
its rule, its start and its deadline, so :func:`turns` works them out once and a refresh
compares the time with them. The rule is the same (docs/domain.md §4): yellow when less
than ``yellow_fraction`` of the limit is left, or, for limits longer than
``yellow_workdays`` working days, less than that many working days; red from the deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from store.core.errors import DomainError
from store.directory.config import Config
from store.directory.workdays import WorkCalendar
from store.tickets.deadlines import Light, Limit

DAY = 86400.0
NEVER = math.inf
_WALK_LIMIT = 3660  # days walked back at most (a threshold is a few working days)


@lru_cache(maxsize=64)
def _limit(rule: str) -> Limit | None:
    try:
        return Limit.parse(rule)
    except DomainError:
        return None


@dataclass(frozen=True, slots=True)
class Turns:
    """The two moments of a clock (seconds since the epoch): after ``yellow_after`` it is
    yellow, from ``red_from`` (its deadline) red."""

    yellow_after: float
    red_from: float

    def light(self, now: float) -> Light:
        """The light at ``now`` (seconds since the epoch)."""
        if now >= self.red_from:
            return Light.RED
        return Light.YELLOW if now > self.yellow_after else Light.GREEN

    def worse(self, other: Turns | None) -> Turns:
        """The turns of a ticket with both clocks: whichever turns first, each."""
        if other is None:
            return self
        return Turns(min(self.yellow_after, other.yellow_after), min(self.red_from, other.red_from))


def turns(
    config: Config,
    calendar: WorkCalendar,
    rule: str,
    started_at: datetime,
    due_at: datetime,
) -> Turns | None:
    """When the clock turns yellow and red; None for a rule that cannot be read (it has no
    light). ``calendar`` is ``config.calendar()``, made once by the caller."""
    limit = _limit(rule)
    if limit is None:
        return None
    red = due_at.timestamp()
    if limit.unit == "h":
        total = (due_at - started_at).total_seconds()
        return Turns(red - config.yellow_fraction * total if total > 0 else NEVER, red)
    threshold = config.yellow_fraction * calendar.working_seconds(started_at, due_at)
    if limit.amount > config.yellow_workdays:
        threshold = max(threshold, config.yellow_workdays * DAY)
    if threshold <= 0:
        return Turns(NEVER, red)
    return Turns(_working_before(calendar, due_at, threshold), red)


def _working_before(calendar: WorkCalendar, due_at: datetime, seconds: float) -> float:
    """The last moment with at least ``seconds`` of working time left before ``due_at``:
    the light is yellow after it."""
    tz = due_at.tzinfo
    day: date = due_at.date()
    left = seconds
    if calendar.is_workday(day):
        into = (due_at - datetime.combine(day, time(0), tz)).total_seconds()
        if into >= left:
            return due_at.timestamp() - left
        left -= into
    for _ in range(_WALK_LIMIT):
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            if left <= DAY:
                return datetime.combine(day + timedelta(days=1), time(0), tz).timestamp() - left
            left -= DAY
    return -NEVER  # more than ten years of working time: yellow from the start
