"""The PostgreSQL adapter: a psycopg 3 connection pool; writers of every server process
serialise on a transaction-level advisory lock."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from central.db.migrations import migrate
from central.db.port import Dialect, Row

# Writers of every server process queue on this lock, taken inside the transaction and
# released by its commit: the next writer numbers its events after the last committed one.
_WRITE_LOCK_KEY = 12345_0006


@functools.lru_cache(maxsize=512)
def render(sql: str) -> str:
    """``sql`` in psycopg's parameter style: each ``?`` placeholder becomes ``%s`` and a
    literal ``%`` (``LIKE 'a%'``) becomes ``%%``; question marks and percent signs inside
    quoted strings, quoted names and comments are text and stay as they are, except that
    psycopg needs every ``%`` doubled wherever it stands."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":  # a string or a quoted name, '' or "" inside it escaping the quote
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif sql.startswith("--", i):  # a comment, to the end of the line
            end = sql.find("\n", i)
            end = n if end == -1 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class PostgresTransaction:
    """A transaction on one pooled connection."""

    dialect: Dialect = "postgresql"

    def __init__(self, conn: Any):
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; its rows as dicts."""
        cursor = self._conn.execute(render(sql), tuple(params))
        return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._conn.execute(render(sql), tuple(params)).fetchone()
        return None if row is None else next(iter(row.values()))


class PostgresDatabase:
    """The central database in PostgreSQL at ``url`` (migrated on opening)."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8):
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.url = url
        self.pool = ConnectionPool(
            url, min_size=2, max_size=max_size, kwargs={"row_factory": dict_row}, open=True
        )
        migrate(self)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[PostgresTransaction]:
        """A transaction on a pooled connection; ``write`` queues on the advisory lock."""
        with self.pool.connection() as conn, conn.transaction():
            if write:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
            yield PostgresTransaction(conn)

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()
