"""A seat's identity — its device id and offline number range — and noticing when the file
is a copy.

Every event carries the device id and a gap-free per-device sequence number; ticket numbers
come from blocks leased to the device or from its own offline range. Two files writing
under one identity would reuse sequence numbers and ticket numbers. That happens when a seat
is restored from a backup (the original went on writing after the backup was taken) or a
seat file is copied and both copies work.

So the identity is tied to the file it was made in, by two marks a copy or a restore does
not keep:

- the file's device and inode numbers (a copy is a new file; so is a restore to a new file);
- a journal outside the file, in the user's state directory, holding the highest event
  sequence number this seat has written, updated at every open and every registration: a
  file restored over itself from a backup has written less than its journal says.

A store that finds it is a copy takes a new device id before it writes anything, and — if
it is registered with a central server — forgets its leases and issues no ticket number
until the server has given it an identity of its own (the sync client asks for one first
thing: ``hotline sync``, or the console's next round). Nothing in the file is lost: unsent
events keep their ids and are sent as they are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import sqlite3
from datetime import datetime
from pathlib import Path

import platformdirs

from store.core.clock import to_text
from store.core.db import transaction
from store.core.errors import DomainError
from store.core.ids import uuid7

DEVICE_ID = "device_id"
DEVICE_NO = "device_no"
FILE = "identity.file"
COPIED_AT = "identity.copied_at"  # set while a registered copy waits for its own identity
NOTE = "identity.note"  # what happened, for the sync status
DEVICE_TOKEN = "sync.device_token"
# A training sandbox's device ids begin with this, every id it ever takes (store.core.sandbox):
# the central server reads it on every event and every registration.
SANDBOX_PREFIX = "sandbox-"

COPY_BLOCKS_NUMBERS = (
    "本座席数据库是复制的或从备份恢复的：为防止工单号重复，须先联网同步取得新的座席身份"
    "（hotline sync，或稍候控制台自动同步）后才能登记工单。其他工作不受影响。"
)


def establish(
    conn: sqlite3.Connection, now: datetime, rng: random.Random | None
) -> tuple[str, int]:
    """This store's device id and device number, made once for a new database and anew for
    a copy (see the module's docstring)."""
    meta = _meta(conn)
    here = file_identity(conn)
    if DEVICE_ID not in meta or DEVICE_NO not in meta:  # a new database
        _write(conn, {DEVICE_ID: uuid7(now, rng), DEVICE_NO: "0", FILE: here or ""}, keep=True)
    elif here and (meta.get(FILE) and meta[FILE] != here or _behind_journal(conn, meta)):
        copied = {DEVICE_ID: fresh_id(meta[DEVICE_ID], now, rng), FILE: here}
        if meta.get(DEVICE_TOKEN):
            copied[COPIED_AT] = to_text(now)
            copied[NOTE] = (
                f"{to_text(now)[:16].replace('T', ' ')} 发现本座席数据库是复制的或从备份恢复的，"
                "已改用新设备号；待中心分配新的座席身份后恢复登记工单。"
            )
        if _writable(conn):
            _write(conn, copied)
            if meta.get(DEVICE_TOKEN):
                with transaction(conn):  # the original may have used them: never again
                    conn.execute("DELETE FROM number_leases")
    elif here and not meta.get(FILE) and _writable(conn):
        _write(conn, {FILE: here})  # a store made before files were remembered
    remember(conn)
    return current(conn)


def remember(conn: sqlite3.Connection) -> None:
    """Write this seat's high-water mark to its journal (at open, after a registration)."""
    path = _journal(conn)
    if path is None or not _writable(conn):
        return
    device_id, _ = current(conn)
    record = {"device_id": device_id, "high_seq": _high_seq(conn, device_id)}
    with contextlib.suppress(OSError):  # no state directory: the inode check still stands
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(record))
        partial.replace(path)


def _behind_journal(conn: sqlite3.Connection, meta: dict[str, str]) -> bool:
    """True if this file has written less under its device id than its journal says: a
    backup restored over it."""
    path = _journal(conn)
    try:
        record = json.loads(path.read_text()) if path else {}
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("device_id") != meta.get(DEVICE_ID):
        return False
    return _high_seq(conn, meta[DEVICE_ID]) < int(record.get("high_seq") or 0)


