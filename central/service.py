"""The central server's work, free of HTTP: push, pull, number leases and the mirror (who is
calling is ``central.credentials``).

One writer at a time (a lock in this process, an advisory lock in PostgreSQL across
processes) appends to the log: it numbers accepted events after the last committed one,
so the server's order is its commit order, with no gaps. Readers never wait for it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from central import seats
from central.credentials import Credentials, Device
from central.db import open_database
from central.db.port import Transaction
from central.feed import TAIL_EVENTS, Entry, Tail
from central.mirror import Mirror
from central.presence import Presence
from store.core import events as event_log
from store.core.clock import Clock, system_clock, to_text
from store.core.errors import DomainError, InvalidInput
from store.core.events import Event
from store.core.progress import SILENT, STEP, Progress
from store.core.seat import Store
from store.directory.commands import SEAT_ROLES
from store.sync.wire import MAX_SEQ, PUSH_PAYLOAD_BYTES, STREAMS, from_wire, row_to_wire, to_wire
from store.tickets.numbers import LEASED_MAX

MAX_BATCH = 1000
MAX_PAGE = 2000
MAX_LEASE = 1000
CENTRAL_DEVICE = "central"
REUSED_SEQ = (
    "座席序号已被另一份数据库使用（本座席数据库可能是复制的或从备份恢复的），将改用新设备号重发。"
)
HEADS_SECONDS = 0.5

T = TypeVar("T")


# Called with the name of each point of a push where a crash matters ("before_commit",
# "after_commit"): the crash tests' launcher stops the server there to kill it.
PauseHook = Callable[[str], None]


def _no_pause(point: str) -> None:
    return None


class CentralModeError(RuntimeError):
    """The database is of the other kind (training or production) than the server asked."""


class CentralService:
    """The server's work on one central database and its mirror."""

    def __init__(
        self,
        database_url: str,
        mirror_path: str | Path,
        clock: Clock = system_clock,
        *,
        pause: PauseHook = _no_pause,
        sandbox: bool = False,
    ):
        self.db = open_database(database_url)
        self.sandbox = self._mode(sandbox)
        self.clock = clock
        self._pause = pause
        self._write = threading.Lock()
        self._heads: tuple[dict[str, int], float] = ({}, 0.0)
        self._revocations: str | None = None
        with self._write:
            self.mirror = Mirror(mirror_path, self._instance(), clock)
            if self.mirror.applied_seq > self.head():
                raise RuntimeError(f"镜像库 {mirror_path} 比中心日志还新，请删除它后重启。")
            self._catch_up()
        self.credentials = Credentials(self.db, clock, self.agent, sandbox=self.sandbox)
        self.tail = Tail()
        self.presence = Presence()
        self._fill_tail()

    def _instance(self) -> str:
        with self.db.transaction(write=True) as tx:
            value = tx.scalar("SELECT value FROM central_meta WHERE key = 'instance'")
            if value is None:
                value = secrets.token_hex(8)
                tx.execute("INSERT INTO central_meta (key, value) VALUES ('instance', ?)", (value,))
        return value

    def _mode(self, sandbox: bool) -> bool:
        """Whether this is a training server: fixed the first time the database is served
        (a production database never becomes a training one, nor the other way)."""
        with self.db.transaction(write=True) as tx:
            kept = tx.scalar("SELECT value FROM central_meta WHERE key = 'sandbox'")
            if kept is None:
                if sandbox and tx.scalar("SELECT count(*) FROM log"):
                    raise CentralModeError(
                        "这个中心数据库已有生产数据，不能改作培训用中心服务器；"
                        "请为培训另建一个数据库。"
                    )
                kept = "1" if sandbox else "0"
                tx.execute("INSERT INTO central_meta (key, value) VALUES ('sandbox', ?)", (kept,))
        if (kept == "1") != sandbox:
            raise CentralModeError(
                "这是培训用中心数据库，请加 --sandbox 运行。"
                if kept == "1"
                else "这是生产中心数据库，不能以培训模式（--sandbox）运行。"
            )
        return kept == "1"

    def seed(self, events: list[Event], progress: Progress = SILENT) -> int:
        """Load a seat database's events as they are (an operator's import, not a push):
        the directory, knowledge base and history a new city starts from. A production
        server takes nothing a training sandbox wrote."""
        if not self.sandbox and any(seats.from_sandbox(e.device_id) for e in events):
            raise DomainError("这是培训库（沙盒）的数据，不能导入生产中心服务器。")
        with self._writing() as batch:
            if batch.head:
                raise DomainError("中心日志已有事件，只能向空的中心导入初始数据。")
            received = to_text(self.clock())
            progress.begin("导入初始事件", len(events))
            for n, event in enumerate(events, start=1):
                self.mirror.add(event, batch.head + 1)
                self._append(batch, event, received, "seed")
                if n % STEP == 0 or n == len(events):
                    progress.advance(STEP if n % STEP == 0 else n % STEP)
        return batch.head

    def close(self) -> None:
        self.mirror.store.close()
        self.db.close()

    def agent(self, agent_id: str) -> sqlite3.Row | None:
        """An active agent's directory row, as the server's projections hold it."""
        with self._write:
            self._catch_up()
            return self.mirror.conn.execute(
                "SELECT * FROM agents WHERE id = ? AND active = 1", (agent_id,)
            ).fetchone()

    # -- push --------------------------------------------------------------------------

    def push(self, device: Device, items: list[Any], sign_ins: list[Any] = ()) -> dict[str, Any]:
        """Record the logins the seat proves, then accept or reject each event exactly once;
        a repeat gets the first answer again."""
        if len(items) > MAX_BATCH:
            raise InvalidInput(f"一次最多提交 {MAX_BATCH} 个事件。", field="events")
        with self._writing() as batch:
            received = to_text(self.clock())
            logins = seats.record_sign_ins(
                batch.tx, device, list(sign_ins), self._login_key, received
            )
            results = [self._take(batch, device, item, received) for item in items]
        return {"results": results, "sign_ins": logins}

    def _login_key(self, agent_id: str) -> str:
        """An active agent's public login key (the caller holds the writer lock)."""
        row = self.mirror.conn.execute(
            "SELECT login_key FROM agents WHERE id = ? AND active = 1", (agent_id,)
        ).fetchone()
        return row[0] if row else ""

    @contextmanager
    def _writing(self) -> Iterator[_Batch]:
        """The single writer's transaction on the log, with the mirror's alongside.

        The log commits first; the mirror follows. Killed in between, the mirror rolls back
        and catches up from the log on restart, so it never misses nor repeats an event.
        """
        with self._write:
            conn = self.mirror.conn
            try:
                with self.db.transaction(write=True) as tx:
                    self._catch_up_in(tx)
                    conn.execute("BEGIN IMMEDIATE")
                    batch = _Batch(
                        tx, int(tx.scalar("SELECT coalesce(max(server_seq), 0) FROM log"))
                    )
                    yield batch
                    self.mirror.set_applied(batch.head)
                    self._pause("before_commit")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self.tail.extend(batch.entries)
            self._advance_heads(batch.entries)
            self._pause("after_commit")
            conn.execute("COMMIT")

    def _take(self, batch: _Batch, device: Device, item: Any, received: str) -> dict[str, Any]:
        tx = batch.tx
        event_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(event_id, str):
            known = self._outcome(tx, event_id)
            if known is not None:
                return known
        try:
            event = from_wire(item, max_payload=PUSH_PAYLOAD_BYTES)
        except DomainError as error:
            return {"id": event_id, "status": "rejected", "reason": error.message}
        refused = self._refuse(tx, device, event, received)
        if refused is not None:  # not this device's to send: answered, not recorded
            return {"id": event.id, "status": "rejected", "reason": refused}
        if tx.scalar(
            "SELECT 1 FROM log WHERE device_id = ? AND device_seq = ?",
            (event.device_id, event.device_seq),
        ):
            # Another copy of the seat's file used this sequence number first: the seat
            # moves its event to a new device id and sends it again (not recorded).
            return {"id": event.id, "status": "retry", "reason": REUSED_SEQ}

        def seat_checks() -> str | None:
            reason = seats.signed_in(tx, device, event)
            if reason is None and event.type == "ticket.registered":
                reason = seats.number_owned(tx, device, event)
            return reason

        reason = self.mirror.judge(event, batch.head + 1, seat_checks)
        if reason is not None:
            tx.execute(
                "INSERT INTO rejections (id, device_id, device_seq, type, subject_id, reason,"
                " received_at, received_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.id,
                    event.device_id,
                    event.device_seq,
                    event.type,
                    event.subject_id,
                    reason,
                    received,
                    device.id,
                ),
            )
            return {"id": event.id, "status": "rejected", "reason": reason}
        seq = self._append(batch, event, received, device.id)
        return {"id": event.id, "status": "accepted", "server_seq": seq}

    def _refuse(self, tx: Transaction, device: Device, event: Event, received: str) -> str | None:
        if event.stream not in device.writes:
            return f"本座席（{device.profile}）不能提交{event.stream}事件。"
        training = seats.from_sandbox(event.device_id)
        if training and not self.sandbox:
            return seats.SANDBOX_EVENT
        if self.sandbox and not training:
            return seats.PRODUCTION_EVENT
        if event.stream == "training" and not self.sandbox:
            return seats.SANDBOX_EVENT
        return seats.claim(tx, device, event.device_id, received)

    @staticmethod
    def _outcome(tx: Transaction, event_id: str) -> dict[str, Any] | None:
        seq = tx.scalar("SELECT server_seq FROM log WHERE id = ?", (event_id,))
        if seq is not None:
            return {"id": event_id, "status": "accepted", "server_seq": int(seq)}
        reason = tx.scalar("SELECT reason FROM rejections WHERE id = ?", (event_id,))
        if reason is not None:
            return {"id": event_id, "status": "rejected", "reason": reason}
        return None

    def _for_seats(self, event: Event) -> Event:
        """The event as seats receive it: a seat holds the password hashes only of agents who
        may log in at a seat (administrators and liaisons log in here, online)."""
        if event.type not in ("agent.defined", "agent.password_set"):
            return event
        row = self.mirror.conn.execute(
            "SELECT role FROM agents WHERE id = ?", (event.payload.get("id"),)
        ).fetchone()
        role = event.payload.get("role") or (row[0] if row else "")
        if role in SEAT_ROLES:
            return event
        return replace(event, payload={**event.payload, "password_hash": ""})

    def _append(self, batch: _Batch, event: Event, received: str, source: str) -> int:
        """Log ``event`` as the next in server order; return its sequence number."""
        batch.head += 1
        wire = json.dumps(
            to_wire(self._for_seats(event), batch.head), ensure_ascii=False, separators=(",", ":")
        )
        batch.tx.execute(
            f"INSERT INTO log (server_seq, {event_log.COLUMNS}, received_at, received_from, wire)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (batch.head, *event_log.values(event), received, source, wire),
        )
        batch.entries.append(Entry(batch.head, event.stream, wire))
        return batch.head

    # -- commands run here (handling units) ---------------------------------------------

    def run_command(self, command: Callable[[Store], T]) -> T:
        """Run ``command(store)`` on the mirror as the server's own device and log the events
        it emits, all or nothing."""
        with self._writing() as batch:
            conn = self.mirror.conn
            result = command(self.mirror.store)
            emitted = conn.execute(
                "SELECT e.* FROM outbox o JOIN events e ON e.pos = o.pos ORDER BY o.pos"
            ).fetchall()
            received = to_text(self.clock())
            for row in emitted:
                seq = self._append(batch, Event.from_row(row), received, CENTRAL_DEVICE)
                conn.execute("UPDATE events SET server_seq = ? WHERE pos = ?", (seq, row[0]))
            conn.execute("DELETE FROM outbox")
        return result

    def read(self, query: Callable[[Store], T]) -> T:
        """Run ``query(store)`` against the server's projections, caught up first with what
        other server processes on the same database wrote (one indexed query if nothing)."""
        with self._write:
            self._catch_up()
            return query(self.mirror.store)

    # -- pull --------------------------------------------------------------------------

    def pull_from_memory(
        self, device: Device, cursors: dict[str, Any], limit: int
    ) -> PullPage | None:
        """A pull answered without touching the database (most of them): nothing new, or
        only what the in-memory tail holds. ``None`` if the database is needed — then call
        :meth:`pull`. Fit to run on the event loop."""
        limit, streams, start = self._pull_args(device, cursors, limit)
        heads, read_at = self._heads
        if time.monotonic() - read_at >= HEADS_SECONDS:
            return None  # heads to re-read: that takes a query
        if all(start[s] >= heads.get(s, 0) for s in streams):
            return self._page(device, [], False, start, streams)
        cached = self.tail.read(start, limit)
        return None if cached is None else self._page(device, *cached, start, streams)

    def pull(self, device: Device, cursors: dict[str, Any], limit: int) -> PullPage:
        """The next events of the device's streams after its cursors, in server order."""
        self._stream_heads()
        page = self.pull_from_memory(device, cursors, limit)
        if page is not None:
            return page
        limit, streams, start = self._pull_args(device, cursors, limit)
        where = " OR ".join("(stream = ? AND server_seq > ?)" for _ in streams)
        params: list[Any] = [v for s in streams for v in (s, start[s])]
        with self.db.transaction() as tx:
            rows = tx.execute(
                f"SELECT server_seq, stream, wire FROM log WHERE {where}"
                " ORDER BY server_seq LIMIT ?",
                (*params, limit + 1),
            )
        entries = [Entry(int(r["server_seq"]), r["stream"], r["wire"]) for r in rows]
        return self._page(device, entries[:limit], len(entries) > limit, start, streams)

    @staticmethod
    def _pull_args(
        device: Device, cursors: dict[str, Any], limit: int
    ) -> tuple[int, tuple[str, ...], dict[str, int]]:
        streams = device.reads
        return (
            max(1, min(int(limit), MAX_PAGE)),
            streams,
            {s: _cursor(cursors.get(s)) for s in streams},
        )

    def _page(
        self,
        device: Device,
        entries: list[Entry],
        more: bool,
        start: dict[str, int],
        streams: tuple[str, ...],
    ) -> PullPage:
        reached = dict(start)
        for entry in entries:
            reached[entry.stream] = entry.seq
        seen = self.presence.saw(device.id)
        heads, _read_at = self._heads
        head = max([heads.get(s, 0) for s in streams] + list(reached.values()))
        return PullPage(
            [e.wire for e in entries], reached, streams, more, to_text(self.clock()), seen, head
        )

    def _advance_heads(self, entries: list[Entry]) -> None:
        heads, read_at = self._heads
        moved = dict(heads)
        for entry in entries:
            moved[entry.stream] = max(moved.get(entry.stream, 0), entry.seq)
        self._heads = (moved, read_at)

    def _stream_heads(self) -> dict[str, int]:
        """The last server sequence of each stream: moved on by this process's commits,
        re-read from the log every ``HEADS_SECONDS`` for what other processes wrote.

        Never ahead of the log (set after commit), so a pull answered from it can only be
        late — by at most that interval — never wrong: an empty page moves no cursor.
        """
        heads, read_at = self._heads
        if time.monotonic() - read_at < HEADS_SECONDS:
            return heads
        read_at = time.monotonic()
        with self.db.transaction() as tx:
            heads = {
                stream: int(
                    tx.scalar("SELECT max(server_seq) FROM log WHERE stream = ?", (stream,)) or 0
                )
                for stream in STREAMS
            }
            revocations = tx.scalar("SELECT value FROM central_meta WHERE key = 'revocations'")
        if revocations != self._revocations:  # a device was revoked, maybe by another process
            self._revocations = revocations
            self.credentials.forget_devices()
        self._heads = (heads, read_at)
        return heads

    # -- ticket numbers ----------------------------------------------------------------

    def lease(self, device: Device, day: str, count: int) -> dict[str, Any]:
        """Lease the next ``count`` serials of ``day`` to ``device``; never twice the same."""
        try:
            when = date.fromisoformat(day)
        except (TypeError, ValueError):
            raise InvalidInput(f"日期格式不对：{day!r}", field="day") from None
        today = self.clock().date()
        if not today - timedelta(days=1) <= when <= today + timedelta(days=2):
            raise InvalidInput("只能申请昨天到后天的工单号。", field="day")
        count = max(1, min(int(count), MAX_LEASE))
        with self.db.transaction(write=True) as tx:
            first = tx.scalar(
                "SELECT coalesce(max(last), 0) + 1 FROM number_blocks WHERE day = ?", (day,)
            )
            last = first + count - 1
            if last > LEASED_MAX:
                raise DomainError("今日可分配的工单号已用完，座席将使用离线号段。")
            tx.execute(
                "INSERT INTO number_blocks (day, first, last, device_id, leased_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (day, first, last, device.id, to_text(self.clock())),
            )
        return {"day": day, "first": first, "last": last}

    # -- the mirror following the log ---------------------------------------------------

    def _catch_up(self) -> None:
        with self.db.transaction() as tx:
            self._catch_up_in(tx)

    def _catch_up_in(self, tx: Transaction) -> None:
        """Apply to the mirror what the log holds beyond it (after a crash, or events
        another server process wrote)."""
        while True:
            applied = self.mirror.applied_seq
            rows = tx.execute(
                "SELECT * FROM log WHERE server_seq > ? ORDER BY server_seq LIMIT 1000", (applied,)
            )
            if not rows:
                return
            conn = self.mirror.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    wire = row_to_wire(row)
                    seq = int(wire["server_seq"])
                    known = conn.execute("SELECT pos FROM events WHERE id = ?", (wire["id"],))
                    if known.fetchone() is None:
                        self.mirror.add(from_wire(wire), seq)
                    else:
                        conn.execute(
                            "UPDATE events SET server_seq = ? WHERE id = ?", (seq, wire["id"])
                        )
                    applied = seq
                self.mirror.set_applied(applied)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _fill_tail(self) -> None:
        head = self.head()
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT server_seq, stream, wire FROM log WHERE server_seq > ? ORDER BY server_seq",
                (head - TAIL_EVENTS,),
            )
        self.tail.extend([Entry(int(r["server_seq"]), r["stream"], r["wire"]) for r in rows])

    def head(self) -> int:
        with self.db.transaction() as tx:
            return int(tx.scalar("SELECT coalesce(max(server_seq), 0) FROM log"))


