"""One sync round of a seat with a pause point, for the crash tests: the round runs as
``hotline sync`` runs it, and at the named point it says ``PAUSED <point>`` on stderr and
waits there for the test to kill it.

    python tests/support/paused_sync.py POINT SEAT_DB
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store import Store  # noqa: E402
from store.services import sync  # noqa: E402


def main() -> None:
    point, path = sys.argv[1:3]

    def pause(name: str) -> None:
        if name == point:
            print(f"PAUSED {name}", file=sys.stderr, flush=True)
            time.sleep(60)

    with Store.open(path) as store:
        sync.run_round(store, pause=pause)


if __name__ == "__main__":
    main()
