"""The night-shift supervisor's watch (值班监控) and the shift handover (交接班): the figures at a
glance, the indicators of the shift, the day and the month, the units worst first, and the
handover the next supervisor acknowledges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from weakref import WeakKeyDictionary

from store.core.clock import CITY_TZ, read_time, to_text
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.reports import watch
from store.reports.calls import CallCounts, call_counts
from store.reports.indicators import LABELS, Indicators, counts, indicators
from store.reports.open_tickets import OpenTickets
from store.reports.periods import month
from store.reports.watch import FLOW, DayFigures, DeskLine, Now, UnitLine, UrgentTicket
from store.shifts import commands as shifts
from store.shifts import read as handovers
from store.shifts.read import Handover
from store.sync import state as sync_state
from store.tickets.read import queues
from store.tickets.read.queues import QueueRow
from store.tickets.vocabulary import URGENCIES

__all__ = [
    "FLOW",
    "LABELS",
    "CallCounts",
    "DayFigures",
    "DeskLine",
    "Handover",
    "Indicators",
    "Now",
    "QueueRow",
    "SeatsSeen",
    "Spans",
    "UnitLine",
    "UrgentTicket",
    "acknowledge",
    "days",
    "hand_over",
    "last_handover",
    "now",
    "shift_start",
    "spans",
    "seats_seen",
    "summary",
    "unit_tickets",
]

SHIFT_HOURS = 12  # a shift without a handover before it is taken to be this long


# Each store's open tickets, kept between refreshes (the console has one store; a test or
# a bench may open several).
_OPEN: WeakKeyDictionary[Store, OpenTickets] = WeakKeyDictionary()


def now(store: Store) -> Now:
    """The figures that refresh every few seconds."""
    open_tickets = _OPEN.setdefault(store, OpenTickets())
    return watch.now(store.conn, store.now(), open_tickets.refresh(store.conn, store.config()))


def days(store: Store) -> list[DayFigures]:
    """Today so far, yesterday and the same weekday last week, to the same time of day."""
    return watch.compare_days(store.conn, store.now())


@dataclass(frozen=True)
class Spans:
    """The indicators of the shift, the day and the month so far."""

    shift: Indicators
    day: Indicators
    month: Indicators
    shift_since: datetime


def spans(store: Store) -> Spans:
    """Indicators over the tickets registered in this shift, today and this month."""
    at, config = store.now(), store.config()
    since = shift_start(store)
    midnight = datetime.combine(at.date(), time(0), CITY_TZ)
    this_month = month(f"{at:%Y-%m}")

    def over(start: datetime | str, end: datetime | str) -> Indicators:
        bounds = tuple(v if isinstance(v, str) else to_text(v) for v in (start, end))
        calls = call_counts(store.conn, bounds)  # type: ignore[arg-type]
        return indicators(counts(store.conn, bounds, at, config), calls)  # type: ignore[arg-type]

    upto = at + timedelta(seconds=1)  # the bounds end before; a ticket saved now counts
    return Spans(
        shift=over(since, upto),
        day=over(midnight, upto),
        month=over(this_month.bounds()[0], upto),
        shift_since=since,
    )


@dataclass(frozen=True, slots=True)
class SeatsSeen:
    """What the central server said, at its last answer, of the seats it heard from."""

    count: int  # seats that synced in the five minutes before
    at: datetime | None  # the server's time then


def seats_seen(store: Store) -> SeatsSeen | None:
    """The seats the central server saw lately, as it told this seat; None when this seat
    works alone or has not heard it yet."""
    if not sync_state.get(store.conn, sync_state.SERVER_URL):
        return None
    count = sync_state.get(store.conn, sync_state.SEATS_SEEN)
    if not count.isdigit():
        return None
    return SeatsSeen(int(count), read_time(sync_state.get(store.conn, sync_state.SEATS_SEEN_AT)))


def unit_tickets(store: Store, unit_id: str) -> list[QueueRow]:
    """The unit's open tickets with their lights (Enter on the matrix)."""
    return queues.unit_tickets(store.conn, unit_id, store.now())


def last_handover(store: Store) -> Handover | None:
    """The latest handover, acknowledged or not."""
    return handovers.last(store.conn)


def shift_start(store: Store) -> datetime:
    """When this shift began: the last handover, if within a shift's length, else a shift's
    length ago."""
    at = store.now()
    last = last_handover(store)
    earliest = at - timedelta(hours=SHIFT_HOURS)
    if last is not None and last.at is not None and earliest <= last.at <= at:
        return last.at
    return earliest


def summary(store: Store) -> list[list[str]]:
    """The shift's figures as the daily monitor hands them over (label, value)."""
    figures = now(store)
    today = days(store)[0].figures
    spans_ = spans(store)
    lines = [[label, str(today[key])] for key, label, _sql in FLOW]
    rate = spans_.day.direct_answer_rate
    lines.append(["今日直接答复率", "—" if rate is None else f"{rate:.1%}"])
    lines.append(["在办超期（红灯）", str(figures.count("red"))])
    lines.append(["在办临期（黄灯）", str(figures.count("yellow"))])
    for code, label in URGENCIES.items():
        if code != "normal":
            open_ = sum(figures.by_light.get(code, {}).values())
            lines.append([f"{label}件在办", str(open_)])
    lines.append(["待审核（退单、延期、答复、待改派）", str(sum(figures.review.values()))])
    lines.append(["待回访", str(figures.callbacks_due)])
    lines.append(["回访超期", str(figures.callbacks_overdue)])
    lines.append(["未接通待重拨", str(figures.callbacks_not_reached)])
    lines.append(["同步被拒事件", str(figures.rejected_events)])
    worst = [u for u in figures.units if u.red][:5]
    if worst:
        lines.append(["超期较多的单位", "、".join(f"{u.name} {u.red}" for u in worst)])
    return lines


def hand_over(store: Store, actor: Actor, notes: str) -> Event:
    """Hand this shift over with its figures and ``notes`` for the next supervisor."""
    return shifts.hand_over(store, actor, to_text(shift_start(store)), summary(store), notes)


def acknowledge(store: Store, actor: Actor, handover_id: str, note: str = "") -> Event:
    """Take the shift over: acknowledge the handover (another supervisor's, once)."""
    return shifts.acknowledge(store, actor, handover_id, note)
