"""The working-day calendar: Chinese public holidays, make-up working days, city overrides.

``chinese-calendar`` knows the State Council's holiday and 调休 arrangements for the years
it was released with. For a year it does not know yet, the calendar falls back to
Monday–Friday and says so (``knows_year``); a city fills the gap, or adds its own days off
and on, through ``extra_off`` and ``extra_on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

DAY = timedelta(days=1)


@lru_cache(maxsize=8192)
def _national_workday(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


class WorkCalendar:
    """Decides which days are working days and counts working time between moments."""

    def __init__(self, extra_off: Iterable[date] = (), extra_on: Iterable[date] = ()):
        self.extra_off = frozenset(extra_off)
        self.extra_on = frozenset(extra_on)

    def knows_year(self, year: int) -> bool:
        """True if the national calendar for ``year`` is known (not a weekday guess)."""
        return _national_workday(date(year, 1, 1)) is not None

    def is_workday(self, day: date) -> bool:
        if day in self.extra_on:
            return True
        if day in self.extra_off:
            return False
        national = _national_workday(day)
        return day.weekday() < 5 if national is None else national

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += DAY
        while not self.is_workday(day):
            day += DAY
        return day

    def add_workdays(self, start: datetime, days: int) -> datetime:
        """The moment ``days`` working days after ``start``.

        From a working day the clock keeps its time of day: dispatched Tuesday 10:00 with
        1 working day is due Wednesday 10:00 (or the next working day after a holiday).
        From a day off it starts at 00:00 of the next working day, so the limit runs to
        the end of the ``days``-th working day.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if not self.is_workday(start.date()):
            day = self.next_workday(start.date())
            if days == 0:
                return datetime.combine(day, time(0), start.tzinfo)
            for _ in range(days - 1):
                day = self.next_workday(day)
            return datetime.combine(day + DAY, time(0), start.tzinfo)
        day = start.date()
        for _ in range(days):
            day = self.next_workday(day)
        return datetime.combine(day, start.timetz())

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds of working days between ``start`` and ``end`` (negative if reversed)."""
        if end < start:
            return -self.working_seconds(end, start)
        total = 0.0
        day = start.date()
        while day <= end.date():
            if self.is_workday(day):
                lo = max(start, datetime.combine(day, time(0), start.tzinfo))
                hi = min(end, datetime.combine(day + DAY, time(0), start.tzinfo))
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += DAY
        return total
