"""The handling unit's side: sign, contact the caller, return, ask for more time, reply.

Only the liaison of the ticket's lead unit may do these (checked in ``base.begin``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.core import judging
from store.core.clock import CITY_TZ, from_text
from store.core.db import transaction
from store.core.errors import InvalidInput, InvalidState
from store.core.events import Event
from store.core.judging import Context
from store.core.payloads import Moment, Text
from store.core.privacy import describe, find_personal_numbers
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import CONTENT_MAX, NOTE_MAX
from store.tickets.fields import Clocks
from store.tickets.workflow.base import begin, check_clocks, clocks, declare, emit
from store.tickets.workflow.routing import check_extension_due

declare("ticket.signed", {"clocks": Clocks(("contact",))})


@judging.rule("ticket.signed")
def _contact_clock(c: Context, p: dict[str, Any]) -> None:
    check_clocks(c.store, c.subject, p["clocks"], ("contact",), c.at)


def sign(store: Store, actor: Actor, ticket_id: str) -> Event:
    """Acknowledge receipt (签收); starts the contact-the-caller clock."""
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.signed", ticket_id)
        raw = {"clocks": clocks(store, ticket, ("contact",), now)}
        return emit(store, actor, "ticket.signed", ticket, raw, at=now)


declare("ticket.contacted", {"note": Text("联系情况", NOTE_MAX, required=True)})


def contact(store: Store, actor: Actor, ticket_id: str, note: str) -> Event:
    """Record that the unit has contacted the caller."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.contacted", ticket_id)
        return emit(store, actor, "ticket.contacted", ticket, {"note": note})


declare("ticket.return_requested", {"basis": Text("退单依据", NOTE_MAX, required=True)})


@judging.rule("ticket.return_requested")
def _may_return(c: Context, p: dict[str, Any]) -> None:
    if c.subject["assigned"]:
        raise InvalidState("本工单已多次退回，由热线指定承办，不能再退单。")
    window = c.store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'return'", (c.subject_id,)
    ).fetchone()
    if window and c.at > from_text(window["due_at"]):
        raise InvalidState(
            f"已超过退单时限（{from_text(window['due_at']):%Y-%m-%d %H:%M}），请办理或申请延期。"
        )


def request_return(store: Store, actor: Actor, ticket_id: str, basis: str) -> Event:
    """Say the ticket is not the unit's, with the basis (职责依据)."""
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.return_requested", ticket_id)
        return emit(store, actor, "ticket.return_requested", ticket, {"basis": basis}, at=now)


declare(
    "ticket.extension_requested",
    {"reason": Text("延期理由", NOTE_MAX, required=True), "requested_due": Moment("申请的新期限")},
)


@judging.rule("ticket.extension_requested")
def _may_extend(c: Context, p: dict[str, Any]) -> None:
    if c.subject["extension_count"] >= c.subject["extensions_allowed"]:
        raise InvalidState("本工单已延期过，未经值班长同意不能再次申请延期。")
    check_extension_due(c.store, c.subject_id, from_text(p["requested_due"]))


def request_extension(
    store: Store, actor: Actor, ticket_id: str, reason: str, requested_due: datetime
) -> Event:
    """Ask for a later handling deadline, with the reason."""
    if not isinstance(requested_due, datetime):
        raise InvalidInput("请填写申请的新期限。", field="requested_due")
    if requested_due.tzinfo is None:
        requested_due = requested_due.replace(tzinfo=CITY_TZ)
    raw = {"reason": reason, "requested_due": requested_due}
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.extension_requested", ticket_id)
        return emit(store, actor, "ticket.extension_requested", ticket, raw)


declare(
    "ticket.replied",
    {"reply": Text("答复内容", CONTENT_MAX, required=True), "basis": Text("办理依据", NOTE_MAX)},
)


@judging.rule("ticket.replied")
def _no_personal_numbers(c: Context, p: dict[str, Any]) -> None:
    phones = (c.subject["caller_phone"], c.subject["callback_phone"])
    findings = find_personal_numbers(p["reply"] + "\n" + p["basis"], phones)
    if findings:
        raise InvalidInput(describe(findings), field="reply")


def reply(store: Store, actor: Actor, ticket_id: str, text: str, basis: str = "") -> Event:
    """Reply with the result (办结答复). Refused if it carries the caller's phone, an ID
    number or a door number."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.replied", ticket_id)
        return emit(store, actor, "ticket.replied", ticket, {"reply": text, "basis": basis})
