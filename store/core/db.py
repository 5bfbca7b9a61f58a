"""Opening a seat database and running one transaction at a time on it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 5000


def connect(
    path: str | Path, *, durable: bool = True, busy_ms: int = BUSY_TIMEOUT_MS
) -> sqlite3.Connection:
    """Open ``path`` with the settings every seat store uses.

    WAL lets the console read while a worker writes; ``synchronous=FULL`` makes a commit
    survive power loss, not only a process crash. ``durable=False`` (bulk builds of the
    sample database only) trades that for speed.
    """
    new = str(path) != ":memory:" and not Path(path).exists()
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    if new:
        restrict(path)  # a seat's file holds callers' numbers: its user's alone
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={busy_ms}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'OFF'}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def restrict(path: str | Path) -> None:
    """Make the database file (and its WAL and shared-memory files) readable and writable by
    its owner only: it holds callers' numbers, and once registered the seat's token."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):  # not ours to change, or not there: leave it
            os.chmod(f"{path}{suffix}", 0o600)


def readonly_uri(path: str | Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only (checks must never change the file)."""
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro"


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open ``path`` for reading only: no journal-mode switch, no migration, no writes.

    On a read-only mount a WAL database cannot get its shared-memory file; it is then
    opened as immutable (nothing else can be writing to it there).
    """
    try:
        conn = _open_uri(readonly_uri(path))
        conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError:
        if os.access(Path(path).resolve().parent, os.W_OK):
            raise
        conn = _open_uri(readonly_uri(path) + "&immutable=1")
    return conn


def _open_uri(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one ``BEGIN IMMEDIATE`` transaction: all of it or none of it.

    IMMEDIATE takes the write lock up front, so two writers never both read a sequence
    number and then collide on commit.
    """
    if conn.in_transaction:
        # Nested use joins the outer transaction (a command calling another).
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # SQLite may have rolled back already (a full disk does): a second ROLLBACK would
        # replace the real cause with "cannot rollback - no transaction is active".
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
