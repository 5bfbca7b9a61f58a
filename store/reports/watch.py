"""What the night-shift supervisor watches (值班监控): the open tickets by light and urgency,
the urgent ones still open, the desks, the review and callback queues, the units worst first,
and today against yesterday and the same weekday last week.

:func:`now` is the part that refreshes every few seconds and must stay cheap on a big city's
store; :func:`compare_days` and the indicators change slowly and are read less often.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from store.core.clock import CITY_TZ, read_time, to_text
from store.reports.calls import CallCounts, by_hour, call_counts
from store.reports.indicators import ANSWERED_DIRECTLY
from store.reports.open_tickets import OpenTicket
from store.tickets.deadlines import Light
from store.tickets.vocabulary import URGENCIES

URGENT_SHOWN = 20  # urgent tickets listed by age
UNITS_SHOWN = 200  # units in the matrix, worst first


@dataclass(frozen=True, slots=True)
class UrgentTicket:
    """An 紧急 or 特急 ticket still open."""

    id: str
    number: str
    urgency: str
    state: str
    registered_at: datetime
    unit: str
    light: Light | None


@dataclass(frozen=True, slots=True)
class DeskLine:
    """A specialist desk: who is on duty and what waits."""

    id: str
    name: str
    specialists: int
    on_duty: int
    waiting: int
    oldest_since: datetime | None


@dataclass(frozen=True, slots=True)
class UnitLine:
    """A handling unit's open tickets, for the matrix."""

    unit_id: str
    name: str
    open: int
    red: int
    yellow: int
    returned: int  # asked to return, or returned and waiting to be re-dispatched
    sign_overdue: int  # dispatched, not signed, past the sign deadline


@dataclass(frozen=True)
class Now:
    """The watch's figures at ``at``."""

    at: datetime
    by_light: dict[str, dict[str, int]]  # urgency → light (red, yellow, green, none) → tickets
    urgent: list[UrgentTicket]
    desks: list[DeskLine]
    review: dict[str, int]  # state → tickets waiting for a supervisor
    review_oldest: datetime | None
    callbacks_due: int
    callbacks_overdue: int
    callbacks_not_reached: int
    rejected_events: int
    units: list[UnitLine] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        """Open tickets with a running clock."""
        return sum(sum(by.values()) for by in self.by_light.values())

    def count(self, light: str) -> int:
        """Open tickets of one light, every urgency."""
        return sum(by.get(light, 0) for by in self.by_light.values())


AT_UNIT = ("dispatched", "handling", "return_requested", "returned", "extension_requested")
RETURNS = ("return_requested", "returned")
REVIEW = ("return_requested", "returned", "extension_requested", "replied")


def now(conn: sqlite3.Connection, at: datetime, open_tickets: dict[str, OpenTicket]) -> Now:
    """The watch's figures at ``at``: the open tickets (:class:`OpenTickets`, kept up to
    date by the caller) in one pass, and the small tables read afresh."""
    moment, text = at.timestamp(), to_text(at)
    red, yellow, green = Light.RED, Light.YELLOW, Light.GREEN
    by_light: dict[str, dict[str, int]] = {u: {} for u in URGENCIES}
    review: dict[str, int] = {}
    review_oldest: str | None = None
    callbacks_due = callbacks_overdue = callbacks_not_reached = 0
    units: dict[str, list[int]] = {}  # open, red, yellow, returned, sign overdue
    waiting: dict[str, list[str]] = {}  # desk → since when each ticket waits
    urgent: list[tuple[OpenTicket, Light | None]] = []
    for t in open_tickets.values():
        turns, state = t.turns, t.state
        light = None
        if turns is not None:
            if moment >= turns.red_from:
                light = red
            elif moment > turns.yellow_after:
                light = yellow
            else:
                light = green
            by = by_light.setdefault(t.urgency, {})
            by[light] = by.get(light, 0) + 1
        if t.urgency != "normal" and state != "called_back":  # called back: only filing left
            urgent.append((t, light))
        if state in AT_UNIT and t.unit:
            line = units.get(t.unit) or units.setdefault(t.unit, [0, 0, 0, 0, 0])
            line[0] += 1
            if light is red:
                line[1] += 1
            elif light is yellow:
                line[2] += 1
            if state in RETURNS:
                line[3] += 1
            elif state == "dispatched" and t.sign_due is not None and t.sign_due < moment:
                line[4] += 1
        if state in REVIEW:
            review[state] = review.get(state, 0) + 1
            if t.state_since and (review_oldest is None or t.state_since < review_oldest):
                review_oldest = t.state_since
        elif state == "callback_pending":
            callbacks_due += t.next_callback_at is None or t.next_callback_at <= text
            callbacks_not_reached += t.callback_attempts > 0
        elif state == "at_desk" and t.desk_id:
            waiting.setdefault(t.desk_id, []).append(t.state_since or "")
        if t.callback_due is not None and t.callback_due < moment:
            callbacks_overdue += 1
    names = dict(conn.execute("SELECT id, name FROM units"))
    return Now(
        at=at,
        by_light=by_light,
        urgent=_urgent(urgent, names),
        desks=_desks(conn, waiting),
        review=review,
        review_oldest=read_time(review_oldest),
        callbacks_due=callbacks_due,
        callbacks_overdue=callbacks_overdue,
        callbacks_not_reached=callbacks_not_reached,
        rejected_events=conn.execute(
            "SELECT count(*) FROM outbox WHERE state = 'rejected'"
        ).fetchone()[0],
        units=_units(units, names),
    )


