"""The calls table: one row per call, whatever order its events arrive in.

Several seats may tell of one call (the seat that answered it, a seat that records its
queue), and sync may bring their events in any order, so every handler here commutes: the
call was offered at the earliest time anyone saw, its answer comes only from an answer
event and its abandonment only from an abandon event. Replaying the log in another order
gives the same rows.
"""

from __future__ import annotations

import sqlite3

from store.core.clock import from_text
from store.core.events import Event
from store.core.projector import handles, table

table("calls")  # rows written by the handlers below, never by upsert
table("call_tickets")

_OFFER = """
INSERT INTO calls (id, queue, caller, withheld, offered_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    offered_at = min(offered_at, excluded.offered_at),
    queue = CASE WHEN queue = '' THEN excluded.queue ELSE queue END
"""


def _offer(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        _OFFER, (e.subject_id, p["queue"], p["caller"], int(p["withheld"]), p["offered_at"])
    )


def _waited(offered_at: str, until: str) -> int:
    return max(0, int((from_text(until) - from_text(offered_at)).total_seconds()))


@handles("call.offered")
def _offered(conn: sqlite3.Connection, e: Event) -> None:
    _offer(conn, e)


@handles("call.answered")
def _answered(conn: sqlite3.Connection, e: Event) -> None:
    _offer(conn, e)
    p = e.payload
    conn.execute(
        "UPDATE calls SET answered_at = ?, answer_wait_s = ?, extension = ?, seat = ?,"
        " agent_id = ? WHERE id = ? AND (answered_at IS NULL OR answered_at > ?)",
        (
            p["answered_at"],
            _waited(p["offered_at"], p["answered_at"]),
            p["extension"],
            e.device_id,
            e.actor_id,
            e.subject_id,
            p["answered_at"],
        ),
    )


@handles("call.abandoned")
def _abandoned(conn: sqlite3.Connection, e: Event) -> None:
    _offer(conn, e)
    conn.execute(
        "UPDATE calls SET abandoned_at = ?, abandon_wait_s = ? WHERE id = ?"
        " AND (abandoned_at IS NULL OR abandoned_at > ?)",
        (
            e.payload["abandoned_at"],
            _waited(e.payload["offered_at"], e.payload["abandoned_at"]),
            e.subject_id,
            e.payload["abandoned_at"],
        ),
    )


@handles("call.ended")
def _ended(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE calls SET ended_at = ?, talk_s = ? WHERE id = ?"
        " AND (ended_at IS NULL OR ended_at < ?)",
        (e.payload["ended_at"], e.payload["talk_s"], e.subject_id, e.payload["ended_at"]),
    )


@handles("call.linked")
def _linked(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "INSERT INTO call_tickets (ticket_id, call_id) VALUES (?, ?)"
        " ON CONFLICT (ticket_id) DO NOTHING",
        (e.payload["ticket_id"], e.subject_id),
    )
