"""The seat store behind the screens.

All database work runs on one dedicated thread that owns the store's connection: screens
``await backend.call(...)`` and the event loop never waits on SQLite, and the connection is
never shared between threads.

A database error (a full disk, another program holding the lock past the busy timeout, a
damaged file) becomes a :class:`~store.core.health.StoreFailure`, a refusal with a Chinese
message like any other: every screen that shows a refusal shows it, keeps what the agent
typed, and a retry works once the cause is gone. ``on_failure`` hears of each one (the app
offers recovery for a damaged file).
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from store import Store
from store.services.maintenance import StoreFailure, store_failure
from store.services.session import BUSY_TIMEOUT_MS, Clock, system_clock

T = TypeVar("T")


class Backend:
    """The seat's store on a thread of its own: screens ``await`` calls to the services."""

    def __init__(
        self,
        db_path: Path,
        clock: Clock = system_clock,
        *,
        busy_ms: int = BUSY_TIMEOUT_MS,
        on_failure: Callable[[StoreFailure], None] | None = None,
    ):
        self.db_path = db_path
        self.clock = clock
        self.busy_ms = busy_ms
        self.on_failure = on_failure
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seat-store")
        self._store: Store | None = None
        self._closed = False

    def open_store(self) -> Store:
        """A store of its own on this seat's file (for a thread that is not the store's)."""
        return Store.open(self.db_path, clock=self.clock, busy_ms=self.busy_ms)

    def _open(self) -> Store:
        if self._store is None:
            self._store = self.open_store()
        return self._store

    async def call(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run ``fn(store, *args, **kwargs)`` on the store thread and return its result.

        After ``close`` (the console is shutting down) nothing runs: the caller's worker is
        cancelled, as it would be a moment later anyway.
        """
        if self._closed:
            raise asyncio.CancelledError
        loop = asyncio.get_running_loop()
        job = functools.partial(self._run, fn, args, kwargs)
        try:
            return await loop.run_in_executor(self._executor, job)
        except StoreFailure as failure:
            if self.on_failure is not None:
                self.on_failure(failure)
            raise

    def _run(self, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        try:
            return fn(self._open(), *args, **kwargs)
        except sqlite3.Error as error:
            raise store_failure(error, self.db_path) from None

    def close(self) -> None:
        """Stop taking calls and close the store on its own thread."""
        self._closed = True

        def shut() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._executor.submit(shut).result()
        self._executor.shutdown()