def _urgent(
    found: list[tuple[OpenTicket, Light | None]], names: dict[str, str]
) -> list[UrgentTicket]:
    found.sort(key=lambda pair: (pair[0].urgency != "critical", pair[0].registered_at))
    return [
        UrgentTicket(
            t.id,
            t.number,
            t.urgency,
            t.state,
            read_time(t.registered_at) or datetime.min.replace(tzinfo=CITY_TZ),
            names.get(t.unit or "", ""),
            light,
        )
        for t, light in found[:URGENT_SHOWN]
    ]


def _desks(conn: sqlite3.Connection, waiting: dict[str, list[str]]) -> list[DeskLine]:
    rows = conn.execute(
        "SELECT d.id, d.name,"
        " (SELECT count(*) FROM agents a WHERE a.desk_id = d.id AND a.active),"
        " (SELECT count(*) FROM agents a WHERE a.desk_id = d.id AND a.active AND a.on_duty)"
        " FROM desks d WHERE d.active ORDER BY d.id"
    ).fetchall()
    return [
        DeskLine(
            r[0],
            r[1],
            r[2],
            r[3],
            len(waiting.get(r[0], [])),
            read_time(min(waiting[r[0]])) if waiting.get(r[0]) else None,
        )
        for r in rows
    ]


def _units(lines: dict[str, list[int]], names: dict[str, str]) -> list[UnitLine]:
    out = [UnitLine(u, names.get(u, u), *figures) for u, figures in lines.items()]
    out.sort(key=lambda u: (-u.red, -u.sign_overdue, -u.yellow, -u.open, u.unit_id))
    return out[:UNITS_SHOWN]


# Today against yesterday and the same weekday last week ---------------------------------

FLOW = (
    ("registered", "受理", "1"),
    ("answered_directly", "直接答复", ANSWERED_DIRECTLY),
    ("dispatched", "派单", "t.dispatch_count > 0"),
    ("to_desk", "转专席", "t.desk_id IS NOT NULL"),
    ("transferred", "转110等", "t.transfer_line IS NOT NULL"),
    ("not_accepted", "不予受理", "t.reason_code IS NOT NULL"),
    ("merged", "并单", "t.merged_into IS NOT NULL"),
)


@dataclass(frozen=True)
class DayFigures:
    """One day's flow up to the same time of day as now, and its tickets per hour."""

    day: str  # YYYY-MM-DD
    figures: dict[str, int]
    per_hour: list[int]  # registered in each hour 0–23 (the whole day)
    until: datetime  # the moment of that day the figures count up to
    calls: CallCounts  # calls offered up to ``until``
    calls_per_hour: list[CallCounts]  # in each hour 0–23 (the whole day)


def compare_days(conn: sqlite3.Connection, at: datetime) -> list[DayFigures]:
    """Today so far, yesterday and the same weekday last week — each counted up to the same
    time of day, so the comparison is fair at 3 a.m. as at 11 p.m."""
    out = []
    for back in (0, 1, 7):
        day = at.date() - timedelta(days=back)
        start = datetime.combine(day, time(0), CITY_TZ)
        upto = start + (at - datetime.combine(at.date(), time(0), CITY_TZ))
        sums = ", ".join(f"coalesce(sum({sql}), 0)" for _key, _label, sql in FLOW)
        row = conn.execute(
            # up to and including this second: a ticket saved just now is counted today
            f"SELECT {sums} FROM tickets t WHERE t.registered_at >= ? AND t.registered_at <= ?",
            (to_text(start), to_text(upto)),
        ).fetchone()
        hours = [0] * 24
        for hour, n in conn.execute(
            "SELECT CAST(substr(registered_at, 12, 2) AS INTEGER), count(*) FROM tickets"
            " WHERE registered_at >= ? AND registered_at < ? GROUP BY 1",
            (to_text(start), to_text(start + timedelta(days=1))),
        ):
            if 0 <= hour < 24:
                hours[hour] = n
        whole_day = (to_text(start), to_text(start + timedelta(days=1)))
        out.append(
            DayFigures(
                day.isoformat(),
                {k: v for (k, _l, _s), v in zip(FLOW, row, strict=True)},
                hours,
                upto,
                call_counts(conn, (to_text(start), to_text(upto + timedelta(seconds=1)))),
                by_hour(conn, whole_day),
            )
        )
    return out
