"""Rebuilding the projections from the event log, and checking they match the live ones."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.core import projector
from store.core.db import readonly_uri, transaction
from store.core.events import Event
from store.core.migrations import migrate
from store.core.progress import SILENT, STEP, Progress


@dataclass(frozen=True, slots=True)
class Difference:
    table: str
    only_live: list[tuple]  # rows in the live projection that a rebuild does not produce
    only_rebuilt: list[tuple]  # rows a rebuild produces that the live projection lacks
    note: str = ""  # a difference that is not a row (counts against the log)

    def describe(self, sample: int = 3) -> str:
        if self.note:
            return f"{self.table}: {self.note}"
        lines = [
            f"{self.table}: {len(self.only_live)} 行仅在现有数据中，"
            f"{len(self.only_rebuilt)} 行仅在重建结果中"
        ]
        # Only the row's key (its first columns): a whole row could print a caller's number.
        lines += [f"  现有: {row[:2]}" for row in self.only_live[:sample]]
        lines += [f"  重建: {row[:2]}" for row in self.only_rebuilt[:sample]]
        return "\n".join(lines)


def canonical_events_sql(schema: str = "main") -> str:
    """The events that make the projections, in the order that makes them.

    Events the central server has ordered come first, in its order; then this seat's
    unsent ones, in the order they were made. Events the server rejected are kept in the
    log (and shown to the agent) but take no part: the seat then agrees with the server.
    A seat that never synced has no server order, so this is simply the local order.
    """
    return (
        f"SELECT * FROM {schema}.events WHERE pos NOT IN "
        f"(SELECT pos FROM {schema}.outbox WHERE state = 'rejected') "
        "ORDER BY server_seq IS NULL, server_seq, pos"
    )


def replay(
    conn: sqlite3.Connection, source_schema: str = "main", progress: Progress = SILENT
) -> int:
    """Apply every event of ``source_schema``.events to the projections of ``conn``.

    The log is read a page at a time, never held whole: memory stays flat however long the
    log has grown.
    """
    total = conn.execute(
        f"SELECT count(*) FROM ({canonical_events_sql(source_schema)})"
    ).fetchone()[0]
    progress.begin("重放事件", total)
    count = 0
    rows = conn.execute(canonical_events_sql(source_schema))
    while page := rows.fetchmany(STEP):
        for row in page:
            projector.apply(conn, Event.from_row(row))
        count += len(page)
        progress.advance(len(page))
    return count


def check(conn: sqlite3.Connection, progress: Progress = SILENT) -> list[Difference]:
    """Rebuild into a scratch in-memory database and compare every projection table."""
    scratch = sqlite3.connect(":memory:", isolation_level=None, uri=True)
    scratch.row_factory = sqlite3.Row
    try:
        migrate(scratch)
        live_path = conn.execute("PRAGMA database_list").fetchone()["file"]
        scratch.execute("ATTACH DATABASE ? AS live", (readonly_uri(live_path),))
        with transaction(scratch):
            scratch.execute("INSERT INTO main.events SELECT * FROM live.events")
            scratch.execute("INSERT INTO main.outbox SELECT * FROM live.outbox")
            replay(scratch, progress=progress)
        differences = []
        for table in projector.tables():
            only_live = scratch.execute(
                f"SELECT * FROM live.{table} EXCEPT SELECT * FROM main.{table}"
            ).fetchall()
            only_rebuilt = scratch.execute(
                f"SELECT * FROM main.{table} EXCEPT SELECT * FROM live.{table}"
            ).fetchall()
            if only_live or only_rebuilt:
                differences.append(
                    Difference(
                        table, [tuple(r) for r in only_live], [tuple(r) for r in only_rebuilt]
                    )
                )
        return differences + missing_subjects(scratch, "live")
    finally:
        scratch.close()


def missing_subjects(conn: sqlite3.Connection, schema: str = "main") -> list[Difference]:
    """Tables holding fewer (or more) rows than the log has subjects for them.

    A rebuild that agrees with the live tables can still be wrong if a replay loses rows (a
    projection that deleted one), so these counts are checked against the log itself.
    """
    out = []
    for table, event_type in projector.subjects().items():
        expected = conn.execute(
            f"SELECT count(DISTINCT subject_id) FROM ({canonical_events_sql(schema)})"
            " WHERE type = ?",
            (event_type,),
        ).fetchone()[0]
        actual = conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
        if expected != actual:
            note = f"事件日志中有 {expected} 个，表中却有 {actual} 行（有行被删除或重复）"
            out.append(Difference(table, [], [], note))
    return out


# Counts the rebuilds of this file, so a reader that keeps projections in memory (the
# supervisor's watch) knows they changed without a new event.
GENERATION_KEY = "projections.generation"


def rebuild(conn: sqlite3.Connection, progress: Progress = SILENT) -> int:
    """Replace every projection by a replay of the events, in one transaction."""
    with transaction(conn):
        for table in (*reversed(projector.tables()), *projector.indexes()):
            conn.execute(f"DELETE FROM {table}")
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (GENERATION_KEY,),
        )
        return replay(conn, progress=progress)
