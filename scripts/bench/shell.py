#!/usr/bin/env python3
"""``hotline shell`` on a pseudo-terminal, timed as a person at the keyboard sees it.

Copies the sample, starts the shell on a pty (80×24), types the id and the password, and
times: start to the id prompt; the password's Enter to the command prompt (the sign-in and
everything the shell sets up); and, ``--settle`` seconds later (the knowledge base's
tables load on a thread after login), for each command of the set, its Enter to the next
prompt (the command answered and printed). Prints one JSON line per figure.

    python scripts/bench/shell.py [--rounds 10] [--settle 2]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROMPT = b"a01>"
COMMANDS = [
    "lookup 13179979267",
    "lookup 26082350010017",
    "search 燃气 --light red",
    "kb 燃气缴费",
    "help",
]


class Pty:
    """A process on a pseudo-terminal, read until what is awaited appears."""

    def __init__(self, argv: list[str], env: dict):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def until(self, wanted: bytes, seconds: float = 30.0, after: bytes = b"") -> float:
        """Read until ``wanted`` shows after what was already seen (and after ``after``:
        prompt-toolkit redraws the accepted line, prompt included, when Enter is pressed);
        the time it took."""
        started = time.perf_counter()
        mark = len(self.seen)

        def found() -> bool:
            rest = self.seen[mark:]
            if after:
                at = rest.find(after)
                if at < 0:
                    return False
                rest = rest[at + len(after) :]
            return wanted in rest

        while not found():
            if time.perf_counter() - started > seconds:
                raise TimeoutError(f"{wanted!r} did not appear")
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                chunk = os.read(self.master, 65536)
                self.seen += chunk
                for _ in range(chunk.count(b"\x1b[6n")):  # answer as a terminal does
                    self.type("\x1b[1;1R")
        return time.perf_counter() - started

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        self.type("\x04")
        self.process.wait(timeout=10)
        os.close(self.master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--settle", type=float, default=2.0, help="秒：登录后等待再计时命令")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "seat.db"
        shutil.copyfile(ROOT / "hotline.db.sample", db)
        env = {**os.environ, "TERM": "xterm-256color", "XDG_DATA_HOME": scratch}
        env.pop("HOTLINE_PASSWORD", None)
        argv = [sys.executable, "-m", "console.cli", "shell", "--db", str(db)]
        starts, logins, commands = [], [], {c: [] for c in COMMANDS}
        for _ in range(args.rounds):
            shell = Pty(argv, env)
            starts.append(shell.until("工号".encode()))
            shell.type("a01\r")
            shell.until("密码".encode())
            shell.type("hotline\r")
            logins.append(shell.until(PROMPT, after="已登录".encode()))
            time.sleep(args.settle)  # the knowledge base's tables load on a thread meanwhile
            for c in COMMANDS:
                shell.type(c + "\r")
                commands[c].append(shell.until(PROMPT, after=b"\r\r\n"))
            shell.close()
    _line("shell.start_to_login_prompt", starts)
    _line("shell.password_to_prompt", logins)
    for c, times in commands.items():
        _line(f"shell.command {c}", times)
    return 0


def _line(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        json.dumps(
            {"bench": name, "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1)},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
