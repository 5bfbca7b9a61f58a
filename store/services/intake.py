"""Taking a call: the pickers' lists, the caller's history, registering the ticket and the
outcomes decided while the caller is on the line (answer, not accepted, 110 and the other
emergency lines, merge, a specialist desk, dispatch).

Every action is the workflow's own command: it checks role and state, writes one event, and
raises a :class:`~store.core.errors.DomainError` (in Chinese) and writes nothing if it may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.calls import commands as calls
from store.core.db import transaction
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.directory import choices
from store.directory.catalogue import suggest_desk_for
from store.directory.choices import Choice
from store.tickets.read import queues
from store.tickets.read.queries import CallerHistory, caller_history
from store.tickets.read.queues import DeskStatus
from store.tickets.workflow import (
    TicketDraft,
    answer_directly,
    completed_for_merge,
    dispatch,
    merge,
    not_accept,
    transfer_desk,
    transfer_emergency,
)
from store.tickets.workflow import register as register_ticket

__all__ = [
    "CallerHistory",
    "DeskChoice",
    "DeskStatus",
    "Pickers",
    "TicketDraft",
    "answer_directly",
    "completed_for_merge",
    "desk_choice",
    "dispatch",
    "history",
    "merge",
    "not_accept",
    "pickers",
    "register",
    "transfer_desk",
    "transfer_emergency",
]


@dataclass(frozen=True, slots=True)
class Pickers:
    """The lists the ticket form's pickers offer."""

    topics: list[Choice]
    areas: list[Choice]  # districts, and streets under them
    reasons: list[Choice]  # why a request is not accepted


def pickers(store: Store) -> Pickers:
    """The topic tree, the districts and streets, and the not-accepted reasons in force."""
    conn = store.conn
    return Pickers(choices.topics(conn), choices.areas(conn), choices.reasons(conn))


def register(store: Store, actor: Actor, draft: TicketDraft, call_id: str | None = None) -> Event:
    """Register the ticket the agent filled in; its number is in ``event.payload["number"]``.

    ``call_id``: the call it was taken on (the switch popped it), linked in the same
    transaction — a ticket is never saved without the link, nor the link without it.
    """
    with transaction(store.conn):
        event = register_ticket(store, actor, draft)
        if call_id and calls.takes_calls(actor):
            calls.link(store, actor, call_id, event.subject_id or "")
    return event


def history(store: Store, phone: str) -> CallerHistory:
    """The caller's earlier tickets and whether they are a repeat caller; a number that is
    not one is refused (a :class:`~store.core.errors.DomainError`)."""
    return caller_history(store.conn, phone, store.now())


@dataclass(frozen=True, slots=True)
class DeskChoice:
    """The specialist desks with who is on duty, and the one the ticket's topic suggests."""

    desks: list[DeskStatus]
    suggested: str | None


def desk_choice(store: Store, ticket_id: str) -> DeskChoice:
    """What the transfer-to-desk dialog offers for ``ticket_id``."""
    return DeskChoice(queues.desks(store.conn), suggest_desk_for(store.conn, ticket_id))
