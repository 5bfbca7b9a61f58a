"""The hotline's side of dispatch: dispatch, re-dispatch and the decisions on returns,
extensions and replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.core import judging
from store.core.clock import CITY_TZ, from_text, to_text
from store.core.db import transaction
from store.core.errors import InvalidInput
from store.core.events import Event
from store.core.judging import Context
from store.core.payloads import Flag, Key, Keys, Moment, Text
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import NOTE_MAX
from store.directory import commands as directory
from store.tickets.fields import Clocks
from store.tickets.workflow.base import (
    begin,
    check_clocks,
    clocks,
    declare,
    emit,
    load_ticket,
    require_text,
)

DISPATCH_CLOCKS = ("sign", "return", "handle")

_UNITS = {
    "lead_unit_id": Key("主办单位"),
    "assisting_unit_ids": Keys("协办单位"),
    "clocks": Clocks(DISPATCH_CLOCKS),
}


def _units_and_clocks(c: Context, p: dict[str, Any]) -> None:
    """The units exist and are active, the lead does not assist, the deadlines are the city's."""
    directory.require_unit(c.store.conn, p["lead_unit_id"], field="lead_unit")
    for unit in p["assisting_unit_ids"]:
        if unit == p["lead_unit_id"]:
            raise InvalidInput("主办单位不能同时是协办单位。", field="assisting_units")
        directory.require_unit(c.store.conn, unit, field="assisting_units")
    check_clocks(c.store, c.subject, p["clocks"], DISPATCH_CLOCKS, c.at)


declare("ticket.dispatched", {**_UNITS, "instructions": Text("派单意见", NOTE_MAX)})
judging.rule("ticket.dispatched")(_units_and_clocks)


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
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.dispatched", ticket_id)
        raw = {
            "lead_unit_id": lead_unit_id,
            "assisting_unit_ids": list(assisting_unit_ids),
            "instructions": instructions,
            "clocks": clocks(store, ticket, DISPATCH_CLOCKS, now),
        }
        return emit(store, actor, "ticket.dispatched", ticket, raw, at=now)


declare(
    "ticket.redispatched",
    {
        **_UNITS,
        "instructions": Text("改派意见", NOTE_MAX),
        "assigned": Flag("热线指定"),
        "from_unit_id": Key("原主办单位", optional=True),
    },
)
judging.rule("ticket.redispatched")(_units_and_clocks)


@judging.rule("ticket.redispatched")
def _another_unit(c: Context, p: dict[str, Any]) -> None:
    """To another unit; after the configured number of returns the hotline names the unit."""
    if p["lead_unit_id"] == c.subject["lead_unit_id"]:
        raise InvalidInput("改派的主办单位与当前主办单位相同。", field="lead_unit")
    if p["from_unit_id"] != c.subject["lead_unit_id"]:
        raise InvalidInput("原主办单位与工单不符。", field="from_unit_id")
    if p["assigned"] != (c.subject["return_count"] >= c.store.config().max_returns):
        raise InvalidInput("是否由热线指定承办与退单次数不符。", field="assigned")


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
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.redispatched", ticket_id)
        raw = {
            "lead_unit_id": lead_unit_id,
            "assisting_unit_ids": list(assisting_unit_ids),
            "instructions": instructions,
            "assigned": ticket["return_count"] >= store.config().max_returns,
            "from_unit_id": ticket["lead_unit_id"],
            "clocks": clocks(store, ticket, DISPATCH_CLOCKS, now),
        }
        return emit(store, actor, "ticket.redispatched", ticket, raw, at=now)


def _reason_when_refused(decision: str, reason: str) -> judging.Rule:
    def check(c: Context, p: dict[str, Any]) -> None:
        if not p[decision]:
            require_text(p[reason], "审核意见", reason)

    return check


declare(
    "ticket.return_decided", {"approved": Flag("审核结果"), "reason": Text("审核意见", NOTE_MAX)}
)
judging.rule("ticket.return_decided")(_reason_when_refused("approved", "reason"))


def decide_return(
    store: Store, actor: Actor, ticket_id: str, approved: bool, reason: str = ""
) -> Event:
    """Approve a unit's return (the ticket waits for re-dispatch) or refuse it (the unit keeps it)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.return_decided", ticket_id)
        raw = {"approved": bool(approved), "reason": reason}
        return emit(store, actor, "ticket.return_decided", ticket, raw)


declare(
    "ticket.extension_decided",
    {
        "approved": Flag("审核结果"),
        "reason": Text("审核意见", NOTE_MAX),
        "new_due": Moment("新的办理期限", optional=True),
        "allow_further": Flag("允许再次延期"),
    },
)
judging.rule("ticket.extension_decided")(_reason_when_refused("approved", "reason"))


@judging.rule("ticket.extension_decided")
def _new_deadline(c: Context, p: dict[str, Any]) -> None:
    if not p["approved"]:
        if p["new_due"] is not None:
            raise InvalidInput("不同意延期时不能设定新期限。", field="new_due")
        return
    if p["new_due"] is None:
        raise InvalidInput("请填写新的办理期限。", field="new_due")
    check_extension_due(c.store, c.subject_id, from_text(p["new_due"]))


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
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.extension_decided", ticket_id)
        due = None
        if approved:
            due = new_due or from_text(ticket["requested_due"])
            due = due if due.tzinfo else due.replace(tzinfo=CITY_TZ)
        raw = {
            "approved": bool(approved),
            "reason": reason,
            "new_due": to_text(due) if due else None,
            "allow_further": bool(allow_further),
        }
        return emit(store, actor, "ticket.extension_decided", ticket, raw)


def check_extension_due(store: Store, ticket_id: str, due: datetime) -> None:
    """A new deadline must be later than the current one and within the configured maximum."""
    if due.tzinfo is None:
        due = due.replace(tzinfo=CITY_TZ)
    row = store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'handle'", (ticket_id,)
    ).fetchone()
    if row is None:
        raise InvalidInput("工单没有办理期限，不能延期。", field="new_due")
    current = from_text(row["due_at"])
    config = store.config()
    latest = config.calendar().add_workdays(current, config.extension_max_workdays)
    if due <= current:
        raise InvalidInput(
            f"新的办理期限必须晚于当前期限 {current:%Y-%m-%d %H:%M}。", field="new_due"
        )
    if due > latest:
        raise InvalidInput(
            f"延期最多 {config.extension_max_workdays} 个工作日，即不晚于 {latest:%Y-%m-%d %H:%M}。",
            field="new_due",
        )


declare(
    "ticket.reviewed",
    {
        "accepted": Flag("审核结果"),
        "comment": Text("审核意见", NOTE_MAX),
        "clocks": Clocks(("callback", "handle")),
    },
)
judging.rule("ticket.reviewed")(_reason_when_refused("accepted", "comment"))


@judging.rule("ticket.reviewed")
def _review_clocks(c: Context, p: dict[str, Any]) -> None:
    kinds = ("callback",) if p["accepted"] else ("handle",)
    check_clocks(c.store, c.subject, p["clocks"], kinds, c.at)


def review(store: Store, actor: Actor, ticket_id: str, accepted: bool, comment: str = "") -> Event:
    """Review a unit's reply: accept (due for callback) or send back for redo."""
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.reviewed", ticket_id)
        kinds = ("callback",) if accepted else ("handle",)
        raw = {
            "accepted": bool(accepted),
            "comment": comment,
            "clocks": clocks(store, ticket, kinds, now),
        }
        return emit(store, actor, "ticket.reviewed", ticket, raw, at=now)
