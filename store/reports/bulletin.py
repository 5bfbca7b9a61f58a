"""The tables of a center's bulletin for a period (日监测、周分析、月简报): the headline with its
comparisons, tickets by channel, type and topic, the hot topics, the unit league, overdue
tickets by unit and month registered, business requests, the 110 exchange, and a few cases.

Plain data, computed from the projections; docs/reports.md says how each figure is counted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from store.core.clock import read_time, to_text
from store.core.privacy import mask_personal
from store.directory.config import Config
from store.reports.calls import NONE, CallCounts, by_day, by_hour, call_counts
from store.reports.indicators import (
    COHORT,
    REPLIED,
    Counts,
    Indicators,
    counts,
    indicators,
)
from store.reports.periods import Period
from store.reports.units import UnitTree
from store.tickets.vocabulary import CHANNELS, TYPES

HOT_TOPICS = 15  # second-level topics a bulletin lists
CASES = 5  # overdue tickets a bulletin names

# Tickets a unit holds and still owes work on.
AT_UNIT_STATES = "('dispatched', 'handling', 'return_requested', 'returned', 'extension_requested')"
OVERDUE_OPEN = (
    f"t.state IN {AT_UNIT_STATES} AND h.stopped_at IS NULL AND h.due_at < :now"
    " AND t.dispatch_count > 0"
)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a breakdown: a code, its name, its count in the period, its share, and the
    counts of the period before (环比) and a year before (同比)."""

    code: str
    name: str
    count: int
    share: float | None
    previous: int
    year_before: int

    @property
    def change(self) -> float | None:
        """环比: the change against the period before (None if that had none)."""
        return (self.count - self.previous) / self.previous if self.previous else None

    @property
    def change_year(self) -> float | None:
        """同比: the change against a year before (None if that had none)."""
        return (self.count - self.year_before) / self.year_before if self.year_before else None


@dataclass(frozen=True, slots=True)
class Headline:
    """What the bulletin's first paragraph says."""

    registered: int
    previous: int  # registered in the period before
    year_before: int  # registered a year before
    answered_directly: int
    dispatched: int
    to_desk: int
    transferred: int  # to 110, 119, 120, 122
    not_accepted: int
    merged: int
    counts: Counts
    indicators: Indicators
    calls: CallCounts

    @property
    def change(self) -> float | None:
        """环比 of the tickets registered."""
        return (self.registered - self.previous) / self.previous if self.previous else None

    @property
    def change_year(self) -> float | None:
        """同比 of the tickets registered."""
        if not self.year_before:
            return None
        return (self.registered - self.year_before) / self.year_before


@dataclass(frozen=True, slots=True)
class UnitLine:
    """One responsible unit in the league (a district with everything under it, a city
    department, a utility)."""

    group: str
    unit_id: str
    name: str
    total: int  # tickets dispatched to it (or to a unit under it) in the period
    overdue_open: int  # of those, still open past the handling deadline
    on_time_rate: float | None
    satisfaction_rate: float | None


@dataclass(frozen=True, slots=True)
class Overdue:
    """Open tickets past their handling deadline, by responsible unit and the month they
    were registered."""

    months: list[str]  # YYYY-MM, oldest first
    rows: list[tuple[str, str, dict[str, int]]]  # unit id, name, month → count


@dataclass(frozen=True, slots=True)
class Case:
    """An overdue ticket named in the bulletin: no phone, ID or door number, no address."""

    number: str
    registered: str  # YYYY-MM-DD
    topic: str
    content: str
    unit: str
    due: str  # YYYY-MM-DD HH:MM


@dataclass(frozen=True, slots=True)
class Exchange:
    """12345 ↔ 110: tickets sent to 110, and those that came from 110 with their figures."""

    to_110: int
    from_110: int
    from_110_on_time_rate: float | None
    from_110_satisfaction_rate: float | None


