"""The handling unit's side: sign, contact the caller, return, ask for more time, reply.

Only the liaison of the ticket's lead unit may do these (checked in ``base.begin``).
"""

from __future__ import annotations

from datetime import datetime

from store.clock import CITY_TZ, from_text, to_text
from store.db import transaction
from store.errors import InvalidInput, InvalidState
from store.events import Event
from store.privacy import describe, find_personal_numbers
from store.roles import Actor
from store.seat import Store
from store.validation import CONTENT_MAX, NOTE_MAX, clean_text
from store.workflow.base import begin, clocks, emit
from store.workflow.routing import check_extension_due


def sign(store: Store, actor: Actor, ticket_id: str) -> Event:
    """Acknowledge receipt (签收); starts the contact-the-caller clock."""
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.signed", ticket_id)
        return emit(
            store,
            actor,
            "ticket.signed",
            ticket_id,
            {"clocks": clocks(store, ticket, ("contact",), now)},
        )


def contact(store: Store, actor: Actor, ticket_id: str, note: str) -> Event:
    """Record that the unit has contacted the caller."""
    note = clean_text(note, field="note", label="联系情况", required=True, limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, "ticket.contacted", ticket_id)
        return emit(store, actor, "ticket.contacted", ticket_id, {"note": note})


def request_return(store: Store, actor: Actor, ticket_id: str, basis: str) -> Event:
    """Say the ticket is not the unit's, with the basis (职责依据)."""
    basis = clean_text(basis, field="basis", label="退单依据", required=True, limit=NOTE_MAX)
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.return_requested", ticket_id)
        if ticket["assigned"]:
            raise InvalidState("本工单已多次退回，由热线指定承办，不能再退单。")
        window = store.conn.execute(
            "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'return'", (ticket_id,)
        ).fetchone()
        if window and now > from_text(window["due_at"]):
            raise InvalidState(
                f"已超过退单时限（{from_text(window['due_at']):%Y-%m-%d %H:%M}），请办理或申请延期。"
            )
        return emit(store, actor, "ticket.return_requested", ticket_id, {"basis": basis})


def request_extension(
    store: Store, actor: Actor, ticket_id: str, reason: str, requested_due: datetime
) -> Event:
    """Ask for a later handling deadline, with the reason."""
    reason = clean_text(reason, field="reason", label="延期理由", required=True, limit=NOTE_MAX)
    if not isinstance(requested_due, datetime):
        raise InvalidInput("请填写申请的新期限。", field="requested_due")
    if requested_due.tzinfo is None:
        requested_due = requested_due.replace(tzinfo=CITY_TZ)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.extension_requested", ticket_id)
        if ticket["extension_count"] >= ticket["extensions_allowed"]:
            raise InvalidState("本工单已延期过，未经值班长同意不能再次申请延期。")
        check_extension_due(store, ticket_id, requested_due)
        return emit(
            store,
            actor,
            "ticket.extension_requested",
            ticket_id,
            {"reason": reason, "requested_due": to_text(requested_due)},
        )


def reply(store: Store, actor: Actor, ticket_id: str, text: str, basis: str = "") -> Event:
    """Reply with the result (办结答复). Refused if it carries the caller's phone, an ID
    number or a door number."""
    text = clean_text(text, field="reply", label="答复内容", required=True, limit=CONTENT_MAX)
    basis = clean_text(basis, field="basis", label="办理依据", limit=NOTE_MAX)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.replied", ticket_id)
        phones = (ticket["caller_phone"], ticket["callback_phone"])
        findings = find_personal_numbers(text + "\n" + basis, phones)
        if findings:
            raise InvalidInput(describe(findings), field="reply")
        return emit(store, actor, "ticket.replied", ticket_id, {"reply": text, "basis": basis})
