"""The console's link with the central server: a sync round every few seconds on a thread
of its own, the sync line in every screen's header, the agent's session at the server.

A round never takes the console down and never stops for good: whatever goes wrong (the
network, the server, the store's lock held by another program, a bug) is shown on the sync
line — "同步中断：…（将重试）" — and the next round tries again.
"""

from __future__ import annotations

import os
import threading
import time

from textual import work
from textual.timer import Timer
from textual.worker import get_current_worker

from console import crash_log
from console.widgets.sync_status import status_line
from store.services import sync
from store.services.maintenance import StoreFailure, store_failure
from store.services.vocabulary import to_text

# A sync round every few seconds (HOTLINE_SYNC_SECONDS to change it); the header's sync
# line is read from the store more often, so a saved ticket shows as unsent at once.
SYNC_SECONDS = float(os.environ.get("HOTLINE_SYNC_SECONDS", "5"))
STATUS_SECONDS = 1.0


class SyncLink:
    """Mixed into the console's App (which has ``backend``, ``actor`` and the switch's
    ``call_line``, shown beside the sync line)."""

    def init_sync(self, seconds: float = SYNC_SECONDS) -> None:
        """Set up the link (no round runs until ``start_sync_line``)."""
        self.sync_seconds = seconds
        self._sync_wake = threading.Event()
        self._status_timer: Timer | None = None
        # Why the last round failed in a way the store could not record (its lock held, say).
        self.sync_problem = ""
        self.catch_up = CatchUp()  # a long catch-up's progress, for the sync line
        # The agent's session at the central server, for changes that go online only
        # (reference data); None on a seat of its own, or until the server answers.
        self.session: sync.AgentSession | None = None

    def start_sync_line(self) -> None:
        """Show the sync line in the header from now on and start the rounds."""
        self._status_timer = self.set_interval(STATUS_SECONDS, self.show_sync_status)
        self.show_sync_status()
        self.start_sync()

    @work(exclusive=True, group="sync-start")
    async def start_sync(self) -> None:
        """Start the sync rounds if this seat is registered with a central server (a seat
        that is not works alone; ``hotline sync register`` links it)."""
        if await self.backend.call(sync.is_registered):
            self.sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_worker(self) -> None:
        """Run a sync round every few seconds on a connection of its own."""
        worker = get_current_worker()
        store = None
        while not worker.is_cancelled:
            try:
                store = store or self.backend.open_store()
                sync.run_round(store, progress=self.catch_up)
                self.sync_problem = ""
            except (sync.Offline, sync.Refused):
                self.sync_problem = ""  # recorded in the seat's sync state, which is shown
            except Exception as error:  # noqa: BLE001 - the link must outlive any one round
                self.sync_problem = _describe(error, self.backend.db_path)
                if store is not None:
                    store.close()
                    store = None  # open afresh next round
            self.call_from_thread(self.show_sync_status)
            self._sync_wake.wait(self.sync_seconds)
            self._sync_wake.clear()
        if store is not None:
            store.close()

    def sync_now(self) -> None:
        """Start the next sync round now rather than at the next tick."""
        self._sync_wake.set()

    @work(exclusive=True, group="sync-status")
    async def show_sync_status(self) -> None:
        """Read the sync state and put it in the header."""
        if self.actor is None:
            return
        who = f"{self.actor.name}（{self.actor.role.label}）"
        try:
            status = await self.backend.call(sync.status)
        except StoreFailure as failure:
            self.sub_title = f"{who} · 同步状态无法读取：{failure.message[:30]}"
            return
        line = status_line(status, to_text(self.backend.clock()))
        if self.sync_problem:
            line += f" · 同步中断：{self.sync_problem}（将重试）"
        elif self.catch_up.text:
            line += f" · {self.catch_up.text}"
        self.sub_title = f"{who} · {line} · {self.call_line}"

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def open_session(self, agent_id: str, password: str) -> None:
        """Log the agent in at the central server too, if this seat is registered: editors'
        and supervisors' changes to reference data go there. Offline, it is tried again at
        the next login; the seat works without it."""
        try:
            with self.backend.open_store() as store:
                self.session = sync.session(store, agent_id, password)
        except Exception:  # noqa: BLE001 - offline, refused, or the store busy: no session
            self.session = None

    def stop_sync(self) -> None:
        """Stop the rounds and the sync line (the console is closing)."""
        if self._status_timer is not None:
            self._status_timer.stop()
        self.workers.cancel_group(self, "sync")
        self.workers.cancel_group(self, "sync-status")
        self._sync_wake.set()


class CatchUp:
    """A long catch-up's progress, written by the sync thread and read by the sync line
    (a string swapped whole: no lock needed)."""

    def __init__(self) -> None:
        self.text = ""
        self._total = self._done = 0
        self._started = 0.0

    def begin(self, what: str, total: int | None) -> None:
        self._total, self._done, self._started = total or 0, 0, time.monotonic()
        self.text = f"追赶中：{what} 0/{self._total}"

    def advance(self, done: int) -> None:
        self._done += done
        if self._done >= self._total:
            self.text = ""  # caught up: the line says 同步于 … again
            return
        rate = self._done / max(time.monotonic() - self._started, 1e-6)
        left = (self._total - self._done) / rate if rate else 0
        self.text = f"追赶中 {self._done}/{self._total}（约剩 {left:.0f} 秒）"


def _describe(error: Exception, path: object) -> str:
    import sqlite3

    if isinstance(error, sqlite3.Error):
        return store_failure(error, path).message.split("，")[0]
    crash_log.record(error, "sync")
    return f"意外错误（{type(error).__name__}），已记录日志"
