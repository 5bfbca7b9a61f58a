"""The supervisors' review queue: returns, extensions and replies to decide, and returned
tickets to send to another unit."""

from __future__ import annotations

from store.core.seat import Store
from store.tickets.read import queues
from store.tickets.read.queues import QueueRow
from store.tickets.workflow import decide_extension, decide_return, redispatch, review

__all__ = ["QueueRow", "decide_extension", "decide_return", "queue", "redispatch", "review"]


def queue(store: Store) -> list[QueueRow]:
    """What waits for a supervisor, in the order it arrived."""
    return queues.review_queue(store.conn, store.now())
