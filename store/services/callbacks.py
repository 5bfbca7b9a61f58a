"""Callbacks (回访): who is due a call, the ticket as the callback agent sees it while calling,
revealing the number (logged), recording the call, redo for the unsatisfied, archiving."""

from __future__ import annotations

from dataclasses import dataclass

from store.core.seat import Store
from store.tickets.read import queues
from store.tickets.read.queues import CallbackForm, QueueRow
from store.tickets.workflow import archive, callback, redo, reveal_caller

__all__ = [
    "CallbackForm",
    "CallbackLists",
    "QueueRow",
    "archive",
    "callback",
    "form",
    "lists",
    "redo",
    "reveal_caller",
]


@dataclass(frozen=True, slots=True)
class CallbackLists:
    """Tickets due for a callback, earliest deadline first; and the calls done (to redo or
    archive) with the callers not reached whose next try is still to come."""

    due: list[QueueRow]
    done: list[QueueRow]


def lists(store: Store) -> CallbackLists:
    """The callback agent's two lists as they stand now."""
    now = store.now()
    done = queues.called_back(store.conn, now) + queues.missed_callbacks(store.conn, now)
    return CallbackLists(queues.callback_queue(store.conn, now), done)


def form(store: Store, ticket_id: str, revealed: str | None = None) -> CallbackForm:
    """The ticket as the callback dialog shows it (``revealed``: the number, if the agent
    revealed it for this call), with the city's satisfaction scale and retry interval."""
    return queues.callback_form(store, ticket_id, revealed)
