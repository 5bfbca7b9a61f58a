"""Applying events to the projections (read models): a registry the contexts fill.

Each bounded context declares its tables (:func:`table`) and subscribes handlers to event types
(:func:`handles`); several contexts may subscribe to one type (a ticket answered from the
knowledge base moves the ticket and counts the entry's use). The core knows no event type.

Pure replay: a handler reads only the event and the projections as they stand, never the
clock or the configuration, so ``rebuild`` from the same events gives the same tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from store.core.events import Event
from store.core.upcasting import upcast

Handler = Callable[[sqlite3.Connection, Event], None]
_HANDLERS: dict[str, list[Handler]] = {}


@dataclass(frozen=True, slots=True)
class Table:
    """A projection table, as its context declares it."""

    name: str
    # The key an upsert matches on; empty for a table whose rows an event inserts once.
    key: tuple[str, ...] = ()
    # The event type that makes one row per subject (checked against the log's count).
    made_by: str | None = None
    # A search index over another projection: cleared and refilled, never compared.
    index: bool = False


_TABLES: dict[str, Table] = {}


def table(
    name: str, *, key: tuple[str, ...] = (), made_by: str | None = None, index: bool = False
) -> None:
    """Declare a projection table (once, in its context's projection module)."""
    _TABLES[name] = Table(name, key, made_by, index)


def tables() -> tuple[str, ...]:
    """The projection tables a rebuild compares, in the order they were declared."""
    return tuple(t.name for t in _TABLES.values() if not t.index)


def indexes() -> tuple[str, ...]:
    """The search-index tables a rebuild clears and refills."""
    return tuple(t.name for t in _TABLES.values() if t.index)


def keyed() -> dict[str, tuple[str, ...]]:
    """Every table that handlers upsert into, with its key."""
    return {t.name: t.key for t in _TABLES.values() if t.key}


def subjects() -> dict[str, str]:
    """Tables holding one row per subject of an event type: table → event type."""
    return {t.name: t.made_by for t in _TABLES.values() if t.made_by}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Decorator: run the handler for each event of these types (after earlier subscribers)."""

    def register(fn: Handler) -> Handler:
        for event_type in event_types:
            _HANDLERS.setdefault(event_type, []).append(fn)
        return fn

    return register


def handled_types() -> frozenset[str]:
    """Every event type some context projects."""
    return frozenset(_HANDLERS)


def apply(conn: sqlite3.Connection, event: Event) -> None:
    """Apply one event, read in its current version. Unknown types are an error: a newer
    seat must upgrade first."""
    handlers = _HANDLERS.get(event.type)
    if not handlers:
        raise ValueError(f"no projection for event type {event.type!r}")
    event = upcast(event)
    for handler in handlers:
        handler(conn, event)


def upsert(conn: sqlite3.Connection, name: str, row: dict) -> None:
    """Insert ``row``, or update the named columns of the row with the same key.

    An upsert sets only the columns it names and leaves the others as they are: ``INSERT OR
    REPLACE`` would delete the row first, losing columns set by other events (a desk
    specialist's duty) and, on a table with a second unique key, another row altogether.
    """
    key = _TABLES[name].key
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c not in key)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    conn.execute(
        f"INSERT INTO {name} ({cols}) VALUES ({marks}) ON CONFLICT ({', '.join(key)}) {action}",
        tuple(row.values()),
    )


def insert(conn: sqlite3.Connection, name: str, row: dict) -> None:
    """Insert a row that an event creates once (a ticket, a reveal): never replaces one."""
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {name} ({cols}) VALUES ({marks})", tuple(row.values()))
