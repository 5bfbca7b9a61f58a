"""The handovers table: each handover with its summary and notes, and who took it over."""

from __future__ import annotations

import json
import sqlite3

from store.core.events import Event
from store.core.projector import handles, insert, table

table("handovers", made_by="shift.handed_over")


@handles("shift.handed_over")
def _handed_over(conn: sqlite3.Connection, e: Event) -> None:
    insert(
        conn,
        "handovers",
        {
            "id": e.subject_id,
            "at": e.occurred_at,
            "by_agent": e.actor_id,
            "since": e.payload["since"],
            "summary": json.dumps(e.payload["summary"], ensure_ascii=False),
            "notes": e.payload["notes"],
        },
    )


@handles("shift.acknowledged")
def _acknowledged(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE handovers SET acknowledged_at = ?, acknowledged_by = ?, ack_note = ?"
        " WHERE id = ? AND acknowledged_at IS NULL",
        (e.occurred_at, e.actor_id, e.payload["note"], e.subject_id),
    )
