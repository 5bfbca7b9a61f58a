"""A specialist desk (专席): its queue, going on and off duty, and what a specialist does with
a ticket — take it, answer it from the knowledge base, dispatch it, or hand it back."""

from __future__ import annotations

from store.core.db import transaction
from store.core.roles import Actor
from store.core.seat import Store
from store.tickets.read import queues
from store.tickets.read.queues import QueueRow
from store.tickets.workflow import answer_directly, dispatch, hand_back, set_duty, take

__all__ = [
    "QueueRow",
    "answer_directly",
    "dispatch",
    "hand_back",
    "on_duty",
    "queue",
    "take",
    "toggle_duty",
]


def queue(store: Store, actor: Actor) -> list[QueueRow]:
    """Tickets waiting at ``actor``'s desk, the longest waiting first."""
    return queues.desk_queue(store.conn, actor.desk_id or "", store.now())


def on_duty(store: Store, actor: Actor) -> bool:
    """Whether ``actor`` is on duty at their desk."""
    return queues.on_duty(store.conn, actor.id)


def toggle_duty(store: Store, actor: Actor) -> bool:
    """Go on duty if off, off if on; return whether ``actor`` is now on duty."""
    with transaction(store.conn):  # read and write as one: a second seat cannot interleave
        going = not queues.on_duty(store.conn, actor.id)
        set_duty(store, actor, going)
    return going
