"""The working-day calendar as the front ends show it: the years it knows and where from, a
year's arrangement read from a file, and the open deadlines the calendar as it stands would
set differently. Loading a year is a reference change (:mod:`store.services.reference`)."""

from __future__ import annotations

from store.core.seat import Store
from store.tickets import calendar_years
from store.tickets.calendar_years import ToReview, YearPlan, read_plan

__all__ = ["ToReview", "YearPlan", "known_years", "read_plan", "to_review", "warning"]


def known_years(store: Store) -> list[tuple[int, str]]:
    """Last year to three years ahead, each with where its holidays come from."""
    calendar = store.config().calendar()
    now = store.now()
    return [
        (
            year,
            "本市载入"
            if year in calendar.years
            else "节假日包内置"
            if calendar.knows_year(year)
            else "未知：按周一至周五估算",
        )
        for year in range(now.year - 1, now.year + 3)
    ]


def warning(store: Store) -> str:
    """The sentence a seat shows while years it needs are unknown ('' if none)."""
    return calendar_years.warning(calendar_years.unknown_years(store))


def to_review(store: Store) -> list[ToReview]:
    """Open deadlines the calendar as it stands would set differently."""
    return calendar_years.to_review(store)
