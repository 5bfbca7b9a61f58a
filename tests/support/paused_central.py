"""The central server with a pause point, for the crash tests: it serves as ``hotline
central`` does, and when a push reaches the named point it says ``PAUSED <point>`` on stderr
and waits there for the test to kill it.

    python tests/support/paused_central.py POINT DATABASE MIRROR PORT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from central.server import serve  # noqa: E402


def main() -> None:
    point, database, mirror, port = sys.argv[1:5]

    def pause(name: str) -> None:
        if name == point:
            print(f"PAUSED {name}", file=sys.stderr, flush=True)
            time.sleep(60)

    serve(database, Path(mirror), port=int(port), pause=pause)


if __name__ == "__main__":
    main()
