"""End-to-end helpers: the real central server as a process on 127.0.0.1, real seat files,
and the invariant check every sync test ends with."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from central.db import open_database
from store import Actor, Store
from store.core import projector
from store.core.clock import system_clock, to_text
from store.core.db import readonly_uri
from store.core.events import Event, next_device_seq
from store.core.ids import uuid7
from store.directory import commands as directory
from store.sync import client
from store.sync.outbox import pending_sign_ins
from store.sync.wire import to_wire

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "secret-1"
PG_ADMIN = os.environ.get("HOTLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hotline_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "console.cli", *args]


@contextmanager
def pg_database():
    """A fresh PostgreSQL database on the machine's server, dropped afterwards."""
    import psycopg

    name = f"hotline_t_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class CentralProcess:
    """``hotline central`` on a free loopback port."""

    def __init__(
        self, workdir: Path, database: str, seed: Path | None = None, sandbox: bool = False
    ):
        self.workdir = workdir
        self.database = database
        self.seed = seed
        self.sandbox = sandbox
        self.mirror = workdir / "central-mirror.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "central.log"

    def start(self, pause: str | None = None) -> CentralProcess:
        """Start the server; with ``pause``, one that stops at that point of a push (the
        crash tests' launcher) and says so in its log."""
        if pause is None:
            command = hotline_command(
                "central", "--database", self.database, "--mirror", str(self.mirror)
            )
            command += ["--port", str(self.port)]
            if self.seed is not None:
                command += ["--seed", str(self.seed)]
            if self.sandbox:
                command.append("--sandbox")
        else:
            launcher = str(ROOT / "tests" / "support" / "paused_central.py")
            command = [sys.executable, launcher, pause, self.database, str(self.mirror)]
            command.append(str(self.port))
        log = open(self.log_path, "a")  # noqa: SIM115 - the process owns it
        self.proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"central exited:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"central did not start:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, as a power cut would do it."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in central log:\n{self.log_path.read_text()}")

    def log(self) -> list[dict]:
        """The server's event log, read straight from its database."""
        db = open_database(self.database)
        try:
            with db.transaction() as tx:
                return tx.execute("SELECT id, server_seq, type, subject_id FROM log ORDER BY 1")
        finally:
            db.close()

    def login(self, agent_id: str, password: str = PASSWORD) -> str:
        answer = httpx.post(
            f"{self.url}/v1/sessions", json={"agent_id": agent_id, "password": password}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]


def signed_in(store: Store, agent_id: str, password: str = PASSWORD) -> Actor:
    """Log ``agent_id`` in at this seat as the console does: the central server accepts
    their work from this seat only with the proof of that login."""
    return directory.sign_in(store, agent_id, password)


class Seat:
    """A seat database copied from the test city, registered with a central server."""

    def __init__(self, path: Path, template: Path):
        shutil.copyfile(template, path)
        self.path = path

    @classmethod
    def at(cls, path: Path) -> Seat:
        """The seat whose file is ``path`` (already there)."""
        seat = cls.__new__(cls)
        seat.path = path
        return seat

    @classmethod
    def copy_of(cls, seat: Seat, path: Path) -> Seat:
        """Another file holding what ``seat``'s file holds now (a backup, a second copy)."""
        copy = cls.__new__(cls)
        shutil.copyfile(seat.path, path)
        copy.path = path
        return copy

    def open(self) -> Store:
        return Store.open(self.path)

    def register(self, central: CentralProcess, name: str, profile: str = "seat") -> dict:
        with self.open() as store:
            device = client.register(store, central.url, "admin", PASSWORD, name, profile)
        self.sync()  # as ``hotline sync register`` does: the first round right away
        return device

    def sync(self) -> client.RoundReport:
        with self.open() as store, client.connect(store) as link:
            return client.run_round(store, link)

    def sync_process(self, pause: str | None = None) -> subprocess.Popen:
        """``hotline sync`` on this seat; with ``pause``, a round that stops at that point
        (the crash tests' launcher) and says so on stderr."""
        if pause is None:
            command = hotline_command("--db", str(self.path), "sync")
        else:
            launcher = str(ROOT / "tests" / "support" / "paused_sync.py")
            command = [sys.executable, launcher, pause, str(self.path)]
        return subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def token(self) -> str:
        with self.open() as store:
            return store.conn.execute(
                "SELECT value FROM meta WHERE key = 'sync.device_token'"
            ).fetchone()[0]


