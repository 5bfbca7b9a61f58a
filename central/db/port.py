"""The port every part of the server talks to the central database through.

Statements are written once, in the SQL both backends speak, with ``?`` for each
parameter (the standard's placeholder, and SQLite's own); each adapter runs them in its
dialect — the PostgreSQL adapter renders them in psycopg's style once per statement
(:func:`central.db.postgres.render`). Rows come back as plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]
Row = dict[str, Any]


class Transaction(Protocol):
    """One transaction on the central database."""

    dialect: Dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; its rows (none for a statement that returns none)."""
        ...

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        ...


class Database(Protocol):
    """The central database: transactions, and closing."""

    dialect: Dialect

    def transaction(self, *, write: bool = False) -> AbstractContextManager[Transaction]:
        """A transaction: ``write`` ones queue behind every other writer of the database,
        in this process and in every other server process."""
        ...

    def close(self) -> None:
        """Close every connection."""
        ...
