"""The server's own projections: a seat store fed with every accepted event, in server order.

The central log (SQLite or PostgreSQL) is the truth; the mirror is a SQLite file derived
from it, which lets the server judge a pushed event with the very rules and projector the
seats use (state machine, roles, ticket numbers), and run liaisons' commands as a seat
would. It records the last server sequence it applied in the same transaction, so after a
crash it catches up from the log and never applies an event twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import store.calls.commands  # noqa: F401 - declares the call records
import store.kb.entries  # noqa: F401 - declares the knowledge base's pushable events
import store.kb.learning  # noqa: F401 - declares what agents' searches ended in
import store.shifts.commands  # noqa: F401 - declares the shift handovers
import store.tickets.workflow  # noqa: F401 - declares the ticket events
import store.training.commands  # noqa: F401 - declares the training events (training servers)
from store.core import events as event_log
from store.core import judging, projector
from store.core.clock import Clock, system_clock
from store.core.errors import DomainError
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.directory.commands import acting_agent, actor_of

APPLIED = "central.applied_seq"
INSTANCE = "central.instance"


class Mirror:
    """Used only under the server's writer lock (``CentralService`` holds it around every
    use, reads included): one connection, one thread at a time."""

    def __init__(self, path: str | Path, instance: str, clock: Clock = system_clock):
        self.path = Path(path)
        self.store = Store.open(self.path, clock=clock)
        if self._meta(INSTANCE) not in (None, instance):
            # A mirror of another database (dropped and made anew): start it afresh.
            self.store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.store = Store.open(self.path, clock=clock)
        self.conn = self.store.conn
        # The log is the durable copy; the mirror catches up from it after a crash. NORMAL
        # (in WAL mode) never corrupts the file, it may only forget the last commits on a
        # power cut, and it saves an fsync on every push.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        if self._meta(INSTANCE) is None:
            self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (INSTANCE, instance))

    def _meta(self, key: str) -> str | None:
        row = self.store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def applied_seq(self) -> int:
        return int(self._meta(APPLIED) or 0)

    def set_applied(self, seq: int) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (APPLIED, str(seq)),
        )

    def add(self, event: Event, server_seq: int) -> None:
        """Apply an event the log holds (the caller holds the mirror's transaction)."""
        event_log.insert(self.conn, event, server_seq=server_seq)
        projector.apply(self.conn, event)

    def judge(
        self, event: Event, server_seq: int, seat_checks: Callable[[], str | None]
    ) -> str | None:
        """Apply ``event`` if the store's own rules allow it; else return why not (in
        Chinese). The actor and their role come from the server's directory; then
        ``seat_checks`` (the agent logged in at that seat, the number is the seat's), then
        the store's judgement of the event.

        Runs in a savepoint of the caller's transaction: a refused event leaves no trace.
        """
        self.conn.execute("SAVEPOINT judge")
        try:
            actor = acting_agent(self.conn, event.actor_id, event.actor_role)
            refused = seat_checks()
            if refused is not None:
                raise DomainError(refused)
            judging.judge(self.store, actor, event)
            self.add(event, server_seq)
        except DomainError as error:
            self.conn.execute("ROLLBACK TO judge")
            return error.message
        except (sqlite3.Error, KeyError, ValueError, TypeError) as error:
            # Never echo the error's text: it may quote what the event carried.
            self.conn.execute("ROLLBACK TO judge")
            return f"事件内容无效，无法应用（{type(error).__name__}）。"
        finally:
            self.conn.execute("RELEASE judge")
        return None

    def actor(self, agent_id: str) -> Actor | None:
        row = self.conn.execute(
            "SELECT * FROM agents WHERE id = ? AND active = 1", (agent_id,)
        ).fetchone()
        return None if row is None else actor_of(row)