def forge(
    store: Store,
    event_type: str,
    payload: dict,
    *,
    subject: str | None,
    actor: str,
    role: str,
    stream: str = "ticket",
    offset: int = 0,
    at: str | None = None,
) -> dict:
    """An event as a tampered seat would push it, under the seat's own device id."""
    now = system_clock()
    seq = next_device_seq(store.conn, store.device_id) + 100 + offset
    event = Event(
        uuid7(now),
        store.device_id,
        seq,
        stream,
        subject,
        event_type,
        1,
        payload,
        actor,
        role,
        at or to_text(now),
    )
    return to_wire(event)


def push_raw(central, seat, events: list[dict]) -> list[dict]:
    with seat.open() as store:
        sign_ins = pending_sign_ins(store.conn)
    answer = httpx.post(
        f"{central.url}/v1/sync/push",
        json={"events": events, "sign_ins": sign_ins},
        headers={"Authorization": f"Bearer {seat.token()}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def wait_for_line(stream, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if text in line:
            return
        if not line:
            time.sleep(0.05)
    raise AssertionError(f"{text!r} never printed")


def check_invariants(central: CentralProcess, seats: list[Seat]) -> None:
    """Every event a seat holds as saved is on the server exactly once (at the same place in
    its order), the order has no gaps, and after a final sync each seat's projections equal
    the server's."""
    log = central.log()
    seqs = sorted(int(r["server_seq"]) for r in log)
    assert seqs == list(range(1, len(seqs) + 1)), "server order has gaps"
    ids = [r["id"] for r in log]
    assert len(ids) == len(set(ids)), "an event is on the server twice"
    on_server = {r["id"]: int(r["server_seq"]) for r in log}
    for seat in seats:
        seat.sync()
        conn = sqlite3.connect(seat.path)
        saved = conn.execute("SELECT id, server_seq FROM events WHERE server_seq IS NOT NULL")
        for event_id, seq in saved:
            assert on_server.get(event_id) == seq, f"{seat.path.name}: {event_id} not saved"
        unsent = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()
        assert unsent[0] == 0
        conn.close()
        assert projection_differences(seat.path, central.mirror) == {}


def projection_differences(seat_path: Path, mirror_path: Path) -> dict[str, int]:
    """Rows that differ between a seat's projections and the server's, per table."""
    conn = sqlite3.connect(readonly_uri(seat_path), uri=True)
    conn.execute("ATTACH DATABASE ? AS server", (readonly_uri(mirror_path),))
    out = {}
    for table in projector.tables():
        a = conn.execute(
            f"SELECT {_compared(table)} FROM main.{table} EXCEPT"
            f" SELECT {_compared(table)} FROM server.{table}"
        )
        b = conn.execute(
            f"SELECT {_compared(table)} FROM server.{table} EXCEPT"
            f" SELECT {_compared(table)} FROM main.{table}"
        )
        count = len(a.fetchall()) + len(b.fetchall())
        if count:
            out[table] = count
    conn.close()
    return out


def _compared(table: str) -> str:
    """The columns compared: all, but a seat holds password hashes only of the agents who
    log in at a seat (administrators and liaisons log in at the server)."""
    if table != "agents":
        return "*"
    return (
        "id, name, role, unit_id, desk_id, active, on_duty, login_key, CASE WHEN role IN"
        " ('admin', 'liaison') THEN '' ELSE password_hash END"
    )
