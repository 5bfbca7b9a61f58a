"""The bulletins a center publishes, for every front end: a period by name, its tables, and
the same as JSON or as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from store.core.seat import Store
from store.reports import periods
from store.reports.bulletin import Bulletin, Row, bulletin
from store.reports.calls import CallCounts
from store.reports.formats import as_json, write_workbook
from store.reports.indicators import LABELS
from store.reports.periods import Period

__all__ = [
    "LABELS",
    "Bulletin",
    "CallCounts",
    "Period",
    "Row",
    "as_json",
    "calls_text",
    "indicator_text",
    "make",
    "period",
    "rate_text",
    "save_workbook",
    "this_month",
]


def rate_text(value: float | None, digits: int = 2) -> str:
    """A rate as people read it (62.40%), or — when nothing was due."""
    return "—" if value is None else f"{value:.{digits}%}"


def indicator_text(key: str, value: float | None, digits: int = 2) -> str:
    """An indicator of :data:`LABELS` as people read it: a rate as a percentage, a mean
    duration in hours with one decimal, — when nothing was due."""
    if value is None or key.endswith("_rate"):
        return rate_text(value, digits)
    return f"{value:.1f}"


def calls_text(c: CallCounts) -> str:
    """A period's calls in a sentence: 来电 1020 个：接通 1009 个（15 秒内 896 个），放弃 11 个。"""
    if not c.offered:
        return "没有话务记录（未接交换机，或本期无来电）。"
    return (
        f"来电 {c.offered} 个：接通 {c.answered} 个（15 秒内 {c.answered_within_15s} 个），"
        f"放弃 {c.abandoned} 个。"
    )


def period(kind: str, value: str = "", first: str = "", last: str = "") -> Period:
    """A period by name: ``day`` 2026-11-20, ``week`` 2026-W43, ``month`` 2026-10, or
    ``range`` with its first and last day; a malformed one is refused in Chinese."""
    if kind == "day":
        return periods.day(value)
    if kind == "week":
        return periods.week(value)
    if kind == "month":
        return periods.month(value)
    return periods.between(first, last)


def this_month(store: Store) -> Period:
    """The month the store's clock is in (the reports screen opens on it)."""
    return periods.month(f"{store.now():%Y-%m}")


def make(store: Store, wanted: Period) -> Bulletin:
    """The bulletin of ``wanted`` as the store stands now."""
    return bulletin(store.conn, wanted, store.now(), store.config())


def save_workbook(store: Store, made: Bulletin, path: Path) -> Path:
    """Write ``made`` to ``path`` as an .xlsx workbook named for the city; the path."""
    write_workbook(made, path, store.config().city)
    return path
