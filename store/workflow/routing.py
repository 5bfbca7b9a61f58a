"""The hotline's side of dispatch: dispatch, re-dispatch and the decisions on returns,
extensions and replies."""

from __future__ import annotations

from datetime import datetime

from store import directory
from store.clock import CITY_TZ, from_text, to_text
from store.db import transaction
from store.errors import InvalidInput
from store.events import Event
from store.roles import Actor
from store.seat import Store
from store.validation import NOTE_MAX, clean_text
from store.workflow.base import begin, clocks, emit, load_ticket

DISPATCH_CLOCKS = ("sign", "return", "handle")


def _units(store: Store, lead_unit_id: str, assisting_unit_ids: list[str]) -> tuple[str, list[str]]:
    lead = directory.require_unit(store.conn, lead_unit_id, field="lead_unit")
    assisting = []
    for unit in dict.fromkeys(assisting_unit_ids):
        if unit == lead:
            raise InvalidInput("主办单位不能同时是协办单位。", field="assisting_units")
        assisting.append(directory.require_unit(store.conn, unit, field="assisting_units"))
    return lead, assisting


def preview_dispatch(store: Store, ticket_id: str) -> dict[str, dict[str, str]]:
    """The clocks a dispatch now would start, computed exactly as :func:`dispatch` computes
    them (same function, same moment), so what the agent confirms is what is stored."""
    ticket = load_ticket(store.conn, ticket_id)
    return clocks(store, ticket, DISPATCH_CLOCKS, store.now())


def dispatch(
    store: Store,
    actor: Actor,
    ticket_id: str,
    lead_unit_id: str,
    assisting_unit_ids: list[str] = (),
    instructions: str = "",
) -> Event:
    """Dispatch to a lead unit (and assisting units); starts the sign, return and handle clocks."""
    instructions = clean_text(instructions, field="instructions", label="派单意见", limit=NOTE_MAX)
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.dispatched", ticket_id)
        lead, assisting = _units(store, lead_unit_id, list(assisting_unit_ids))
        return emit(
            store,
            actor,
            "ticket.dispatched",
            ticket_id,
            {
                "lead_unit_id": lead,
                "assisting_unit_ids": assisting,
                "instructions": instructions,
                "clocks": clocks(store, ticket, DISPATCH_CLOCKS, now),
            },
        )


def redispatch(
    store: Store,
    actor: Actor,
    ticket_id: str,
    lead_unit_id: str,
    assisting_unit_ids: list[str] = (),
    instructions: str = "",
) -> Event:
    """Send the ticket to another unit (改派). After the configured number of returns the
    hotline names the unit itself, and that unit can no longer return it."""
    instructions = clean_text(instructions, field="instructions", label="改派意见", limit=NOTE_MAX)
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.redispatched", ticket_id)
        lead, assisting = _units(store, lead_unit_id, list(assisting_unit_ids))
        if lead == ticket["lead_unit_id"]:
            raise InvalidInput("改派的主办单位与当前主办单位相同。", field="lead_unit")
        assigned = ticket["return_count"] >= store.config()["max_returns"]
        return emit(
            store,
            actor,
            "ticket.redispatched",
            ticket_id,
            {
                "lead_unit_id": lead,
                "assisting_unit_ids": assisting,
                "instructions": instructions,
                "assigned": assigned,
                "from_unit_id": ticket["lead_unit_id"],
                "clocks": clocks(store, ticket, DISPATCH_CLOCKS, now),
            },
        )


def decide_return(
    store: Store, actor: Actor, ticket_id: str, approved: bool, reason: str = ""
) -> Event:
    """Approve a unit's return (the ticket waits for re-dispatch) or refuse it (the unit keeps it)."""
    reason = clean_text(
        reason, field="reason", label="审核意见", required=not approved, limit=NOTE_MAX
    )
    with transaction(store.conn):
        begin(store, actor, "ticket.return_decided", ticket_id)
        return emit(
            store,
            actor,
            "ticket.return_decided",
            ticket_id,
            {"approved": bool(approved), "reason": reason},
        )


def decide_extension(
    store: Store,
    actor: Actor,
    ticket_id: str,
    approved: bool,
    reason: str = "",
    new_due: datetime | None = None,
    allow_further: bool = False,
) -> Event:
    """Approve an extension (with the requested or another new deadline) or refuse it.

    ``allow_further`` lets the unit ask once more (the rule is one extension per ticket).
    """
    reason = clean_text(
        reason, field="reason", label="审核意见", required=not approved, limit=NOTE_MAX
    )
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.extension_decided", ticket_id)
        due_text = None
        if approved:
            due = new_due or from_text(ticket["requested_due"])
            check_extension_due(store, ticket_id, due)
            due_text = to_text(due)
        return emit(
            store,
            actor,
            "ticket.extension_decided",
            ticket_id,
            {
                "approved": bool(approved),
                "reason": reason,
                "new_due": due_text,
                "allow_further": bool(allow_further),
            },
        )


def check_extension_due(store: Store, ticket_id: str, due: datetime) -> None:
    """A new deadline must be later than the current one and within the configured maximum."""
    if due.tzinfo is None:
        due = due.replace(tzinfo=CITY_TZ)
    row = store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'handle'", (ticket_id,)
    ).fetchone()
    current = from_text(row["due_at"])
    config = store.config()
    latest = config.calendar().add_workdays(current, config["extension_max_workdays"])
    if due <= current:
        raise InvalidInput(
            f"新的办理期限必须晚于当前期限 {current:%Y-%m-%d %H:%M}。", field="new_due"
        )
    if due > latest:
        raise InvalidInput(
            f"延期最多 {config['extension_max_workdays']} 个工作日，即不晚于 {latest:%Y-%m-%d %H:%M}。",
            field="new_due",
        )


def review(store: Store, actor: Actor, ticket_id: str, accepted: bool, comment: str = "") -> Event:
    """Review a unit's reply: accept (due for callback) or send back for redo."""
    comment = clean_text(
        comment, field="comment", label="审核意见", required=not accepted, limit=NOTE_MAX
    )
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.reviewed", ticket_id)
        kinds = ("callback",) if accepted else ("handle",)
        return emit(
            store,
            actor,
            "ticket.reviewed",
            ticket_id,
            {
                "accepted": bool(accepted),
                "comment": comment,
                "clocks": clocks(store, ticket, kinds, now),
            },
        )