def _high_seq(conn: sqlite3.Connection, device_id: str) -> int:
    row = conn.execute(
        "SELECT coalesce(max(device_seq), 0) FROM events WHERE device_id = ?", (device_id,)
    ).fetchone()
    return row[0]


def _journal(conn: sqlite3.Connection) -> Path | None:
    path = conn.execute("PRAGMA database_list").fetchone()["file"]
    if not path:
        return None
    key = hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:24]
    return Path(platformdirs.user_state_dir("hotline")) / "seats" / f"{key}.json"


def current(conn: sqlite3.Connection) -> tuple[str, int]:
    """The device id and device number in force."""
    meta = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (DEVICE_ID, DEVICE_NO)
        ).fetchall()
    )
    return meta[DEVICE_ID], int(meta[DEVICE_NO])


def file_identity(conn: sqlite3.Connection) -> str | None:
    """``device:inode`` of the main database file (None in memory)."""
    path = conn.execute("PRAGMA database_list").fetchone()["file"]
    if not path:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


def numbering_blocked(conn: sqlite3.Connection) -> str | None:
    """Why this seat may not issue a ticket number now, or None."""
    row = conn.execute("SELECT 1 FROM meta WHERE key = ?", (COPIED_AT,)).fetchone()
    return COPY_BLOCKS_NUMBERS if row else None


def require_numbering(conn: sqlite3.Connection) -> None:
    message = numbering_blocked(conn)
    if message:
        raise DomainError(message, code="identity")


def needs_identity(conn: sqlite3.Connection) -> bool:
    return numbering_blocked(conn) is not None


def rekeyed(conn: sqlite3.Connection, device_id: str, device_no: int, token: str) -> None:
    """The central server gave this copy an identity of its own."""
    note = _meta(conn).get(NOTE, "")
    with transaction(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (COPIED_AT,))
        conn.execute("DELETE FROM number_leases")
        _put(
            conn,
            {
                DEVICE_ID: device_id,
                DEVICE_NO: str(device_no),
                DEVICE_TOKEN: token,
                NOTE: f"{note}已取得新的座席身份（座席号 {device_no}）。",
            },
        )


def restamp(conn: sqlite3.Connection, device_id: str, now: datetime) -> str:
    """Move this seat's unsent events of ``device_id`` to a new device id, numbered afresh:
    another copy of this file already used their sequence numbers. Returns the new id.
    Call inside a transaction."""
    new_id = fresh_id(device_id, now)
    rows = conn.execute(  # rejected ones too: they hold sequence numbers as well
        "SELECT e.pos FROM events e JOIN outbox o ON o.pos = e.pos"
        " WHERE e.device_id = ? ORDER BY e.pos",
        (device_id,),
    ).fetchall()
    for seq, (pos,) in enumerate(rows, start=1):
        conn.execute(
            "UPDATE events SET device_id = ?, device_seq = ? WHERE pos = ?", (new_id, seq, pos)
        )
    meta = _meta(conn)
    values = {
        DEVICE_ID: new_id,
        NOTE: "发现另一份本座席数据库在使用相同的事件序号，已改用新设备号重发。",
    }
    if meta.get(DEVICE_TOKEN):
        values[COPIED_AT] = to_text(now)
    if meta.get(DEVICE_ID) == device_id:
        _put(conn, values)
    return new_id


def fresh_id(old: str, now: datetime, rng: random.Random | None = None) -> str:
    """A new device id to replace ``old``: a sandbox's stays a sandbox's."""
    prefix = SANDBOX_PREFIX if old.startswith(SANDBOX_PREFIX) else ""
    return prefix + uuid7(now, rng)


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _writable(conn: sqlite3.Connection) -> bool:
    return not conn.execute("PRAGMA query_only").fetchone()[0] and _file_writable(conn)


def _file_writable(conn: sqlite3.Connection) -> bool:
    path = conn.execute("PRAGMA database_list").fetchone()["file"]
    return not path or os.access(path, os.W_OK)


def _write(conn: sqlite3.Connection, values: dict[str, str], keep: bool = False) -> None:
    with transaction(conn):
        _put(conn, values, keep)


def _put(conn: sqlite3.Connection, values: dict[str, str], keep: bool = False) -> None:
    action = "DO NOTHING" if keep else "DO UPDATE SET value = excluded.value"
    for key, value in values.items():
        conn.execute(
            f"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) {action}", (key, value)
        )
