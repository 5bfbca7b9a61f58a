#!/usr/bin/env python3
"""Screen pop: from the switch's answer event to the caller's history on the intake screen.

Starts the AMI double (the test suite's, the real protocol on 127.0.0.1), opens the console
headless on a copy of the sample (or --db) as an agent linked to it, and answers calls from
callers with history one after another. Each is timed from the moment the switch writes
``AgentConnect`` until the number is in the field, the history table holds the caller's
tickets and none of what shows them is left to paint. Prints one JSON line per figure.

    python scripts/bench/screen_pop.py [--db PATH] [--calls 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.ami_switch import AmiSwitch, answered, call_ids, completed  # noqa: E402
from textual.widgets import DataTable, Input  # noqa: E402

from console.app import HotlineApp  # noqa: E402
from console.screens.intake import IntakeScreen  # noqa: E402
from store.core.seat import Store  # noqa: E402


def callers(db: Path, count: int) -> list[tuple[str, int]]:
    """Callers with history, and how many tickets each has."""
    with Store.open(db) as store:
        return [
            (phone, n)
            for phone, n in store.conn.execute(
                "SELECT caller_phone, count(*) FROM tickets WHERE caller_phone LIKE '1%'"
                " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                (count,),
            )
        ]


async def measure(db: Path, cti: Path, switch: AmiSwitch, who: list[tuple[str, int]]):
    app = HotlineApp(db, login=("a01", "hotline"), keymap_file=Path("/nonexistent"), cti_file=cti)
    timings = []
    async with app.run_test(size=(160, 48)) as pilot:
        while not (isinstance(app.screen, IntakeScreen) and "话机：已连接" in app.sub_title):
            await pilot.pause(0.05)
        await pilot.pause(1.5)  # the form mounts and the search warms meanwhile
        screen = app.screen
        phone = screen.query_one("#caller_phone", Input)
        table = screen.query_one("#history-table", DataTable)
        # What the agent reads: the number, the history's title and table. (The focused
        # field's blinking cursor dirties the screen twice a second; it is not waited on.)
        shown = [phone, table, screen.query_one("#history-title"), screen.query_one("#call-info")]
        for number, tickets in who:
            uid, agent_uid = call_ids()
            start = time.perf_counter()
            await asyncio.to_thread(switch.play, answered(uid, agent_uid, number))
            while not (
                phone.value == number
                and table.row_count == min(tickets, 50)
                and not any(w in app.screen._dirty_widgets for w in shown)
            ):
                await asyncio.sleep(0.002)
            timings.append((time.perf_counter() - start) * 1000)
            await asyncio.to_thread(switch.play, completed(uid, number))
            await pilot.pause(0.3)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a seat store (default: a copy of the sample)")
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-pop-"))
    db = args.db or work / "seat.db"
    if args.db is None:
        shutil.copyfile(ROOT / "hotline.db.sample", db)
    switch = AmiSwitch().start()
    cti = work / "cti.toml"
    cti.write_text(
        f'[ami]\nhost = "127.0.0.1"\nport = {switch.port}\nusername = "seat"\n'
        f'secret = "s3cret"\nextension = "8001"\n',
        encoding="utf-8",
    )
    os.chmod(cti, 0o600)
    try:
        timings = sorted(asyncio.run(measure(db, cti, switch, callers(db, args.calls))))
    finally:
        switch.stop()
        shutil.rmtree(work, ignore_errors=True)
    pct = statistics.quantiles(timings, n=100, method="inclusive")
    print(
        json.dumps(
            {
                "figure": "answer_event_to_history_shown_ms",
                "runs": len(timings),
                "min": round(timings[0], 1),
                "p50": round(pct[49], 1),
                "p95": round(pct[94], 1),
                "max": round(timings[-1], 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
