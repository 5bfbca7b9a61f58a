#!/usr/bin/env python3
"""Sync load: N simulated seats pushing and pulling against a central server on loopback.

    python scripts/bench/sync_load.py --seats 1000 --database postgresql [--duration 60]
    python scripts/bench/sync_load.py --seats 100 --database sqlite

Starts ``hotline central`` (seeded with ``hotline.db.sample``) on a free port, registers N
devices, then runs N asyncio seats for ``--duration`` seconds: each registers a ticket
every ``--push-every`` seconds (one event, with a number from its leased block) and pulls
every ``--pull-every`` seconds from its cursors, starting at random offsets. At the end it
checks the server's log: every event the server acknowledged is there exactly once and the
order has no gaps. Prints one JSON line with the figures. ``postgresql`` makes a fresh
database on the machine's server (``--pg`` to point elsewhere) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from central.db import open_database  # noqa: E402
from store.tickets.numbers import compose  # noqa: E402

CST = timezone(timedelta(hours=8))
STREAMS = ("ticket", "kb", "directory", "config")


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[94]


def start_central(database: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = 20000 + random.randrange(20000)
    log = open(workdir / "central.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console.cli",
            "central",
            "--database",
            database,
            "--mirror",
            str(workdir / "mirror.db"),
            "--port",
            str(port),
            "--seed",
            str(ROOT / "hotline.db.sample"),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit((workdir / "central.log").read_text())


class Link:
    """One keep-alive HTTP/1.1 connection per simulated seat, written against asyncio
    streams: at 1,000 seats httpx alone took more than one of the machine's two cores, and
    the bench would have measured its client instead of the server."""

    def __init__(self, url: str, token: str):
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict) -> dict:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = json.dumps(body, ensure_ascii=False).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        await self.writer.drain()
        status = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length)
        if not status.startswith(b"HTTP/1.1 2"):
            raise ValueError(f"{status!r} {payload[:200]!r}")
        return json.loads(payload)


class Seat:
    def __init__(self, device: dict, head: int, payload: dict, url: str):
        self.device = device
        self.link = Link(url, device["token"])
        self.cursors = dict.fromkeys(STREAMS, head)
        self.seq = 0
        self.serials: list[int] = []
        self.payload = payload
        self.acknowledged: list[str] = []

    def event(self) -> dict:
        self.seq += 1
        now = datetime.now(CST).replace(microsecond=0)
        number = compose(now.date(), self.serials.pop(0))
        return {
            "id": str(uuid.uuid4()),
            "device_id": self.device["device_id"],
            "device_seq": self.seq,
            "stream": "ticket",
            "subject_id": str(uuid.uuid4()),
            "type": "ticket.registered",
            "version": 1,
            "payload": {**self.payload, "number": number},
            "actor_id": "a01",
            "actor_role": "agent",
            "occurred_at": now.isoformat(),
        }


async def run_seat(seat, args, stop, stats) -> None:
    loop = asyncio.get_running_loop()
    next_push = loop.time() + random.uniform(0, args.push_every)
    next_pull = loop.time() + random.uniform(0, args.pull_every)
    while not stop.is_set():
        now = loop.time()
        if now >= next_push:
            next_push += args.push_every
            if not seat.serials:
                day = datetime.now(CST).date().isoformat()
                block = await seat.link.post("/v1/numbers/lease", {"day": day, "count": 100})
                seat.serials = list(range(block["first"], block["last"] + 1))
            event = seat.event()
            t = time.perf_counter()
            try:
                answer = await seat.link.post("/v1/sync/push", {"events": [event]})
                stats["push"].append((time.perf_counter() - t) * 1000)
                result = answer["results"][0]
                if result["status"] == "accepted":
                    seat.acknowledged.append(event["id"])
                else:
                    stats["rejected"] += 1
            except (OSError, ValueError, KeyError, asyncio.IncompleteReadError):
                stats["errors"] += 1
                seat.link.writer = None
        if now >= next_pull:
            next_pull += args.pull_every
            t = time.perf_counter()
            try:
                page = await seat.link.post(
                    "/v1/sync/pull", {"cursors": seat.cursors, "limit": 1000}
                )
                stats["pull"].append((time.perf_counter() - t) * 1000)
                seat.cursors = page["cursors"]
                stats["pulled"] += len(page["events"])
            except (OSError, ValueError, KeyError, asyncio.IncompleteReadError):
                stats["errors"] += 1
                seat.link.writer = None
        await asyncio.sleep(max(0.0, min(next_push, next_pull) - loop.time()))


async def load(url: str, head: int, args, payload: dict) -> tuple[dict, list[Seat]]:
    limits = httpx.Limits(max_connections=args.seats, max_keepalive_connections=args.seats)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        admin = (
            await http.post(f"{url}/v1/sessions", json={"agent_id": "admin", "password": "hotline"})
        ).json()
        seats = []
        for i in range(args.seats):
            device = (
                await http.post(
                    f"{url}/v1/devices",
                    json={"name": f"bench{i}"},
                    headers={"Authorization": f"Bearer {admin['token']}"},
                )
            ).json()
            seats.append(Seat(device, head, payload, url))
        stats = {"push": [], "pull": [], "errors": 0, "rejected": 0, "pulled": 0}
        stop = asyncio.Event()
        tasks = [asyncio.create_task(run_seat(s, args, stop, stats)) for s in seats]
        started = time.perf_counter()
        await asyncio.sleep(args.duration)
        stop.set()
        await asyncio.gather(*tasks)
        stats["elapsed"] = time.perf_counter() - started
        return stats, seats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--database", default="sqlite", help="sqlite | postgresql")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--push-every", type=float, default=30)
    parser.add_argument("--pull-every", type=float, default=2)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hotline-sync-load-"))
    pg_name = None
    if args.database == "postgresql":
        import psycopg

        pg_name = f"hotline_bench_{secrets.token_hex(4)}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {pg_name}")
        database = args.pg.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        database = str(workdir / "central.db")
    sample = sqlite3.connect(ROOT / "hotline.db.sample")
    payload = json.loads(
        sample.execute(
            "SELECT payload FROM events WHERE type = 'ticket.registered' LIMIT 1"
        ).fetchone()[0]
    )
    sample.close()
    proc, url = start_central(database, workdir)
    try:
        db = open_database(database)
        with db.transaction() as tx:
            head = int(tx.scalar("SELECT max(server_seq) FROM log"))
        stats, seats = asyncio.run(load(url, head, args, payload))
        with db.transaction() as tx:
            rows = tx.execute("SELECT id, server_seq FROM log WHERE server_seq > ?", (head,))
        db.close()
        on_server = [r["id"] for r in rows]
        acknowledged = [i for s in seats for i in s.acknowledged]
        seqs = sorted(int(r["server_seq"]) for r in rows)
        figure = {
            "figure": "sync_load",
            "backend": args.database,
            "seats": args.seats,
            "duration_s": round(stats["elapsed"], 1),
            "push_every_s": args.push_every,
            "pull_every_s": args.pull_every,
            "pushes": len(stats["push"]),
            "pulls": len(stats["pull"]),
            "accepted_events_per_s": round(len(acknowledged) / stats["elapsed"], 1),
            "push_p50_ms": round(statistics.median(stats["push"]), 1) if stats["push"] else None,
            "push_p95_ms": round(p95(stats["push"]), 1),
            "pull_p50_ms": round(statistics.median(stats["pull"]), 1) if stats["pull"] else None,
            "pull_p95_ms": round(p95(stats["pull"]), 1),
            "errors": stats["errors"],
            "rejected": stats["rejected"],
            "lost": len(set(acknowledged) - set(on_server)),
            "duplicated": len(on_server) - len(set(on_server)),
            "gap_free": seqs == list(range(head + 1, head + 1 + len(seqs))),
        }
        print(json.dumps(figure, ensure_ascii=False))
    finally:
        proc.terminate()
        proc.wait(20)
        if pg_name:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
