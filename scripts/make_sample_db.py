#!/usr/bin/env python3
"""Build ``hotline.db.sample``: 江澄市's seat database with 90 days of realistic calls.

Everything goes through the store's own commands (``store.directory.commands``,
``store.tickets.workflow``) on a simulated clock — never by writing rows — so the sample is what
a real seat would hold, and ``hotline store rebuild --check`` must pass on it.
Deterministic: the same ``--seed``, ``--as-of`` and ``--tickets`` give the same file.

    python scripts/make_sample_db.py                 # hotline.db.sample, 5,100 tickets
    python scripts/make_sample_db.py --tickets 300 --out /tmp/small.db
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sample_city, sample_calls, sample_sim

from sample_sim import AS_OF, build  # noqa: E402

from console.progress import shown  # noqa: E402
from store.core.clock import CITY_TZ  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "hotline.db.sample"
    )
    parser.add_argument("--tickets", type=int, default=5100)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument(
        "--as-of",
        default=AS_OF.strftime("%Y-%m-%dT%H:%M"),
        help="the build date: tickets fall in the days before it (city time)",
    )
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of).replace(tzinfo=CITY_TZ)
    started = time.perf_counter()
    with shown() as progress:
        stats = build(
            args.out,
            tickets=args.tickets,
            days=args.days,
            seed=args.seed,
            as_of=as_of,
            progress=progress,
        )
    elapsed = time.perf_counter() - started
    size = args.out.stat().st_size / 1e6
    print(
        f"{args.out}: {stats['tickets']} 张工单，{stats['events']} 个事件，{size:.1f} MB，用时 {elapsed:.0f} 秒"
    )
    for state, n in stats["states"].items():
        print(f"  {state}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
