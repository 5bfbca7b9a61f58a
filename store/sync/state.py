"""What the seat knows of its link with the central server, kept in the ``meta`` table."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.core import identity
from store.core.clock import from_text
from store.core.db import transaction

# meta keys
SERVER_URL = "sync.server_url"
DEVICE_TOKEN = "sync.device_token"
PROFILE = "sync.profile"
SANDBOX_SERVER = "sync.sandbox_server"  # "1": registered with a training server
LAST_OK = "sync.last_ok"
LAST_ATTEMPT = "sync.last_attempt"
LAST_ERROR = "sync.last_error"
ONLINE = "sync.online"
CLOCK_OFFSET = "sync.clock_offset_s"
SEATS_SEEN = "sync.seats_seen"  # seats the server heard from in the last five minutes
SEATS_SEEN_AT = "sync.seats_seen_at"  # the server's time when it said so


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Everything the status line shows."""

    registered: bool
    online: bool | None  # None: no round has run since the seat was registered
    unsent: int
    oldest_unsent_at: str | None
    last_ok: str | None
    rejected: int
    last_error: str
    server_url: str
    clock_offset_s: float
    identity_note: str = ""  # what happened when this file was found to be a copy
    needs_identity: bool = False  # a copy waiting for an identity of its own

    def oldest_unsent_age_s(self, now_text: str) -> float | None:
        """Seconds the oldest unsent event has waited, as of ``now_text``."""
        if self.oldest_unsent_at is None:
            return None
        return (from_text(now_text) - from_text(self.oldest_unsent_at)).total_seconds()


def get(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def put(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    """Write several meta keys in one transaction."""
    with transaction(conn):
        for key, value in values.items():
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def status(conn: sqlite3.Connection) -> SyncStatus:
    """The seat's sync state as it stands."""
    meta = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'sync.%' OR key LIKE 'identity.%'"
        ).fetchall()
    )
    # Read every second by the console: count the outbox alone, and find the oldest unsent
    # event by its position (the outbox's key) rather than joining every row to its event.
    counts = conn.execute(
        "SELECT sum(state = 'pending'), sum(state = 'rejected'),"
        " (SELECT occurred_at FROM events WHERE pos ="
        "  (SELECT min(pos) FROM outbox WHERE state = 'pending'))"
        " FROM outbox"
    ).fetchone()
    online = meta.get(ONLINE)
    return SyncStatus(
        registered=bool(meta.get(DEVICE_TOKEN)),
        online=None if online is None else online == "1",
        unsent=counts[0] or 0,
        oldest_unsent_at=counts[2],
        last_ok=meta.get(LAST_OK) or None,
        rejected=counts[1] or 0,
        last_error=meta.get(LAST_ERROR, ""),
        server_url=meta.get(SERVER_URL, ""),
        clock_offset_s=float(meta.get(CLOCK_OFFSET) or 0),
        identity_note=meta.get(identity.NOTE, ""),
        needs_identity=identity.COPIED_AT in meta,
    )
