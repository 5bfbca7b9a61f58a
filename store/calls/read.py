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

    @property
    def summary(self) -> str:
        """The call as the ticket's detail reads it: 队列 12345 · 等待 8 秒 · 通话 5 分 17 秒."""
        parts = [f"队列 {self.queue}" if self.queue else "来电"]
        if self.wait_s is not None:
            parts.append(f"等待 {self.wait_s} 秒")
        if self.talk_s is not None:
            minutes, seconds = divmod(self.talk_s, 60)
            parts.append(f"通话 {minutes} 分 {seconds} 秒" if minutes else f"通话 {seconds} 秒")
        elif self.answered_at:
            parts.append("通话结束时间未知")
        return " · ".join(parts)


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
