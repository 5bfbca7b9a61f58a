"""What every workflow command shares: loading the ticket, checking, computing clocks,
writing the event."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from store.core import judging
from store.core.clock import from_text, to_text
from store.core.errors import DomainError, Forbidden, InvalidInput, InvalidState, NotFound
from store.core.events import Event
from store.core.judging import Context
from store.core.payloads import Schema
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.tickets.deadlines import Limit, limit_for
from store.tickets.states import MOVES, MOVES_SEEN, State, check

_TICKET_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# A clock pushed by a seat may differ from the server's computation by this much: the seat
# may have computed it before a calendar update reached it.
CLOCK_TOLERANCE = timedelta(days=3)


def load_ticket(conn: sqlite3.Connection, ticket_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    if row is None:
        raise NotFound(f"工单不存在：{ticket_id}")
    return row


def begin(store: Store, actor: Actor, event_type: str, ticket_id: str) -> sqlite3.Row:
    """Load the ticket and check the state machine; call inside the command's transaction."""
    ticket = load_ticket(store.conn, ticket_id)
    check(event_type, actor, State(ticket["state"]))
    if actor.role is Role.LIAISON:
        require_unit_of(store.conn, actor, ticket)
    return ticket


def require_unit_of(conn: sqlite3.Connection, actor: Actor, ticket: sqlite3.Row) -> None:
    """A liaison acts only on tickets of the unit they speak for."""
    if ticket["lead_unit_id"] and actor.unit_id == ticket["lead_unit_id"]:
        return
    raise Forbidden("该工单不属于您所在的承办单位（主办单位才能签收、退单、延期和答复）。")


def clocks(
    store: Store, ticket: sqlite3.Row | dict[str, Any], kinds: tuple[str, ...], start: datetime
) -> dict[str, dict[str, str]]:
    """Compute the due times of ``kinds`` starting at ``start``, for the event payload."""
    config = store.config()
    calendar = config.calendar()
    result = {}
    for kind in kinds:
        limit = limit_for(config, kind, ticket["type"], ticket["urgency"])
        result[kind] = {"rule": str(limit), "due_at": to_text(limit.due(start, calendar))}
    return result


def check_clocks(
    store: Store,
    ticket: sqlite3.Row,
    given: dict[str, dict[str, str]],
    kinds: tuple[str, ...],
    at: datetime,
) -> None:
    """The clocks of an event are the ones the city's rules start at ``at``.

    A seat computes them with the rules and calendar it holds; the server accepts a rule
    the city uses for that clock and a due time within ``CLOCK_TOLERANCE`` of what that
    rule gives on the server's calendar (a calendar update may not have reached the seat).
    """
    if set(given) != set(kinds):
        raise InvalidInput("期限数据与操作不符。", field="clocks")
    config = store.config()
    calendar = config.calendar()
    expected = clocks(store, ticket, kinds, at)
    for kind in kinds:
        if given[kind] == expected[kind]:
            continue
        rules = set(config.deadlines.get(kind, {}).values())
        if given[kind]["rule"] not in rules:
            raise InvalidInput(f"期限规则 {given[kind]['rule']} 不是本市的规则。", field="clocks")
        due = Limit.parse(given[kind]["rule"]).due(at, calendar)
        if abs(from_text(given[kind]["due_at"]) - due) > CLOCK_TOLERANCE:
            raise InvalidInput(
                f"期限 {given[kind]['due_at'][:16]} 与规则 {given[kind]['rule']} 不符。",
                field="clocks",
            )


def declare(
    event_type: str, fields: dict[str, Any], optional: frozenset[str] = frozenset()
) -> None:
    """Declare a ticket event's payload; the central server loads and checks the ticket
    (state machine, role, first move wins) before the schema and rules."""
    judging.declare(event_type, Schema(fields, optional), stream="ticket", subject=_ticket_subject)


def emit(
    store: Store,
    actor: Actor,
    event_type: str,
    ticket: sqlite3.Row | None,
    raw: dict[str, Any],
    *,
    at: datetime | None = None,
    subject_id: str | None = None,
) -> Event:
    """Judge and write the command's event about ``ticket`` (call inside the transaction).

    A move (see ``store.tickets.states.MOVES``) records how many moves of the ticket this seat has
    seen: of two seats moving one ticket offline, the central server accepts the first.
    """
    when = at or store.now()
    subject = subject_id or ticket["id"]
    payload = judging.prepare(Context(store, actor, subject, ticket, when), event_type, raw)
    if event_type in MOVES:
        payload[MOVES_SEEN] = moves_seen(store.conn, subject)
    return store.emit(actor, event_type, payload, subject_id=subject, at=when)


def moves_seen(conn: sqlite3.Connection, ticket_id: str | None) -> int:
    """How many moves of ``ticket_id`` this store holds (rejected ones do not count)."""
    marks = ",".join("?" for _ in MOVES)
    return conn.execute(
        f"SELECT count(*) FROM events WHERE subject_id = ? AND type IN ({marks}) AND pos NOT IN"
        " (SELECT pos FROM outbox WHERE state = 'rejected')",
        (ticket_id, *sorted(MOVES)),
    ).fetchone()[0]


def _ticket_subject(
    store: Store, actor: Actor, event: Event, payload: dict[str, Any]
) -> sqlite3.Row | None:
    """The ticket a pushed event is about, checked as ``begin`` checks it for a command."""
    subject = event.subject_id or ""
    if not _TICKET_ID.match(subject):
        raise InvalidInput("工单编号无效。", field="subject_id")
    row = store.conn.execute("SELECT * FROM tickets WHERE id = ?", (subject,)).fetchone()
    if event.type == "ticket.registered":
        if row is not None:
            raise InvalidState("这张工单已经登记过。")
    elif row is None:
        raise NotFound("中心没有这张工单（可能登记它的事件被拒绝）。")
    check(event.type, actor, State(row["state"]) if row else None)
    if actor.role is Role.LIAISON:
        require_unit_of(store.conn, actor, row)
    # Required of a move: one that left it out would skip the first-move-wins check.
    if event.type in MOVES and payload.pop(MOVES_SEEN, None) != moves_seen(store.conn, subject):
        raise DomainError(
            "该工单已被其他座席先行处理（转办、派单或审核），本操作未生效，请刷新后重新处理。"
        )
    return row


def require_text(value: str, label: str, field: str) -> None:
    """A rule's check that an optional text was given where the decision needs it."""
    if not value:
        raise InvalidInput(f"请填写{label}。", field=field)
