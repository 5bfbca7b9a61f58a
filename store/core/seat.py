"""The seat store: one SQLite file holding the event log and its projections."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from store.core import events as event_log
from store.core import identity, projector
from store.core.clock import Clock, system_clock, to_text
from store.core.db import BUSY_TIMEOUT_MS, connect, connect_readonly, transaction
from store.core.errors import DomainError
from store.core.events import Event
from store.core.ids import uuid7
from store.core.migrations import SCHEMA_VERSION, migrate
from store.core.roles import Actor
from store.core.upcasting import current_version

# How the configuration is read: the directory context registers it (the core knows no
# setting), as the contexts register their projections.
_CONFIG_LOADER: Callable[[sqlite3.Connection], Any] | None = None


def configuration_from(loader: Callable[[sqlite3.Connection], Any]) -> None:
    """Tell every store how to read the city's configuration (called once, on import)."""
    global _CONFIG_LOADER
    _CONFIG_LOADER = loader


class Store:
    """A seat's store. Commands (``store.tickets.workflow``, ``store.directory.commands``) write through
    :meth:`emit`; queries read the projections directly from :attr:`conn`.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
    ):
        self.conn = conn
        self.clock = clock
        self.rng = rng
        identity.establish(conn, clock(), rng)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
        durable: bool = True,
        device_no: int | None = None,
        busy_ms: int = BUSY_TIMEOUT_MS,
    ) -> Store:
        """Open (creating and migrating if needed) the seat database at ``path``.

        ``device_no`` (0–4999) fixes this seat's number range for offline ticket numbers on a
        new database; the central server assigns it at registration. ``busy_ms``: how long
        a write waits for another process's lock before it fails.
        """
        conn = connect(path, durable=durable, busy_ms=busy_ms)
        migrate(conn)
        if device_no is not None:
            _set_meta_default(conn, "device_no", str(device_no))
        return cls(conn, clock=clock, rng=rng)

    @property
    def device_id(self) -> str:
        """The device id this seat's events carry now (read each time: a sync round on
        another connection may give this seat a new identity)."""
        return identity.current(self.conn)[0]

    @property
    def device_no(self) -> int:
        """The seat's number at the central server: its offline ticket-number range."""
        return identity.current(self.conn)[1]

    @classmethod
    def open_readonly(cls, path: str | Path, *, clock: Clock = system_clock) -> Store:
        """Open ``path`` only to read it (a search, a report, a check): nothing is written,
        so a read-only file or mount serves; the schema must be this program's."""
        conn = connect_readonly(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            conn.close()
            raise DomainError(
                f"数据库版本为 {version}，本程序为 {SCHEMA_VERSION}：请先用可写方式打开一次以完成迁移。"
            )
        store = cls.__new__(cls)
        store.conn, store.clock, store.rng = conn, clock, None
        return store

    def close(self) -> None:
        self.conn.close()

    def now(self) -> datetime:
        return self.clock()

    def config(self) -> Any:
        """The city's configuration in force (the directory context reads it: see
        :func:`configuration_from`)."""
        if _CONFIG_LOADER is None:
            raise RuntimeError("no configuration loader: import store, not store.core alone")
        return _CONFIG_LOADER(self.conn)

    def new_id(self) -> str:
        return uuid7(self.now(), self.rng)

    def emit(
        self,
        actor: Actor,
        event_type: str,
        payload: dict[str, Any],
        *,
        subject_id: str | None,
        stream: str = "ticket",
        at: datetime | None = None,
    ) -> Event:
        """Append one event, apply it to the projections and queue it for sync.

        Must run inside :func:`store.core.db.transaction`, so the three happen together or not.
        """
        if not self.conn.in_transaction:
            raise RuntimeError("emit() must run inside a transaction")
        when = at or self.now()
        event = Event(
            id=uuid7(when, self.rng),
            device_id=(device_id := self.device_id),
            device_seq=event_log.next_device_seq(self.conn, device_id),
            stream=stream,
            subject_id=subject_id,
            type=event_type,
            version=current_version(event_type),
            payload=payload,
            actor_id=actor.id,
            actor_role=str(actor.role),
            occurred_at=to_text(when),
        )
        event_log.insert(self.conn, event)
        projector.apply(self.conn, event)
        self.conn.execute(
            "INSERT INTO outbox (pos) SELECT pos FROM events WHERE id = ?", (event.id,)
        )
        return event

    def unsent_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM outbox WHERE state='pending'").fetchone()[0]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _set_meta_default(conn: sqlite3.Connection, key: str, value: str) -> None:
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