@dataclass(frozen=True)
class Bulletin:
    """Every table of the bulletin for ``period``, as of ``now``."""

    period: Period
    now: datetime
    headline: Headline
    by_channel: list[Row]
    by_type: list[Row]
    by_topic: list[Row]
    hot_topics: list[Row]
    units: list[UnitLine]
    overdue: Overdue
    business: tuple[int, float | None]  # business requests, their satisfaction rate
    exchange: Exchange
    cases: list[Case] = field(default_factory=list)
    daily: list[tuple[str, int]] = field(default_factory=list)  # day → tickets registered
    calls_by_hour: list[CallCounts] = field(default_factory=list)  # hour 0–23 of the period
    calls_daily: list[tuple[str, CallCounts]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True if no ticket was registered in the period."""
        return self.headline.registered == 0


def bulletin(conn: sqlite3.Connection, period: Period, now: datetime, config: Config) -> Bulletin:
    """The bulletin of ``period`` from the projections, deadlines judged at ``now``."""
    periods = (period, period.previous(), period.year_before())
    tree = UnitTree.load(conn)
    topics = dict(conn.execute("SELECT code, name FROM topics"))
    return Bulletin(
        period=period,
        now=now,
        headline=_headline(conn, periods, now, config),
        by_channel=_breakdown(conn, periods, "t.channel", CHANNELS),
        by_type=_breakdown(conn, periods, "t.type", TYPES),
        by_topic=_breakdown(conn, periods, "substr(t.topic_code, 1, 2)", topics),
        hot_topics=_hot_topics(conn, periods, topics),
        units=_league(conn, period, now, config, tree),
        overdue=_overdue(conn, period, now, tree),
        business=_business(conn, period, now, config),
        exchange=_exchange(conn, period, now, config),
        cases=_cases(conn, period, now, tree, topics),
        daily=_daily(conn, period),
        calls_by_hour=by_hour(conn, period.bounds()),
        calls_daily=_calls_daily(conn, period),
    )


def _params(period: Period, now: datetime) -> dict[str, str]:
    start, end = period.bounds()
    return {"start": start, "end": end, "now": to_text(now)}


def _count(conn: sqlite3.Connection, period: Period, where: str = "1") -> int:
    start, end = period.bounds()
    return conn.execute(
        f"SELECT count(*) FROM tickets t WHERE t.registered_at >= ? AND t.registered_at < ?"
        f" AND ({where})",
        (start, end),
    ).fetchone()[0]


def _headline(
    conn: sqlite3.Connection, periods: tuple[Period, ...], now: datetime, config: Config
) -> Headline:
    period, previous, year_before = periods
    c = counts(conn, period.bounds(), now, config)
    calls = call_counts(conn, period.bounds())
    return Headline(
        registered=c.registered,
        previous=_count(conn, previous),
        year_before=_count(conn, year_before),
        answered_directly=c.answered_directly,
        dispatched=c.dispatched,
        to_desk=_count(conn, period, "t.desk_id IS NOT NULL"),
        transferred=_count(conn, period, "t.transfer_line IS NOT NULL"),
        not_accepted=_count(conn, period, "t.reason_code IS NOT NULL"),
        merged=_count(conn, period, "t.merged_into IS NOT NULL"),
        counts=c,
        indicators=indicators(c, calls),
        calls=calls,
    )


def _grouped(conn: sqlite3.Connection, period: Period, key: str) -> dict[str, int]:
    start, end = period.bounds()
    return dict(
        conn.execute(
            f"SELECT {key}, count(*) FROM tickets t"
            " WHERE t.registered_at >= ? AND t.registered_at < ? GROUP BY 1",
            (start, end),
        ).fetchall()
    )


def _breakdown(
    conn: sqlite3.Connection, periods: tuple[Period, ...], key: str, names: dict[str, str]
) -> list[Row]:
    now, before, year = (_grouped(conn, p, key) for p in periods)
    total = sum(now.values())
    codes = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), str(k)))
    return [
        Row(
            str(code),
            names.get(code, str(code)),
            now.get(code, 0),
            now.get(code, 0) / total if total else None,
            before.get(code, 0),
            year.get(code, 0),
        )
        for code in codes
        if now.get(code, 0)
    ]


def _hot_topics(
    conn: sqlite3.Connection, periods: tuple[Period, ...], names: dict[str, str]
) -> list[Row]:
    rows = _breakdown(conn, periods, "t.topic_code", names)
    second_level = [r for r in rows if len(r.code) > 2]
    return second_level[:HOT_TOPICS]


_LEAGUE = f"""
SELECT t.lead_unit_id,
  count(*),
  coalesce(sum({OVERDUE_OPEN}), 0),
  coalesce(sum({REPLIED} OR h.due_at <= :now), 0),
  coalesce(sum({REPLIED} AND h.stopped_at <= h.due_at), 0),
  coalesce(sum(t.satisfaction IS NOT NULL), 0),
  coalesce(sum(t.satisfaction IN (SELECT value FROM json_each(:satisfied))), 0)
{COHORT} AND t.dispatch_count > 0
GROUP BY t.lead_unit_id
"""


def _league(
    conn: sqlite3.Connection, period: Period, now: datetime, config: Config, tree: UnitTree
) -> list[UnitLine]:
    params = {
        **_params(period, now),
        "satisfied": json.dumps(config.satisfied_levels, ensure_ascii=False),
    }
    sums: dict[str, list[int]] = {}
    for unit_id, *figures in conn.execute(_LEAGUE, params):
        top = tree.responsible(unit_id)
        total = sums.setdefault(top, [0] * len(figures))
        for i, value in enumerate(figures):
            total[i] += value
    lines = [
        UnitLine(
            group=tree.group_of(unit_id),
            unit_id=unit_id,
            name=tree.name(unit_id),
            total=total,
            overdue_open=overdue,
            on_time_rate=on_time / due if due else None,
            satisfaction_rate=satisfied / rated if rated else None,
        )
        for unit_id, (total, overdue, due, on_time, rated, satisfied) in sums.items()
    ]
    return sorted(lines, key=lambda u: (tree.group_rank(u.group), -u.total, u.unit_id))


def _overdue(conn: sqlite3.Connection, period: Period, now: datetime, tree: UnitTree) -> Overdue:
    _, end = period.bounds()
    found: dict[str, dict[str, int]] = {}
    months: set[str] = set()
    for unit_id, month, n in conn.execute(
        "SELECT t.lead_unit_id, substr(t.registered_at, 1, 7), count(*) FROM tickets t"
        " JOIN clocks h ON h.ticket_id = t.id AND h.kind = 'handle'"
        f" WHERE t.registered_at < :end AND {OVERDUE_OPEN} GROUP BY 1, 2",
        {"end": end, "now": to_text(now)},
    ):
        top = tree.responsible(unit_id)
        row = found.setdefault(top, {})
        row[month] = row.get(month, 0) + n
        months.add(month)
    rows = sorted(found.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return Overdue(sorted(months), [(u, tree.name(u), by_month) for u, by_month in rows])


def _business(
    conn: sqlite3.Connection, period: Period, now: datetime, config: Config
) -> tuple[int, float | None]:
    c = counts(conn, period.bounds(), now, config, "t.business = 1")
    return c.registered, (c.satisfied / c.rated if c.rated else None)


def _exchange(conn: sqlite3.Connection, period: Period, now: datetime, config: Config) -> Exchange:
    from_110 = counts(conn, period.bounds(), now, config, "t.channel = 'from_110'")
    return Exchange(
        to_110=_count(conn, period, "t.transfer_line = '110'"),
        from_110=from_110.registered,
        from_110_on_time_rate=(
            from_110.replied_on_time / from_110.handle_due if from_110.handle_due else None
        ),
        from_110_satisfaction_rate=(
            from_110.satisfied / from_110.rated if from_110.rated else None
        ),
    )


def _daily(conn: sqlite3.Connection, period: Period) -> list[tuple[str, int]]:
    found = _grouped(conn, period, "substr(t.registered_at, 1, 10)")
    days = (period.first + timedelta(days=n) for n in range(period.days))
    return [(d.isoformat(), found.get(d.isoformat(), 0)) for d in days]


def _calls_daily(conn: sqlite3.Connection, period: Period) -> list[tuple[str, CallCounts]]:
    found = by_day(conn, period.bounds())
    days = ((period.first + timedelta(days=n)).isoformat() for n in range(period.days))
    return [(d, found.get(d, NONE)) for d in days]


def _cases(
    conn: sqlite3.Connection,
    period: Period,
    now: datetime,
    tree: UnitTree,
    topics: dict[str, str],
) -> list[Case]:
    rows = conn.execute(
        "SELECT t.number, t.registered_at, t.topic_code, t.content, t.lead_unit_id, h.due_at,"
        " t.caller_phone, t.callback_phone"
        f" {COHORT} AND {OVERDUE_OPEN} ORDER BY h.due_at, t.number LIMIT {CASES}",
        _params(period, now),
    ).fetchall()
    cases = []
    for number, registered, topic, content, unit, due, phone, callback in rows:
        due_at = read_time(due)
        cases.append(
            Case(
                number=number,
                registered=registered[:10],
                topic=topics.get(topic, topic),
                content=mask_personal(content, (phone, callback), doors=True),
                unit=tree.name(unit),
                due=f"{due_at:%Y-%m-%d %H:%M}" if due_at else "",
            )
        )
    return cases
