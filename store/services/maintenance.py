"""The seat's database file: whether it can be used, what it holds, whether its projections
agree with its log, rebuilding them, recovering a damaged seat, and read-only queries for
supervisors.

Everything here except :func:`rebuild_projections` and :func:`recover` only reads: the file
is left byte for byte as it was, on a read-only file or mount too.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from store.core import health
from store.core.db import connect, connect_readonly, restrict
from store.core.errors import DomainError, InvalidInput
from store.core.health import StoreFailure, StoreUnusable, preflight
from store.core.migrations import SCHEMA_VERSION, migrate
from store.core.privacy import mask_personal
from store.core.progress import SILENT, Lines, Progress
from store.core.rebuild import Difference, check, rebuild
from store.core.seat import Store
from store.sync import recovery
from store.sync.recovery import Recovered
from store.tickets import calendar_years
from store.tickets.read.summary import summarize
from store.training import sandbox

__all__ = [
    "Difference",
    "FileReport",
    "Lines",
    "Progress",
    "Recovered",
    "StoreFailure",
    "StoreUnusable",
    "compare",
    "inspect",
    "preflight",
    "query",
    "rebuild_projections",
    "recover",
    "restrict",
    "store_failure",
]


def store_failure(error: sqlite3.Error, path: object) -> StoreFailure:
    """A database error as a refusal in Chinese, saying what to do."""
    return StoreFailure.of(error, path)


@dataclass(frozen=True, slots=True)
class FileReport:
    """What ``hotline store info`` shows: the counts a person checks first, each table's
    rows, and years the working-day calendar only guesses ('' if none)."""

    summary: dict[str, str]
    tables: dict[str, int]
    calendar_warning: str


def _open_checked(path: Path, full: bool) -> sqlite3.Connection:
    """A read-only connection to a sound database of this program's schema, or a refusal."""
    conn = connect_readonly(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise DomainError(
                f"数据库版本为 {version}，本程序为 {SCHEMA_VERSION}："
                "请先用本程序打开一次以完成迁移。",
                code="version",
            )
        problem = (health.full_check if full else health.quick_check)(conn)
        if problem:
            raise StoreFailure.damaged(path, problem)
    except BaseException:
        conn.close()
        raise
    return conn


def inspect(path: Path) -> FileReport:
    """The file's account, after SQLite's quick check (a damaged file is never summarised
    as if it were fine)."""
    conn = _open_checked(path, full=False)
    try:
        db = sqlite_utils.Database(conn)
        # The search indexes' shadow tables are their internals, not the store's tables.
        shadow = ("kb_fts_", "kb_answers_fts_", "kb_title_keys_")
        tables = {t.name: t.count for t in db.tables if not t.name.startswith(shadow)}
        summary = summarize(conn)
    finally:
        conn.close()
    with Store.open_readonly(path) as store:
        gaps = calendar_years.warning(calendar_years.unknown_years(store))
    return FileReport(summary, tables, gaps)


def compare(path: Path, progress: Progress = SILENT) -> tuple[list[Difference], float]:
    """SQLite's full check, then every projection rebuilt from the log in a scratch database
    and compared with the file's, and a sandbox's marks checked against each other: the
    differences and the seconds it took."""
    conn = _open_checked(path, full=True)
    try:
        started = time.perf_counter()
        found = check(conn, progress)
        # A sandbox's marks edited by hand: it must not pass for a production seat.
        found += [Difference("sandbox", [], [], note) for note in sandbox.problems(conn)]
        return found, time.perf_counter() - started
    finally:
        conn.close()


def rebuild_projections(path: Path, progress: Progress = SILENT) -> tuple[int, float]:
    """Replace every projection by a replay of the log, in one transaction: the events
    replayed and the seconds it took."""
    conn = connect(path)
    try:
        migrate(conn)
        started = time.perf_counter()
        return rebuild(conn, progress), time.perf_counter() - started
    finally:
        conn.close()


def recover(damaged: Path, out: Path) -> Recovered:
    """A new seat file at ``out`` from the central server, with the unsent work that can
    still be read from ``damaged``."""
    return recovery.recover(damaged, out)


_READING = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
    sqlite3.SQLITE_SAVEPOINT,  # sqlite-utils 4 runs each query in a savepoint of its own
}


def _reading_only(action: int, *args: object) -> int:
    # Beside the read-only connection: no ATTACH of another file, no PRAGMA that changes
    # the connection.
    return sqlite3.SQLITE_OK if action in _READING else sqlite3.SQLITE_DENY


QUERY_ROWS = 10_000  # a query's rows at most: a report, not a copy of the database


def query(path: Path, sql: str, *, limit: int = QUERY_ROWS) -> Iterator[dict[str, Any]]:
    """Rows of a read-only ``sql`` (one SELECT) on the seat's file, personal numbers masked
    in every text value: a supervisor's ad hoc count or list, never a way round the
    reveal log. A statement that would write is refused by the read-only connection."""
    conn = _open_checked(path, full=False)
    db = sqlite_utils.Database(conn)
    conn.set_authorizer(_reading_only)
    try:
        rows = db.query(sql)
        for n, row in enumerate(rows):
            if n >= limit:
                break
            yield {k: mask_personal(v) if isinstance(v, str) else v for k, v in row.items()}
    except sqlite3.Error as error:
        raise InvalidInput(f"查询无法执行：{error}", field="sql") from None
    except ValueError:  # sqlite-utils: a statement that returns no rows
        raise InvalidInput("只能执行一条返回结果的查询（SELECT）。", field="sql") from None
    finally:
        conn.close()
