#!/usr/bin/env python3
"""Write ``store/kb/readings.txt``: every common character's toneless pinyin readings, from
pypinyin's table, one reading a line with its characters.

The knowledge-base search reads this small file instead of importing pypinyin's whole
table (0.2 s) in every new process; a test checks it still matches pypinyin.

    python scripts/make_readings.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.kb.typos import readings_from_pypinyin  # noqa: E402

OUT = ROOT / "store" / "kb" / "readings.txt"


def main() -> int:
    _, by_reading = readings_from_pypinyin()
    lines = [f"{r}\t{''.join(sorted(chars))}" for r, chars in sorted(by_reading.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} readings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
