"""Closing the loop: callbacks, redo after an unsatisfied callback, archiving."""

from __future__ import annotations

from datetime import datetime

from store.clock import CITY_TZ, to_text
from store.db import transaction
from store.errors import InvalidInput, InvalidState
from store.events import Event
from store.roles import Actor
from store.seat import Store
from store.states import State
from store.validation import NOTE_MAX, choice, clean_text
from store.workflow.base import begin, clocks, emit


def callback(
    store: Store,
    actor: Actor,
    ticket_id: str,
    *,
    reached: bool,
    solved: bool | None = None,
    satisfaction: str | None = None,
    note: str = "",
    next_attempt_at: datetime | None = None,
) -> Event:
    """Record one callback attempt: reached or not; if reached, solved and satisfaction."""
    note = clean_text(note, field="note", label="回访记录", limit=NOTE_MAX)
    scale = store.config()["satisfaction_scale"]
    if reached:
        if solved is None:
            raise InvalidInput("请选择诉求是否解决。", field="solved")
        satisfaction = choice(satisfaction, tuple(scale), field="satisfaction", label="满意度")
        next_text = None
    else:
        solved, satisfaction = None, None
        if next_attempt_at is not None and next_attempt_at.tzinfo is None:
            next_attempt_at = next_attempt_at.replace(tzinfo=CITY_TZ)
        next_text = to_text(next_attempt_at) if next_attempt_at else None
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.called_back", ticket_id)
        return emit(
            store,
            actor,
            "ticket.called_back",
            ticket_id,
            {
                "attempt": ticket["callback_attempts"] + 1,
                "reached": bool(reached),
                "solved": None if solved is None else int(bool(solved)),
                "satisfaction": satisfaction,
                "note": note,
                "next_attempt_at": next_text,
            },
        )


def redo(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """Send an unsatisfied, reasonable complaint back to the unit (重办); the handle clock restarts."""
    reason = clean_text(reason, field="reason", label="重办理由", required=True, limit=NOTE_MAX)
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.redone", ticket_id)
        if not _unsatisfied(store, ticket):
            raise InvalidState("回访结果为满意且已解决，不需要重办。")
        return emit(
            store,
            actor,
            "ticket.redone",
            ticket_id,
            {"reason": reason, "clocks": clocks(store, ticket, ("handle",), now)},
        )


def archive(store: Store, actor: Actor, ticket_id: str, reason: str = "") -> Event:
    """Archive a closed ticket. An unsatisfied callback needs a reason (judged unreasonable)."""
    reason = clean_text(reason, field="reason", label="归档说明", limit=NOTE_MAX)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.archived", ticket_id)
        if ticket["state"] == State.CALLED_BACK and _unsatisfied(store, ticket) and not reason:
            raise InvalidInput(
                "回访不满意的工单归档须说明理由（如诉求不合理），否则请重办。", field="reason"
            )
        return emit(store, actor, "ticket.archived", ticket_id, {"reason": reason})


def _unsatisfied(store: Store, ticket) -> bool:
    return ticket["satisfaction"] in store.config().unsatisfied_levels or ticket["solved"] == 0
