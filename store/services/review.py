"""The supervisors' review queue: returns, extensions and replies to decide, and returned
tickets to send to another unit.

:func:`approve` and :func:`refuse` decide whatever the ticket waits for — a return, an
extension or a reply — so every front end offers one pair of keys or commands.
"""

from __future__ import annotations

from datetime import datetime

from store.core.errors import InvalidState
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.tickets.read import queues
from store.tickets.read.queries import get_ticket
from store.tickets.read.queues import QueueRow
from store.tickets.states import State
from store.tickets.workflow import decide_extension, decide_return, redispatch, review

__all__ = [
    "QueueRow",
    "approve",
    "decide_extension",
    "decide_return",
    "queue",
    "redispatch",
    "refuse",
    "review",
]


def queue(store: Store) -> list[QueueRow]:
    """What waits for a supervisor, in the order it arrived."""
    return queues.review_queue(store.conn, store.now())


def _waiting(store: Store, ticket_id: str) -> State:
    state = State(get_ticket(store.conn, ticket_id)["state"])
    if state is State.RETURNED:
        raise InvalidState("已退单的工单请改派给其他承办单位。")
    if state not in (State.RETURN_REQUESTED, State.EXTENSION_REQUESTED, State.REPLIED):
        raise InvalidState(f"这张工单{state.label}，没有待审核的事项。")
    return state


def approve(store: Store, actor: Actor, ticket_id: str, new_due: datetime | None = None) -> Event:
    """Approve what ``ticket_id`` waits for: the return, the extension (to ``new_due`` or
    the date asked) or the reply (on to the callback)."""
    state = _waiting(store, ticket_id)
    if state is State.RETURN_REQUESTED:
        return decide_return(store, actor, ticket_id, True)
    if state is State.EXTENSION_REQUESTED:
        return decide_extension(store, actor, ticket_id, True, new_due=new_due)
    return review(store, actor, ticket_id, True)


def refuse(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """Refuse it, with the reason the unit reads: the return (the unit carries on), the
    extension (the deadline stands) or the reply (to be redone)."""
    state = _waiting(store, ticket_id)
    command = {
        State.RETURN_REQUESTED: decide_return,
        State.EXTENSION_REQUESTED: decide_extension,
        State.REPLIED: review,
    }[state]
    return command(store, actor, ticket_id, False, reason)
