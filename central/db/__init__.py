"""The central database behind one typed port (:mod:`central.db.port`): an embedded SQLite
file, or PostgreSQL through psycopg 3, each an adapter of its own."""

from __future__ import annotations

from central.db.port import Database, Transaction
from central.db.postgres import PostgresDatabase
from central.db.sqlite import SQLiteDatabase

__all__ = ["Database", "Transaction", "open_database"]


def open_database(url: str) -> Database:
    """``postgresql://…`` opens PostgreSQL; anything else is a SQLite file path."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    return SQLiteDatabase(url.removeprefix("sqlite:///"))
