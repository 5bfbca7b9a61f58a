"""Rebuilding a damaged seat from the central server, keeping what can still be read of its
unsent work.

Everything a seat sent is on the central server; only its unsent events and its identity
live in the file alone. Recovery reads those from the damaged file as far as they can be
read, writes them into a new file, and lets a sync round do the rest: the new file is a
copy of the seat (it asks the server for an identity of its own, so no ticket number is
ever issued twice), sends the unsent work, and pulls the city's tickets, directory and
knowledge base again. The damaged file is left as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.core import events as event_log
from store.core import identity, rebuild
from store.core.clock import to_text
from store.core.db import connect_readonly, transaction
from store.core.errors import DomainError
from store.core.events import Event
from store.core.seat import Store
from store.sync import client, state

# What of the seat's meta travels to the new file: who it is and where its server is.
KEPT_META = (
    identity.DEVICE_ID,
    identity.DEVICE_NO,
    state.SERVER_URL,
    state.DEVICE_TOKEN,
    state.PROFILE,
)


@dataclass(frozen=True, slots=True)
class Salvage:
    meta: dict[str, str]
    unsent: list[Event]
    sign_ins: list[dict[str, Any]]
    unreadable: bool  # some of the unsent work could not be read


@dataclass(frozen=True, slots=True)
class Recovered:
    path: Path
    unsent: int  # unsent events carried over (and sent)
    unreadable: bool
    pulled: int


def salvage(path: Path) -> Salvage:
    """What can be read of the seat's identity and unsent work; never raises for damage."""
    try:
        conn = connect_readonly(path)
    except sqlite3.Error:
        return Salvage({}, [], [], True)
    unreadable = False
    try:
        meta = _rows(conn, "SELECT key, value FROM meta")
        meta = {k: v for k, v in meta if k in KEPT_META} if meta is not None else {}
        rows = _rows(
            conn,
            "SELECT e.* FROM events e JOIN outbox o ON o.pos = e.pos"
            " WHERE o.state = 'pending' ORDER BY o.pos",
        )
        if rows is None:  # the join is damaged: try the log alone, in order
            unreadable = True
            rows = _rows(conn, "SELECT * FROM events WHERE server_seq IS NULL ORDER BY pos") or []
        unsent = []
        for row in rows:
            try:
                unsent.append(Event.from_row(row))
            except (ValueError, TypeError, KeyError):
                unreadable = True
        signs = _rows(
            conn, "SELECT agent_id, device_id, at, proof FROM sign_ins WHERE sent = 0 ORDER BY n"
        )
        sign_ins = [dict(r) for r in signs] if signs is not None else []
        return Salvage(meta, unsent, sign_ins, unreadable or signs is None)
    finally:
        conn.close()


def recover(damaged: Path, out: Path) -> Recovered:
    """Make ``out`` a working copy of the seat in ``damaged``, from the central server.
    Raises ``DomainError`` if the seat was never registered, or the server cannot be
    reached (nothing is lost: run it again)."""
    if out.exists():
        raise DomainError(f"目标文件已存在：{out}。请换一个文件名。")
    found = salvage(damaged)
    if not found.meta.get(state.DEVICE_TOKEN) or not found.meta.get(state.SERVER_URL):
        raise DomainError(
            "损坏的数据库里读不到中心服务器的注册信息：无法从中心恢复。"
            "请从备份恢复，或新建座席并重新注册（hotline sync register）。"
        )
    store = Store.open(out)
    try:
        with transaction(store.conn):
            for key, value in found.meta.items():
                store.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            now = to_text(store.now())
            note = f"{now[:16].replace('T', ' ')} 从损坏的数据库 {damaged.name} 恢复。"
            for key, value in ((identity.COPIED_AT, now), (identity.NOTE, note)):
                store.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            for event in found.unsent:
                event_log.insert(store.conn, event)
                store.conn.execute(
                    "INSERT INTO outbox (pos) SELECT pos FROM events WHERE id = ?", (event.id,)
                )
            for sign_in in found.sign_ins:
                store.conn.execute(
                    "INSERT INTO sign_ins (agent_id, device_id, at, proof) VALUES (?, ?, ?, ?)",
                    (sign_in["agent_id"], sign_in["device_id"], sign_in["at"], sign_in["proof"]),
                )
        try:
            with client.connect(store) as central:
                report = client.run_round(store, central)
        except (client.Offline, client.Refused) as error:
            raise DomainError(
                f"恢复需要联网：{getattr(error, 'message', error)}。新文件 {out} 已保留未发送的工作，"
                f"联网后运行 hotline --db {out} sync 即可完成恢复。"
            ) from None
        rebuild.rebuild(store.conn)  # the pulled log and the carried-over work, in order
        return Recovered(out, len(found.unsent), found.unreadable, report.pulled)
    finally:
        store.close()


def _rows(conn: sqlite3.Connection, sql: str) -> list[sqlite3.Row] | None:
    """The rows of ``sql``, or as many as could be read before damage; None if none."""
    rows: list[sqlite3.Row] = []
    try:
        for row in conn.execute(sql):
            rows.append(row)
    except sqlite3.DatabaseError:
        return rows or None
    return rows
