"""What the screens read of calls."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TicketCall:
    """The call a ticket was taken on, as its detail shows it."""

    call_id: str
    queue: str
    offered_at: str
    answered_at: str | None
    wait_s: int | None
    talk_s: int | None


def ticket_call(conn: sqlite3.Connection, ticket_id: str) -> TicketCall | None:
    """The call ``ticket_id`` was registered on, if the switch popped it."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT c.* FROM call_tickets l JOIN calls c ON c.id = l.call_id WHERE l.ticket_id = ?",
        (ticket_id,),
    ).fetchone()
    if row is None:
        return None
    return TicketCall(
        row["id"],
        row["queue"],
        row["offered_at"],
        row["answered_at"],
        row["answer_wait_s"],
        row["talk_s"],
    )
