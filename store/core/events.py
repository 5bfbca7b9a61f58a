"""Events: the facts the seat store is made of."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """One appended fact. ``payload`` holds everything the projector needs to replay it."""

    id: str
    device_id: str
    device_seq: int
    stream: str
    subject_id: str | None
    type: str
    version: int
    payload: dict[str, Any]
    actor_id: str
    actor_role: str
    occurred_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Event:
        return cls(
            id=row["id"],
            device_id=row["device_id"],
            device_seq=row["device_seq"],
            stream=row["stream"],
            subject_id=row["subject_id"],
            type=row["type"],
            version=row["version"],
            payload=json.loads(row["payload"]),
            actor_id=row["actor_id"],
            actor_role=row["actor_role"],
            occurred_at=row["occurred_at"],
        )


def encode_payload(payload: dict[str, Any]) -> str:
    """The stored (and sent) form of a payload: compact, keys sorted, Chinese as is."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# The columns an event is stored in, seat and central server alike, in ``values`` order.
COLUMNS = (
    "id, device_id, device_seq, stream, subject_id, type, version,"
    " payload, actor_id, actor_role, occurred_at"
)


def values(event: Event) -> tuple:
    """``event`` as the values of :data:`COLUMNS` (the payload encoded)."""
    return (
        event.id,
        event.device_id,
        event.device_seq,
        event.stream,
        event.subject_id,
        event.type,
        event.version,
        encode_payload(event.payload),
        event.actor_id,
        event.actor_role,
        event.occurred_at,
    )


def insert(conn: sqlite3.Connection, event: Event, server_seq: int | None = None) -> None:
    """Append ``event`` to the log (the caller holds the transaction).

    ``server_seq`` is given for an event pulled from the central server.
    """
    conn.execute(
        f"INSERT INTO events ({COLUMNS}, server_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (*values(event), server_seq),
    )


def next_device_seq(conn: sqlite3.Connection, device_id: str) -> int:
    """The next gap-free sequence number of ``device_id``.

    Safe because every writer holds ``BEGIN IMMEDIATE``: nobody else can read the same
    maximum before this transaction commits.
    """
    row = conn.execute(
        "SELECT coalesce(max(device_seq), 0) + 1 FROM events WHERE device_id = ?", (device_id,)
    ).fetchone()
    return row[0]


def all_events(conn: sqlite3.Connection, subject_id: str | None = None) -> list[Event]:
    """Events in apply order, all of them or one subject's."""
    if subject_id is None:
        rows = conn.execute("SELECT * FROM events ORDER BY pos")
    else:
        rows = conn.execute("SELECT * FROM events WHERE subject_id = ? ORDER BY pos", (subject_id,))
    return [Event.from_row(r) for r in rows]
