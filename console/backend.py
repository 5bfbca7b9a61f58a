"""The seat store behind the screens.

All database work runs on one dedicated thread that owns the store's connection: screens
``await backend.call(...)`` and the event loop never waits on SQLite, and the connection is
never shared between threads.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from store import Store
from store.clock import Clock, system_clock

T = TypeVar("T")


class Backend:
    def __init__(self, db_path: Path, clock: Clock = system_clock):
        self.db_path = db_path
        self.clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seat-store")
        self._store: Store | None = None
        self._closed = False

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_path, clock=self.clock)
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
        return await loop.run_in_executor(self._executor, job)

    def _run(self, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        return fn(self._open(), *args, **kwargs)

    def close(self) -> None:
        self._closed = True

        def shut() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._executor.submit(shut).result()
        self._executor.shutdown()
