"""The seat's side of a pull: applying a page of the server's events, cursors included."""

from __future__ import annotations

import sqlite3
from typing import Any

from store.core import events as event_log
from store.core import identity, projector, rebuild
from store.core.clock import system_clock
from store.core.db import transaction
from store.sync.wire import from_wire


def cursors(conn: sqlite3.Connection) -> dict[str, int]:
    """How far each stream has been pulled (the server's sequence number seen last)."""
    return dict(conn.execute("SELECT stream, server_seq FROM sync_cursors").fetchall())


def apply_page(
    conn: sqlite3.Connection, events: list[dict[str, Any]], new_cursors: dict[str, int]
) -> int:
    """Apply one page and save the cursors it reaches, in one transaction.

    A crash leaves either the page applied and the cursors moved, or neither, so a page is
    never applied twice nor skipped. Returns how many events were new to this seat.

    An event of this seat's own comes back with its place in the server's order (the push
    answer may have been lost). A foreign event that the server ordered before something
    this seat already applied to the same subject means the local order was wrong: the
    projections are then rebuilt in the server's order, this seat's unsent events last.
    """
    new = 0
    reorder = False
    with transaction(conn):
        for data in events:
            seq = int(data["server_seq"])
            own = conn.execute(
                "SELECT pos, server_seq FROM events WHERE id = ?", (data["id"],)
            ).fetchone()
            if own is not None:
                if own["server_seq"] is None:
                    conn.execute("UPDATE events SET server_seq = ? WHERE pos = ?", (seq, own[0]))
                    conn.execute("DELETE FROM outbox WHERE pos = ?", (own[0],))
                continue
            event = from_wire(data)
            clash = conn.execute(
                "SELECT e.id FROM events e JOIN outbox o ON o.pos = e.pos"
                " WHERE e.device_id = ? AND e.device_seq = ?",
                (event.device_id, event.device_seq),
            ).fetchone()
            if clash is not None:
                # Another copy of this file got its event to the server first under the same
                # sequence number: ours moves to a new device id and is sent again.
                identity.restamp(conn, event.device_id, system_clock())
            if event.subject_id is not None and not reorder:
                reorder = _applied_after(conn, event.subject_id, seq)
            event_log.insert(conn, event, server_seq=seq)
            if not reorder:
                projector.apply(conn, event)
            new += 1
        for stream, seq in new_cursors.items():
            conn.execute(
                "INSERT INTO sync_cursors (stream, server_seq) VALUES (?, ?) "
                "ON CONFLICT (stream) DO UPDATE SET server_seq = max(server_seq, excluded.server_seq)",
                (stream, int(seq)),
            )
        if reorder:
            rebuild.rebuild(conn)
    return new


def _applied_after(conn: sqlite3.Connection, subject_id: str, seq: int) -> bool:
    """True if this seat already applied an event of ``subject_id`` that the server puts
    after ``seq`` (or has not ordered yet)."""
    row = conn.execute(
        "SELECT 1 FROM events WHERE subject_id = ? AND (server_seq IS NULL OR server_seq > ?)"
        " AND pos NOT IN (SELECT pos FROM outbox WHERE state = 'rejected') LIMIT 1",
        (subject_id, seq),
    ).fetchone()
    return row is not None
