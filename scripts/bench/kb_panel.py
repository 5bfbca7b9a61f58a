#!/usr/bin/env python3
"""Keystroke to knowledge-base results on screen, in the intake panel, over the 40k corpus.

Copies the sample database, imports the corpus into the copy (once; kept at --db), logs in
headless as an agent and, for each query of the benchmark's set, puts all but the last
character in the search box, then sends the last one through the driver as a terminal
would, and times until the panel shows the results for the whole query and the screen has
nothing left to paint. Prints one JSON line with p50/p95/max.

    python scripts/bench/kb_panel.py [--corpus ../shared/data/kb-laws.jsonl.gz]
                                     [--db /tmp/hotline-kb-console.db]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from console.app import HotlineApp  # noqa: E402
from console.screens.intake import IntakeScreen  # noqa: E402
from console.widgets.kb_panel import KbPanel  # noqa: E402
from store.core.roles import Actor  # noqa: E402
from store.core.seat import Store  # noqa: E402
from store.kb import importer  # noqa: E402
from store.kb.evaluation import load_queries  # noqa: E402


def prepare(db: Path, corpus: Path) -> None:
    if db.exists():
        return
    partial = db.with_suffix(".partial")
    shutil.copyfile(ROOT / "hotline.db.sample", partial)
    with Store.open(partial) as store:
        report = importer.import_file(store, Actor.system(), corpus)
        print(json.dumps({"figure": "import", "value": report.summary()}, ensure_ascii=False))
    partial.rename(db)


async def measure(db: Path, queries: list[str]) -> list[float]:
    app = HotlineApp(db, login=("a01", "hotline"), keymap_file=Path("/nonexistent"))
    timings = []
    async with app.run_test(size=(160, 48)) as pilot:
        while not isinstance(app.screen, IntakeScreen):
            await pilot.pause(0.02)
        await pilot.pause(1.5)  # the homophone tables warm on their own thread meanwhile
        panel = app.screen.query_one(KbPanel)
        box = panel.query_one("#kb-query")
        box.focus()
        await pilot.pause(0.2)  # focusing selects the box's text; let that pass first
        for query in queries * 2:
            box.value = query[:-1]
            box.action_end()  # focus selected everything; type after the last character
            await pilot.pause(0.15)
            start = time.perf_counter()
            event = events.Key(query[-1], query[-1])
            event.set_sender(app)
            app._driver.send_message(event)
            while not (
                panel.results and panel.results.query == query and not app.screen._dirty_widgets
            ):
                await asyncio.sleep(0.0005)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/data/kb-laws.jsonl.gz")
    parser.add_argument("--db", type=Path, default=Path("/tmp/hotline-kb-console.db"))
    parser.add_argument("--queries", type=Path, default=ROOT / "tests/data/kb_queries.json")
    args = parser.parse_args()
    prepare(args.db, args.corpus)
    queries = [q.text for q in load_queries(args.queries) if len(q.text) > 1]
    timings = sorted(asyncio.run(measure(args.db, queries)))
    pct = statistics.quantiles(timings, n=100, method="inclusive")
    figure = {
        "figure": "kb_keystroke_to_results_shown_ms",
        "runs": len(timings),
        "p50": round(pct[49], 1),
        "p95": round(pct[94], 1),
        "max": round(timings[-1], 1),
    }
    print(json.dumps(figure))
    return 0


if __name__ == "__main__":
    sys.exit(main())
