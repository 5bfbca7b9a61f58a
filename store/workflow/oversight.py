"""Oversight on any open ticket: urge, supervise, escalate; notes; revealing a caller's number."""

from __future__ import annotations

from store.db import transaction
from store.events import Event
from store.roles import Actor
from store.seat import Store
from store.validation import NOTE_MAX, clean_text
from store.workflow.base import begin, emit


def _simple(
    store: Store,
    actor: Actor,
    ticket_id: str,
    event_type: str,
    key: str,
    value: str,
    label: str,
    required: bool = True,
) -> Event:
    text = clean_text(value, field=key, label=label, required=required, limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, event_type, ticket_id)
        return emit(store, actor, event_type, ticket_id, {key: text})


def urge(store: Store, actor: Actor, ticket_id: str, message: str = "") -> Event:
    """Remind the unit (催办), e.g. when the caller rings again."""
    return _simple(store, actor, ticket_id, "ticket.urged", "message", message, "催办内容", False)


def supervise(store: Store, actor: Actor, ticket_id: str, notice: str) -> Event:
    """Issue a formal supervision notice (督办)."""
    return _simple(store, actor, ticket_id, "ticket.supervised", "notice", notice, "督办意见")


def escalate(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """Move the ticket up a level (提级办理)."""
    return _simple(store, actor, ticket_id, "ticket.escalated", "reason", reason, "提级理由")


def note(store: Store, actor: Actor, ticket_id: str, text: str) -> Event:
    """Add a note to the timeline; notes only ever append."""
    return _simple(store, actor, ticket_id, "ticket.noted", "text", text, "备注")


def reveal_caller(store: Store, actor: Actor, ticket_id: str, reason: str) -> str:
    """Return the caller's unmasked number, logging who, when, which ticket and why."""
    text = clean_text(reason, field="reason", label="查看理由", required=True, limit=NOTE_MAX)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.caller_revealed", ticket_id)
        emit(store, actor, "ticket.caller_revealed", ticket_id, {"reason": text})
        return ticket["callback_phone"] or ticket["caller_phone"]
