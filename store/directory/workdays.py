"""The working-day calendar: Chinese public holidays, make-up working days, city overrides.

``chinese-calendar`` knows the State Council's holiday and 调休 arrangements for the years
it was released with (1.11: 2004–2026). The State Council publishes the next year's late in
the year; a city loads it (``hotline calendar load``: the days off and the make-up working
days of that year), and from then on that year is known. For a year neither knows, the
calendar falls back to Monday–Friday and says so (``knows_year``) — the console and
``hotline store info`` warn while an open deadline or a new one falls in such a year. A
city adds its own days off and on (``extra_off`` / ``extra_on``) at any time.
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

    def __init__(
        self,
        extra_off: Iterable[date] = (),
        extra_on: Iterable[date] = (),
        years: dict[int, tuple[frozenset[date], frozenset[date]]] | None = None,
    ):
        self.extra_off = frozenset(extra_off)
        self.extra_on = frozenset(extra_on)
        # Years the city loaded: year → (days off, make-up working days).
        self.years = years or {}

    def knows_year(self, year: int) -> bool:
        """True if the national arrangement for ``year`` is known (not a weekday guess)."""
        return year in self.years or _national_workday(date(year, 1, 1)) is not None

    def is_workday(self, day: date) -> bool:
        if day in self.extra_on:
            return True
        if day in self.extra_off:
            return False
        loaded = self.years.get(day.year)
        if loaded is not None:
            off, on = loaded
            return day in on or (day.weekday() < 5 and day not in off)
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
