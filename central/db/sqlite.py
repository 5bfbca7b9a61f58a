"""The SQLite adapter: one connection per thread on a WAL file; writers take ``BEGIN
IMMEDIATE``, so two server processes on one file still write one at a time."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from central.db.migrations import migrate
from central.db.port import Dialect, Row


class SQLiteTransaction:
    """A transaction on one of the adapter's connections."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; its rows as dicts."""
        return [dict(r) for r in self._conn.execute(sql, tuple(params)).fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._conn.execute(sql, tuple(params)).fetchone()
        return None if row is None else row[0]


class SQLiteDatabase:
    """The central database in a SQLite file at ``path`` (migrated on opening)."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        migrate(self)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[SQLiteTransaction]:
        """A transaction on this thread's connection; ``write`` takes the lock first."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield SQLiteTransaction(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection."""
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
