"""Reading the projections: tickets, lights, caller history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from store.core.clock import UNKNOWN_TIME, read_time, to_text
from store.core.errors import DomainError, NotFound
from store.core.validation import normalize_phone
from store.directory.config import Config, load_config
from store.tickets.deadlines import Light, light, worst
from store.tickets.numbers import parse as parse_number
from store.tickets.states import State

REPEAT_WINDOW_DAYS = 30
REPEAT_THRESHOLD = 2


# Clocks that bound a right of the unit (to return the ticket) rather than work it owes:
# when they pass, the right lapses; they never make a ticket overdue.
WINDOW_CLOCKS = frozenset({"return"})


@dataclass(frozen=True, slots=True)
class ClockView:
    kind: str
    rule: str
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None
    light: Light | None  # None once stopped

    @property
    def lapsed(self) -> bool:
        """A window clock (see ``WINDOW_CLOCKS``) that has passed."""
        return self.kind in WINDOW_CLOCKS and self.light is Light.RED

    @property
    def counts_for_ticket(self) -> bool:
        """Whether this open clock can make the ticket yellow or red."""
        return self.light is not None and self.kind not in WINDOW_CLOCKS


@dataclass(frozen=True, slots=True)
class TicketSummary:
    id: str
    number: str
    state: State
    registered_at: datetime
    topic_code: str
    type: str
    content: str
    light: Light | None


@dataclass(frozen=True, slots=True)
class CallerHistory:
    phone: str
    tickets: list[TicketSummary]  # newest first
    recent_count: int  # registered in the last REPEAT_WINDOW_DAYS days

    @property
    def is_repeat_caller(self) -> bool:
        """Whether the caller rang often enough lately for the ticket to count as a repeat."""
        return self.recent_count >= REPEAT_THRESHOLD

    @property
    def window_days(self) -> int:
        """The days ``recent_count`` counts back over."""
        return REPEAT_WINDOW_DAYS


def get_ticket(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """A ticket by id or by number as typed (spaces allowed, check digit verified)."""
    row = conn.execute("SELECT * FROM tickets WHERE id = ?", (ref,)).fetchone()
    if row is None:
        number = parse_number(ref)
        row = conn.execute("SELECT * FROM tickets WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise NotFound(f"没有找到工单 {ref}")
    return row


def clocks_of(
    conn: sqlite3.Connection, ticket_id: str, now: datetime, config: Config | None = None
) -> list[ClockView]:
    """The ticket's clocks with their lights at ``now``."""
    config = config or load_config(conn)
    views = []
    for r in conn.execute(
        "SELECT * FROM clocks WHERE ticket_id = ? ORDER BY started_at", (ticket_id,)
    ):
        started, due = read_time(r["started_at"]), read_time(r["due_at"])
        if started is None or due is None:
            continue  # a clock that cannot be read is not shown, rather than failing the list
        stopped = read_time(r["stopped_at"]) if r["stopped_at"] else None
        try:
            lit = None if stopped else light(config, r["rule"], started, due, now)
        except DomainError:  # a rule that cannot be read: no light
            lit = None
        views.append(ClockView(r["kind"], r["rule"], started, due, stopped, lit))
    return views


def ticket_light(
    conn: sqlite3.Connection, ticket_id: str, now: datetime, config: Config | None = None
) -> Light | None:
    """The most urgent light of the ticket's open clocks (the return window does not count:
    it is a limit on the unit's right to return, not work owed)."""
    views = clocks_of(conn, ticket_id, now, config)
    return worst([v.light for v in views if v.counts_for_ticket])


def caller_history(
    conn: sqlite3.Connection, phone: str, now: datetime, limit: int = 200
) -> CallerHistory:
    """All tickets of a caller's number, newest first, and how many in the last 30 days."""
    phone = normalize_phone(phone)
    config = load_config(conn)
    rows = conn.execute(
        "SELECT id, number, state, registered_at, topic_code, type, content FROM tickets "
        "WHERE caller_phone = ? ORDER BY registered_at DESC, number DESC LIMIT ?",
        (phone, limit),
    ).fetchall()
    since = to_text(now - timedelta(days=REPEAT_WINDOW_DAYS))
    recent = conn.execute(
        "SELECT count(*) FROM tickets WHERE caller_phone = ? AND registered_at >= ?", (phone, since)
    ).fetchone()[0]
    tickets = [
        TicketSummary(
            r["id"],
            r["number"],
            State(r["state"]),
            read_time(r["registered_at"]) or UNKNOWN_TIME,
            r["topic_code"],
            r["type"],
            r["content"],
            ticket_light(conn, r["id"], now, config),
        )
        for r in rows
    ]
    return CallerHistory(phone, tickets, recent)
