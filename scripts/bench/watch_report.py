#!/usr/bin/env python3
"""The supervisor's watch and the monthly bulletin on a store of a million tickets.

Builds the store with ``big_store.py`` if ``--db`` is not there, then times, on one thread
as the console's store thread would: the watch's fast refresh (lights, queues, desks, urgent
tickets, units, last handover) ``--rounds`` times; its slow refresh (today against
yesterday and last week, the indicators of the shift, the day and the month); the monthly
bulletin of ``--month``; and writing it as an .xlsx workbook. The clock stands at ``--now``
(the morning after the sample's last ticket). Prints one JSON line per figure.

    python scripts/bench/watch_report.py [--db /tmp/hotline-1m.db] [--month 2026-10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from big_store import build  # noqa: E402

from store.core.roles import Actor, Role  # noqa: E402
from store.core.seat import Store  # noqa: E402
from store.services import reports, watch  # noqa: E402
from store.tickets import workflow  # noqa: E402


def _draft() -> workflow.TicketDraft:
    return workflow.TicketDraft(
        content="来电人反映小区路灯不亮。",
        topic_code="0303",
        caller_phone="13812345678",
        type="complaint",
        district_code="D01",
        street_code="D01S01",
    )


def _timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _line(name: str, ms: list[float], **extra) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    figures = {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1)}
    print(json.dumps({"bench": name, **figures, "runs": len(ms), **extra}, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/hotline-1m.db"))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--now", default="2026-11-21T09:00:00+08:00")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not args.db.exists():
        print(json.dumps({"bench": "build", **build(args.db, args.tickets)}))
    at = datetime.fromisoformat(args.now)
    with Store.open(args.db, clock=lambda: at) as store:
        total = store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
        started = time.perf_counter()
        figures = watch.now(store)
        first = (time.perf_counter() - started) * 1000
        print(json.dumps({"bench": "watch.first_read", "ms": round(first), "tickets": total}))

        def refresh() -> None:
            watch.now(store)
            watch.last_handover(store)

        _line(
            "watch.refresh",
            _timed(refresh, args.rounds),
            open_tickets=figures.open_total,
            units=len(figures.units),
        )
        agent = Actor("a01", Role.AGENT, "压测")
        rounds = []
        for _ in range(args.rounds):  # 苏州's 47,000 a day is about 5 in 10 seconds
            for _ in range(5):
                workflow.register(store, agent, _draft())
            rounds += _timed(refresh, 1)
        _line("watch.refresh_after_5_new_tickets", rounds)
        _line("watch.slow", _timed(lambda: (watch.days(store), watch.spans(store)), 5))
        wanted = reports.period("month", args.month)
        made = None

        def make() -> None:
            nonlocal made
            made = reports.make(store, wanted)

        _line("report.monthly", _timed(make, 3), registered=made and made.headline.registered)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "report.xlsx"
            _line("report.xlsx", _timed(lambda: reports.save_workbook(store, made, out), 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
