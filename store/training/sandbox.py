"""The training sandbox's mark: a store made for practice says so, for good.

A sandbox store is marked at creation in three places that no command removes:

- a ``sandbox.marked`` event in its log (kept on the seat: it is not queued for sync), and
  the ``sandbox`` row it projects;
- its device id, which begins with :data:`SANDBOX_PREFIX` — and so does every id it takes
  later as a copy — so every event it writes carries the mark in its envelope;
- the events themselves: every event after the mark carries a sandbox device id.

The central server reads the device id of every registration and every pushed event, so it
refuses sandbox work without trusting the seat. Editing one mark by hand (deleting the row,
the event, or renaming the device) leaves the others disagreeing: :func:`problems` says
so, and ``hotline store check`` reports it. Any trace of a sandbox is enough for a seat to
refuse to sync with a production server (:func:`traces`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.core import identity
from store.core.db import transaction
from store.core.errors import DomainError
from store.core.events import Event
from store.core.projector import handles, insert, table
from store.core.roles import Actor
from store.core.seat import Store

SANDBOX_PREFIX = identity.SANDBOX_PREFIX
BANNER = "培训环境 · 数据不会上报"
MARKED = "sandbox.marked"

table("sandbox", made_by=MARKED)

REFUSED_SYNC = (
    "这是培训环境（沙盒）数据库，不能与生产中心服务器同步：培训数据不会上报。"
    "若培训中心运行了培训用中心服务器（hotline central --sandbox），请向它注册。"
)

REFUSED_PRODUCTION = (
    "这是培训用中心服务器（hotline central --sandbox），只接受培训库"
    "（hotline sandbox new）：生产座席请向生产中心服务器注册。"
)


@dataclass(frozen=True, slots=True)
class Mark:
    """The sandbox a store belongs to: when and from what it was made."""

    id: str
    marked_at: str
    origin: str  # "样例城市", or the seat file the directory and knowledge base came from


def mark(store: Store, origin: str) -> Mark:
    """Make ``store`` a sandbox (once; a store already marked keeps its mark)."""
    found = current(store.conn)
    if found is not None:
        return found
    with transaction(store.conn):
        device_id = identity.fresh_id(SANDBOX_PREFIX, store.now(), store.rng)
        store.conn.execute(
            "UPDATE meta SET value = ? WHERE key = ?", (device_id, identity.DEVICE_ID)
        )
        event = store.emit(
            Actor.system(),
            MARKED,
            {"origin": origin},
            subject_id=store.new_id(),
            stream="sandbox",
        )
        # A fact of this file alone: no server, production or training, is told of it.
        store.conn.execute(
            "DELETE FROM outbox WHERE pos = (SELECT pos FROM events WHERE id = ?)", (event.id,)
        )
    identity.remember(store.conn)
    return Mark(event.subject_id or "", event.occurred_at, origin)


def current(conn: sqlite3.Connection) -> Mark | None:
    """The store's sandbox mark, or None for a production store."""
    row = conn.execute("SELECT id, marked_at, origin FROM sandbox LIMIT 1").fetchone()
    return Mark(row["id"], row["marked_at"], row["origin"]) if row else None


def is_sandbox(conn: sqlite3.Connection) -> bool:
    """True if the store carries any trace of a sandbox (the banner and refusals go by it)."""
    return bool(traces(conn))


def traces(conn: sqlite3.Connection) -> list[str]:
    """Each sign that this store is (or was made from) a sandbox, in words."""
    found = []
    if current(conn) is not None:
        found.append("培训标记")
    if conn.execute("SELECT 1 FROM events WHERE type = ? LIMIT 1", (MARKED,)).fetchone():
        found.append("培训标记事件")
    device_id, _ = identity.current(conn)
    if device_id.startswith(SANDBOX_PREFIX):
        found.append("培训设备号")
    elif _sandbox_events(conn):
        found.append("培训环境写下的事件")
    return found


def refuse_sync(conn: sqlite3.Connection) -> None:
    """Raise unless this store may sync with a production server."""
    if is_sandbox(conn):
        raise DomainError(REFUSED_SYNC, code="sandbox")


def problems(conn: sqlite3.Connection) -> list[str]:
    """Where the marks disagree: a sandbox store edited by hand (empty when consistent)."""
    found = traces(conn)
    if not found:
        return []
    complete = {"培训标记", "培训标记事件", "培训设备号"}
    out = []
    missing = complete - set(found)
    if missing:
        out.append(
            "本库带有培训环境的痕迹（"
            + "、".join(found)
            + "），却缺少"
            + "、".join(sorted(missing))
            + "：培训标记被改动过，它仍是培训环境，不能作为生产座席使用。"
        )
    event = conn.execute("SELECT pos FROM events WHERE type = ? LIMIT 1", (MARKED,)).fetchone()
    if event is not None:
        unmarked = conn.execute(
            f"SELECT count(*) FROM events WHERE pos > ? AND NOT ({_RANGE})", (event["pos"],)
        ).fetchone()[0]
        if unmarked:
            out.append(f"培训标记之后有 {unmarked} 个事件不带培训设备号：设备号被改动过。")
    return out


# Device ids from the prefix up to the next character: a range the events' index serves.
_RANGE = "device_id >= 'sandbox-' AND device_id < 'sandbox.'"


def _sandbox_events(conn: sqlite3.Connection) -> bool:
    return conn.execute(f"SELECT 1 FROM events WHERE {_RANGE} LIMIT 1").fetchone() is not None


@handles(MARKED)
def _marked(conn: sqlite3.Connection, e: Event) -> None:
    insert(
        conn,
        "sandbox",
        {"id": e.subject_id, "marked_at": e.occurred_at, "origin": e.payload["origin"]},
    )
