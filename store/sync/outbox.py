"""The seat's side of a push: which events to send, and what the server said of them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from store.core import identity, rebuild
from store.core.clock import system_clock
from store.core.db import transaction
from store.core.events import Event
from store.sync.wire import to_wire


@dataclass(frozen=True, slots=True)
class Rejected:
    """One of this seat's events the central server refused, with its reason."""

    event_id: str
    type: str
    subject_id: str | None
    actor_id: str
    occurred_at: str
    reason: str
    ticket_number: str | None


def pending_batch(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    """The oldest unsent events, in the order they were made, ready to send."""
    rows = conn.execute(
        "SELECT e.* FROM outbox o JOIN events e ON e.pos = o.pos"
        " WHERE o.state = 'pending' ORDER BY o.pos LIMIT ?",
        (limit,),
    ).fetchall()
    return [to_wire(Event.from_row(r)) for r in rows]


def pending_sign_ins(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Logins at this seat the central server has not received yet."""
    rows = conn.execute(
        "SELECT n, agent_id, device_id, at, proof FROM sign_ins WHERE sent = 0 ORDER BY n LIMIT 100"
    ).fetchall()
    return [dict(r) for r in rows]


def record_sign_ins(conn: sqlite3.Connection, answers: list[dict[str, Any]]) -> None:
    """Mark the logins the server answered for (accepted or not: a proof never improves)."""
    with transaction(conn):
        conn.executemany(
            "UPDATE sign_ins SET sent = 1 WHERE n = ?",
            [(a["n"],) for a in answers if isinstance(a, dict) and isinstance(a.get("n"), int)],
        )


def record_results(conn: sqlite3.Connection, results: list[dict[str, Any]]) -> int:
    """Apply the server's answer to a push in one transaction; return how many it rejected.

    Accepted events get their place in the server's order and leave the outbox. Rejected
    ones stay in the log, marked with the reason, and the projections are rebuilt without
    them, so the seat shows what the server holds. An event whose device sequence number
    another copy of this file already used (``retry``) is moved, with the unsent events
    after it, to a new device id and sent again next round.
    """
    rejected = 0
    with transaction(conn):
        for result in results:
            pos = conn.execute(
                "SELECT pos, device_id FROM events WHERE id = ?", (result["id"],)
            ).fetchone()
            if pos is None:
                continue  # not ours: the server answers only for what was sent
            if result["status"] == "retry":
                identity.restamp(conn, pos["device_id"], system_clock())
                break  # the rest of the batch is renumbered too
            if result["status"] == "accepted":
                conn.execute(
                    "UPDATE events SET server_seq = ? WHERE pos = ?", (result["server_seq"], pos[0])
                )
                conn.execute("DELETE FROM outbox WHERE pos = ?", (pos[0],))
            elif result["status"] == "rejected":
                changed = conn.execute(
                    "UPDATE outbox SET state = 'rejected', reason = ? "
                    "WHERE pos = ? AND state = 'pending'",
                    (str(result.get("reason") or "服务器拒绝"), pos[0]),
                ).rowcount
                rejected += changed
        if rejected:
            rebuild.rebuild(conn)
    return rejected


def rejected_events(conn: sqlite3.Connection) -> list[Rejected]:
    """Events the server refused, newest first, with the ticket number where there is one."""
    rows = conn.execute(
        "SELECT e.id, e.type, e.subject_id, e.actor_id, e.occurred_at, o.reason, t.number"
        " FROM outbox o JOIN events e ON e.pos = o.pos"
        " LEFT JOIN tickets t ON t.id = e.subject_id"
        " WHERE o.state = 'rejected' ORDER BY o.pos DESC"
    ).fetchall()
    return [Rejected(*row) for row in rows]