@dataclass(slots=True)
class _Batch:
    tx: Transaction
    head: int
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PullPage:
    """A page of events for a seat, its new cursors, and whether more are waiting."""

    events: list[str]  # each event's JSON as logged
    cursors: dict[str, int]
    streams: tuple[str, ...]
    more: bool
    server_time: str
    seats_seen: int = 0  # seats that pulled in the last five minutes (for the watch)
    head: int = 0  # the latest server sequence of the device's streams (a catch-up's end)

    def to_json(self) -> bytes:
        """The response body, with the events spliced in as they were encoded at logging."""
        rest = json.dumps(
            {
                "cursors": self.cursors,
                "streams": list(self.streams),
                "more": self.more,
                "server_time": self.server_time,
                "seats_seen": self.seats_seen,
                "head": self.head,
            },
            ensure_ascii=False,
        )
        return ('{"events":[' + ",".join(self.events) + "]," + rest[1:]).encode()


class OutOfRange(DomainError):
    """A number in a request beyond what the server ever hands out (HTTP 400)."""

    def __init__(self, message: str):
        super().__init__(message, code="out_of_range")


def _cursor(value: Any) -> int:
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput("游标应为非负整数。", field="cursors")
    if value > MAX_SEQ:
        raise OutOfRange("游标超出范围。")
    return value
