"""Oversight on any open ticket: urge, supervise, escalate; notes; revealing a caller's number."""

from __future__ import annotations

from store.core.db import transaction
from store.core.events import Event
from store.core.payloads import Text
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import NOTE_MAX
from store.tickets.workflow.base import begin, declare, emit

declare("ticket.urged", {"message": Text("催办内容", NOTE_MAX)})
declare("ticket.supervised", {"notice": Text("督办意见", NOTE_MAX, required=True)})
declare("ticket.escalated", {"reason": Text("提级理由", NOTE_MAX, required=True)})
declare("ticket.noted", {"text": Text("备注", NOTE_MAX, required=True)})
declare("ticket.caller_revealed", {"reason": Text("查看理由", NOTE_MAX, required=True)})


def _simple(store: Store, actor: Actor, ticket_id: str, event_type: str, key: str, value: str):
    with transaction(store.conn):
        ticket = begin(store, actor, event_type, ticket_id)
        return emit(store, actor, event_type, ticket, {key: value})


def urge(store: Store, actor: Actor, ticket_id: str, message: str = "") -> Event:
    """Remind the unit (催办), e.g. when the caller rings again."""
    return _simple(store, actor, ticket_id, "ticket.urged", "message", message)


def supervise(store: Store, actor: Actor, ticket_id: str, notice: str) -> Event:
    """Issue a formal supervision notice (督办)."""
    return _simple(store, actor, ticket_id, "ticket.supervised", "notice", notice)


def escalate(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """Move the ticket up a level (提级办理)."""
    return _simple(store, actor, ticket_id, "ticket.escalated", "reason", reason)


def note(store: Store, actor: Actor, ticket_id: str, text: str) -> Event:
    """Add a note to the timeline; notes only ever append."""
    return _simple(store, actor, ticket_id, "ticket.noted", "text", text)


def reveal_caller(store: Store, actor: Actor, ticket_id: str, reason: str) -> str:
    """Return the caller's unmasked number, logging who, when, which ticket and why."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.caller_revealed", ticket_id)
        emit(store, actor, "ticket.caller_revealed", ticket, {"reason": reason})
        return ticket["callback_phone"] or ticket["caller_phone"]
