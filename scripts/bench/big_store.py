#!/usr/bin/env python3
"""A store of a million tickets for read-model benchmarks, made from the sample.

The sample's tickets (with their clocks, units and callbacks) are copied ``copies`` times,
copy k moved 2·k days back in time with its own ids and numbers, so the tickets spread over
about a year and a half with the sample's mix of states and lights. Only the projections are
multiplied — the event log stays the sample's — so the file serves benches of what the
watch and the reports read, not replay or sync.

    python scripts/bench/big_store.py [--db /tmp/hotline-1m.db] [--tickets 1000000]
"""

from __future__ import annotations

import argparse
import math
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "hotline.db.sample"
DAYS_APART = 2


def _shift(column: str) -> str:
    """SQL moving a stored time (``YYYY-MM-DDTHH:MM:SS+08:00``) back by the copy's days."""
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE"
        f" strftime('%Y-%m-%dT%H:%M:%S', substr({column}, 1, 19), '-' || (k * {DAYS_APART})"
        f" || ' days') || substr({column}, 20) END"
    )


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


TIMES = {
    "tickets": {
        "registered_at",
        "updated_at",
        "closed_at",
        "requested_due",
        "next_callback_at",
        "state_since",
    },
    "clocks": {"started_at", "due_at", "stopped_at"},
    "callbacks": {"at", "next_attempt_at"},
}
IDS = {
    "tickets": {"id", "merged_into"},
    "clocks": {"ticket_id"},
    "ticket_units": {"ticket_id"},
    "callbacks": {"ticket_id", "id"},
}


def build(path: Path, tickets: int) -> dict:
    """Copy the sample to ``path`` and multiply its tickets to about ``tickets``."""
    shutil.copyfile(SAMPLE, path)
    conn = sqlite3.connect(path)
    base = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    copies = math.ceil(tickets / base)
    started = time.perf_counter()
    conn.execute("CREATE TEMP TABLE copies (k INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO copies VALUES (?)", [(k,) for k in range(1, copies)])
    with conn:
        for table in ("tickets", "clocks", "ticket_units", "callbacks"):
            columns = _columns(conn, table)
            values = []
            for c in columns:
                if c in TIMES.get(table, ()):
                    values.append(_shift(c))
                elif c in IDS.get(table, ()):
                    values.append(f"CASE WHEN {c} IS NULL THEN NULL ELSE {c} || '~' || k END")
                elif table == "tickets" and c == "number":
                    values.append("number || '~' || k")
                else:
                    values.append(c)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)})"
                # SQLite reads the source rows before it inserts: the copies are not copied
                f" SELECT {', '.join(values)} FROM main.{table} CROSS JOIN copies"
            )
    conn.execute("ANALYZE")
    conn.close()
    total = sqlite3.connect(path).execute("SELECT count(*) FROM tickets").fetchone()[0]
    return {"tickets": total, "copies": copies, "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/hotline-1m.db"))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    args = parser.parse_args()
    print(build(args.db, args.tickets), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
