"""The open tickets and their running clocks, kept in memory between the watch's refreshes.

Reading every open ticket and clock of a big city's store takes a few hundred milliseconds;
the watch refreshes every few seconds. So :class:`OpenTickets` reads them all once, and on
each refresh only the tickets whose events came since (a handful, even at 47,000 tickets a
day) — the event log's positions say which. A clock is kept as the moments its light turns
(:mod:`store.reports.lights`), so the lights at any time need no calendar.

It reads everything again when the projections were rebuilt without new events (a sync
rejection or a reordering does that: the rebuild counts itself in ``meta``) or when the
configuration changed (the yellow rule, the calendar).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.core.clock import read_time
from store.core.rebuild import GENERATION_KEY
from store.directory.config import Config
from store.reports.lights import Turns, turns
from store.tickets.deadlines import Light
from store.tickets.states import OPEN

OPEN_STATES = tuple(sorted(s.value for s in OPEN))
_CHUNK = 500  # ids per IN (…) when reading the tickets that changed

_TICKETS = (
    "SELECT id, number, urgency, state, lead_unit_id, desk_id, registered_at, state_since,"
    " next_callback_at, callback_attempts FROM tickets"
)
_CLOCKS = "SELECT ticket_id, kind, rule, started_at, due_at FROM clocks WHERE stopped_at IS NULL"


@dataclass(slots=True)
class OpenTicket:
    """What the watch needs of an open ticket."""

    id: str
    number: str
    urgency: str
    state: str
    unit: str | None  # the lead unit
    desk_id: str | None
    registered_at: str  # stored times: they compare as text
    state_since: str | None
    next_callback_at: str | None
    callback_attempts: int
    turns: Turns | None = None  # the worst of its running clocks (not the return clock)
    sign_due: float | None = None  # the running sign clock's deadline (epoch seconds)
    callback_due: float | None = None  # the running callback clock's deadline

    def light(self, now: float) -> Light | None:
        """Its light at ``now`` (epoch seconds); None without a running clock."""
        return self.turns.light(now) if self.turns is not None else None


class OpenTickets:
    """The open tickets of one store, brought up to date by :meth:`refresh`."""

    def __init__(self) -> None:
        self.tickets: dict[str, OpenTicket] = {}
        self._pos = -1
        self._stamp: tuple[str, Config] | None = None

    def refresh(self, conn: sqlite3.Connection, config: Config) -> dict[str, OpenTicket]:
        """The open tickets as the store holds them now, by id."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
        stamp = (row[0] if row else "", config)
        # The last position first: an event written after it is read again next time.
        last = conn.execute("SELECT coalesce(max(pos), 0) FROM events").fetchone()[0]
        if stamp != self._stamp:
            self.tickets = {}
            self._read(conn, config, None)
            self._stamp = stamp
        elif last > self._pos:
            changed = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT subject_id FROM events WHERE pos > ? AND pos <= ?"
                    " AND stream = 'ticket'",
                    (self._pos, last),
                )
            ]
            for start in range(0, len(changed), _CHUNK):
                self._read(conn, config, changed[start : start + _CHUNK])
        self._pos = last
        return self.tickets

    def _read(self, conn: sqlite3.Connection, config: Config, ids: list[str] | None) -> None:
        """Read the open tickets (all, or those of ``ids``) and their running clocks."""
        if ids is None:
            where, params = f"state IN ({','.join('?' * len(OPEN_STATES))})", OPEN_STATES
            clocks = conn.execute(_CLOCKS)
        else:
            marks = ",".join("?" * len(ids))
            where, params = f"id IN ({marks})", tuple(ids)
            for ticket_id in ids:
                self.tickets.pop(ticket_id, None)
            clocks = conn.execute(f"{_CLOCKS} AND ticket_id IN ({marks})", params)
        for r in conn.execute(f"{_TICKETS} WHERE {where}", params):
            if r[3] in OPEN:
                self.tickets[r[0]] = OpenTicket(*r)
        calendar = config.calendar()
        for ticket_id, kind, rule, started, due in clocks:
            ticket = self.tickets.get(ticket_id)
            started_at, due_at = read_time(started), read_time(due)
            if ticket is None or started_at is None or due_at is None:
                continue  # a closed ticket's clock, or a damaged row: no light
            if kind == "sign":
                ticket.sign_due = due_at.timestamp()
            elif kind == "callback":
                ticket.callback_due = due_at.timestamp()
            if kind != "return":
                found = turns(config, calendar, rule, started_at, due_at)
                if found is not None:
                    ticket.turns = found.worse(ticket.turns)
