#!/usr/bin/env python3
"""Start-up and keypress latency of the console, against a bare Textual app.

Each run is a fresh process (headless Textual), timed from spawn to "ready":
- bare: a Textual app that shows one label and exits when mounted;
- console: ``hotline`` logging in and exiting when the intake screen can take a call (the
  number field is painted and takes input), and again when the whole ticket form is mounted.
Then, in one process, keypress-to-screen latency in the intake form on the sample database.
Prints one JSON line per figure.

    python scripts/bench/startup.py [--runs 10] [--db hotline.db.sample]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = """
import time
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("12345")
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print(f"ready {time.time():.6f}", flush=True)
        self.exit()
Bare().run(headless=True)
"""

CONSOLE = """
import sys, time
from pathlib import Path
from console.app import HotlineApp
app = None
def ready():
    print(f"ready {time.time():.6f}", flush=True)
    if sys.argv[2] == "number":
        app.call_after_refresh(app.exit)
def form_ready():
    if sys.argv[2] == "form":
        print(f"ready {time.time():.6f}", flush=True)
    app.call_after_refresh(app.exit)
app = HotlineApp(Path(sys.argv[1]), login=("a01", "hotline"), keymap_file=Path("/nonexistent"),
                 on_ready=ready, on_form_ready=form_ready)
app.run(headless=True)
"""

LATENCY = """
import asyncio, json, sys, time
from pathlib import Path
from textual import events
from textual.app import App
from textual.widgets import DataTable, Input, OptionList, Static
from console.app import HotlineApp
from console.screens.intake import IntakeScreen

async def key(app, ch, done):
    # key in through the driver, as a terminal would; stop when the change is painted
    start = time.perf_counter()
    event = events.Key(ch, ch if len(ch) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)
    while not (done() and not app.screen._dirty_widgets):
        await asyncio.sleep(0.0005)
    return (time.perf_counter() - start) * 1000

class Bare(App):
    def compose(self):
        yield Input()

async def bare():
    app = Bare()
    async with app.run_test(size=(160, 48)) as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause(0.2)
        return [await key(app, ch, lambda ch=ch: field.value.endswith(ch)) for ch in "wangxiansheng" * 4]

async def console():
    app = HotlineApp(Path(sys.argv[1]), login=("a01", "hotline"), keymap_file=Path("/nonexistent"))
    samples = {}
    async with app.run_test(size=(160, 48)) as pilot:
        while not (isinstance(app.screen, IntakeScreen) and app.screen.pickers is not None):
            await pilot.pause(0.02)
        await pilot.pause(0.3)
        screen = app.screen
        field = screen.query_one("#caller_name", Input)
        field.focus()
        await pilot.pause()
        samples["form_input"] = [await key(app, ch, lambda ch=ch: field.value.endswith(ch)) for ch in "wangxiansheng" * 4]
        picker = screen.query_one("#topic_code Input", Input)
        options = screen.query_one("#topic_code OptionList", OptionList)
        picker.focus()
        await pilot.pause()
        timings = []
        for _ in range(6):
            for ch in "wygl":
                timings.append(await key(app, ch, lambda ch=ch: picker.value.endswith(ch) and options.option_count > 0))
            picker.value = ""
            await pilot.pause()
        samples["topic_picker"] = timings
        phone = screen.query_one("#caller_phone", Input)
        title = screen.query_one("#history-title", Static)
        timings = []
        for number in ["057381029643", "13800000000"] * 5:
            phone.value = number[:-1]
            phone.focus()
            await pilot.pause(0.1)
            phone.action_end()  # focusing selects all; type after the last digit instead
            await pilot.pause(0.05)
            before = str(title.content)
            timings.append(await key(app, number[-1], lambda: str(title.content) != before))
            phone.value = ""
            await pilot.pause(0.1)
        samples["last_digit_to_history_shown"] = timings
    return samples

async def main():
    samples = {"bare_textual_input": await bare()}
    samples.update(await console())
    print(json.dumps(samples))

asyncio.run(main())
"""


def timed(code: str, *args: str) -> float:
    """Seconds from spawning the process to the moment it prints ``ready <wall time>``."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    ready = next(line for line in out.splitlines() if line.startswith("ready "))
    return float(ready.split()[1]) - start


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, default=ROOT / "hotline.db.sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seat.db"
        shutil.copyfile(args.db, db)
        timed(BARE), timed(CONSOLE, str(db), "form")  # warm the OS file cache and .pyc files
        bare, console, form = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine
            bare.append(timed(BARE))
            console.append(timed(CONSOLE, str(db), "number"))
            form.append(timed(CONSOLE, str(db), "form"))
        for name, values in (
            ("bare_textual_app", bare),
            ("console_ready_for_call", console),
            ("console_with_whole_form", form),
        ):
            print(
                json.dumps(
                    {
                        "figure": f"startup_{name}_s",
                        "median": round(statistics.median(values), 3),
                        "p95": round(pct(values, 95), 3),
                        "runs": len(values),
                    }
                )
            )
        print(
            json.dumps(
                {
                    "figure": "startup_ratio_console_to_bare",
                    "median": round(statistics.median(console) / statistics.median(bare), 2),
                }
            )
        )
        out = subprocess.run(
            [sys.executable, "-c", LATENCY, str(db)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        for name, values in json.loads(out.strip().splitlines()[-1]).items():
            print(
                json.dumps(
                    {
                        "figure": f"keypress_to_screen_ms_{name}",
                        "median": round(statistics.median(values), 1),
                        "p95": round(pct(values, 95), 1),
                        "max": round(max(values), 1),
                        "keys": len(values),
                    }
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
