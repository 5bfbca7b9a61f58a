"""What every workflow command shares: loading the ticket, checking, computing clocks."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from store.clock import to_text
from store.deadlines import limit_for
from store.errors import Forbidden, NotFound
from store.roles import Actor, Role
from store.seat import Store
from store.states import State, check


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


def emit(store: Store, actor: Actor, event_type: str, ticket_id: str, payload: dict[str, Any]):
    """Write the command's event about ``ticket_id``."""
    return store.emit(actor, event_type, payload, subject_id=ticket_id)
