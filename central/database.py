"""The central database: an embedded SQLite file, or PostgreSQL through psycopg 3.

Both run the same SQL (written with ``?`` placeholders; PostgreSQL gets ``%s``), so one
protocol implementation and one test suite serve both. Rows come back as mappings.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from central.schema import migrate


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...
    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...


class Database(Protocol):
    dialect: str

    def transaction(self, *, write: bool = False) -> Any: ...
    def close(self) -> None: ...


def open_database(url: str) -> SQLiteDatabase | PostgresDatabase:
    """``postgresql://…`` opens PostgreSQL; anything else is a SQLite file path."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    return SQLiteDatabase(url.removeprefix("sqlite:///"))


class _SQLiteConn:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, tuple(params)).fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, tuple(params)).fetchone()
        return None if row is None else row[0]


class SQLiteDatabase:
    """One connection per thread on a WAL file; writers take ``BEGIN IMMEDIATE``."""

    dialect = "sqlite"

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
    def transaction(self, *, write: bool = False) -> Iterator[_SQLiteConn]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield _SQLiteConn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()


class _PgConn:
    def __init__(self, conn: Any):
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql.replace("?", "%s"), tuple(params))
        return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql.replace("?", "%s"), tuple(params)).fetchone()
        return None if row is None else next(iter(row.values()))


# Writers of every server process queue on this lock, taken inside the transaction and
# released by its commit: the next writer numbers its events after the last committed one.
_WRITE_LOCK_KEY = 12345_0006


class PostgresDatabase:
    """A psycopg 3 connection pool; writers serialise on a transaction-level advisory lock."""

    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8):
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.url = url
        self.pool = ConnectionPool(
            url, min_size=2, max_size=max_size, kwargs={"row_factory": dict_row}, open=True
        )
        migrate(self)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[_PgConn]:
        with self.pool.connection() as conn, conn.transaction():
            if write:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
            yield _PgConn(conn)

    def close(self) -> None:
        self.pool.close()
