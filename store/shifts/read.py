"""The handovers as the watch shows them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.core.clock import read_time


@dataclass(frozen=True, slots=True)
class Handover:
    """A handover as the watch shows it."""

    id: str
    at: datetime | None
    by: str  # the supervisor's name
    by_id: str
    since: datetime | None
    summary: list[list[str]]
    notes: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    ack_note: str


def last(conn: sqlite3.Connection) -> Handover | None:
    """The latest handover, acknowledged or not."""
    row = conn.execute(
        "SELECT h.*, a.name AS by_name, b.name AS ack_name FROM handovers h"
        " LEFT JOIN agents a ON a.id = h.by_agent LEFT JOIN agents b ON b.id = h.acknowledged_by"
        " ORDER BY h.at DESC, h.id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    try:
        lines = json.loads(row["summary"])
    except ValueError:
        lines = []
    return Handover(
        id=row["id"],
        at=read_time(row["at"]),
        by=row["by_name"] or row["by_agent"],
        by_id=row["by_agent"],
        since=read_time(row["since"]),
        summary=lines,
        notes=row["notes"],
        acknowledged_at=read_time(row["acknowledged_at"]) if row["acknowledged_at"] else None,
        acknowledged_by=(row["ack_name"] or row["acknowledged_by"] or ""),
        ack_note=row["ack_note"] or "",
    )
