"""The seat's link with the central server, as the front ends see it: its status, the
events the server refused and why, a sync round, registering the seat, an agent's session at
the server for what goes online only."""

from __future__ import annotations

from store.core.progress import SILENT, Progress
from store.core.seat import Store
from store.sync import client, outbox, state
from store.sync.client import AgentSession, Offline, PauseHook, Refused, RoundReport
from store.sync.outbox import Rejected
from store.sync.state import SyncStatus

__all__ = [
    "AgentSession",
    "Offline",
    "Refused",
    "Rejected",
    "RoundReport",
    "SyncStatus",
    "is_registered",
    "register",
    "rejected",
    "run_round",
    "session",
    "status",
]


def status(store: Store) -> SyncStatus:
    """Online or not, what waits to be sent and since when, the last success and error."""
    return state.status(store.conn)


def rejected(store: Store) -> list[Rejected]:
    """Every event the server refused, with its reason, newest first."""
    return outbox.rejected_events(store.conn)


def is_registered(store: Store) -> bool:
    """Whether this seat is registered with a central server (else it works alone)."""
    return bool(state.get(store.conn, state.DEVICE_TOKEN))


def run_round(
    store: Store, pause: PauseHook | None = None, progress: Progress = SILENT
) -> RoundReport:
    """One round with the server this seat is registered with: push, lease numbers, pull
    (a long catch-up reports to ``progress``). Raises :class:`Offline` or :class:`Refused`;
    the outcome is kept in the sync status."""
    with client.connect(store) as central:
        if pause is None:
            return client.run_round(store, central, progress=progress)
        return client.run_round(store, central, pause, progress)


def register(
    store: Store, url: str, agent_id: str, password: str, name: str, profile: str = "seat"
) -> dict:
    """Register this seat at ``url`` (an administrator or supervisor logs in for it)."""
    return client.register(store, url, agent_id, password, name, profile)


def session(store: Store, agent_id: str, password: str) -> AgentSession | None:
    """The agent logged in at the server this seat is registered with (None if it is not);
    raises :class:`Offline` or :class:`Refused`."""
    return AgentSession.for_seat(store, agent_id, password)
