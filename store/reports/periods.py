"""The periods a center reports on — a day, an ISO week, a month, any range of days — and the
periods each is compared with: the one before (环比) and the same one a year earlier (同比).

A ticket belongs to a period by the day it was registered, in the city's time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from store.core.clock import CITY_TZ, to_text
from store.core.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``first`` to ``last``, both included; ``kind`` is day, week, month or range."""

    kind: str
    first: date
    last: date

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        """The period as a bulletin's title names it."""
        if self.kind == "day":
            return f"{self.first:%Y年%m月%d日}"
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}年第{week}周（{self.first:%m月%d日}至{self.last:%m月%d日}）"
        if self.kind == "month":
            return f"{self.first:%Y年%m月}"
        return f"{self.first:%Y年%m月%d日}至{self.last:%Y年%m月%d日}"

    def bounds(self) -> tuple[str, str]:
        """The stored-time bounds ``[start, end)``: midnight of the first day, midnight after
        the last, in the city's time."""
        start = datetime.combine(self.first, time(0), CITY_TZ)
        end = datetime.combine(self.last + timedelta(days=1), time(0), CITY_TZ)
        return to_text(start), to_text(end)

    def previous(self) -> Period:
        """The period just before (环比): the day, week or month before; for a range, as many
        days before it."""
        if self.kind == "month":
            last = self.first - timedelta(days=1)
            return month(f"{last:%Y-%m}")
        return Period(self.kind, self.first - timedelta(days=self.days), self.first - timedelta(1))

    def year_before(self) -> Period:
        """The same period a year earlier (同比): the same dates, the same ISO week, the same
        month."""
        if self.kind == "month":
            return month(f"{self.first.year - 1}-{self.first.month:02d}")
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return _iso_week(year - 1, min(week, _weeks_in(year - 1)))
        return Period(self.kind, _a_year_before(self.first), _a_year_before(self.last))


def day(text: str) -> Period:
    """``2026-11-20``: that day."""
    return Period("day", _date(text, "日期"), _date(text, "日期"))


def week(text: str) -> Period:
    """``2026-W43``: that ISO week, Monday to Sunday."""
    found = _WEEK.match(text.strip())
    if not found:
        raise InvalidInput(f"周应写作 年-W周，如 2026-W43：{text[:20]!r}。", field="week")
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= _weeks_in(year):
        raise InvalidInput(f"{year} 年没有第 {number} 周。", field="week")
    return _iso_week(year, number)


def month(text: str) -> Period:
    """``2026-10``: that calendar month."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise InvalidInput(f"月份应写作 年-月，如 2026-10：{text[:20]!r}。", field="month")
    year, number = int(found.group(1)), int(found.group(2))
    first = date(year, number, 1)
    return Period("month", first, date(year, number, calendar.monthrange(year, number)[1]))


def between(first: str, last: str) -> Period:
    """Any days from ``first`` to ``last``, both included."""
    start, end = _date(first, "起始日期"), _date(last, "截止日期")
    if end < start:
        raise InvalidInput("截止日期早于起始日期。", field="to")
    if (end - start).days > 3660:
        raise InvalidInput("统计区间最长十年。", field="to")
    return Period("range", start, end)


def _date(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{label}应写作 年-月-日，如 2026-11-20：{text[:20]!r}。") from None


def _iso_week(year: int, number: int) -> Period:
    first = date.fromisocalendar(year, number, 1)
    return Period("week", first, first + timedelta(days=6))


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def _a_year_before(day_: date) -> date:
    try:
        return day_.replace(year=day_.year - 1)
    except ValueError:  # 29 February
        return day_.replace(year=day_.year - 1, day=28)
