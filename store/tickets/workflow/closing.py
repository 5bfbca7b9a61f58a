"""Closing the loop: callbacks, redo after an unsatisfied callback, archiving."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.core import judging
from store.core.clock import CITY_TZ
from store.core.db import transaction
from store.core.errors import InvalidInput, InvalidState
from store.core.events import Event
from store.core.judging import Context
from store.core.payloads import Bit, Count, Flag, Moment, Text
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import NOTE_MAX
from store.tickets.fields import Clocks
from store.tickets.states import State
from store.tickets.workflow.base import begin, check_clocks, clocks, declare, emit

declare(
    "ticket.called_back",
    {
        "attempt": Count("回访次数", 1, 1000),
        "reached": Flag("是否接通"),
        "solved": Bit("是否解决", optional=True),
        "satisfaction": Text("满意度", 20, nullable=True),
        "note": Text("回访记录", NOTE_MAX),
        "next_attempt_at": Moment("下次拨打时间", optional=True),
    },
)


@judging.rule("ticket.called_back")
def _callback_result(c: Context, p: dict[str, Any]) -> None:
    if p["attempt"] != c.subject["callback_attempts"] + 1:
        raise InvalidInput("回访次数与记录不符。", field="attempt")
    if not p["reached"]:
        if p["solved"] is not None or p["satisfaction"] is not None:
            raise InvalidInput("未接通的回访不能记录满意度。", field="satisfaction")
        return
    if p["solved"] is None:
        raise InvalidInput("请选择诉求是否解决。", field="solved")
    scale = c.store.config().satisfaction_scale
    if p["satisfaction"] not in scale:
        names = "、".join(scale)
        raise InvalidInput(
            f"满意度无效：{p['satisfaction']!r}。可选：{names}。", field="satisfaction"
        )
    if p["next_attempt_at"] is not None:
        raise InvalidInput("已接通的回访不需要下次拨打时间。", field="next_attempt_at")


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
    if reached:
        if solved is None:
            raise InvalidInput("请选择诉求是否解决。", field="solved")
        next_attempt_at = None
    else:
        solved, satisfaction = None, None
        if next_attempt_at is not None and next_attempt_at.tzinfo is None:
            next_attempt_at = next_attempt_at.replace(tzinfo=CITY_TZ)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.called_back", ticket_id)
        raw = {
            "attempt": ticket["callback_attempts"] + 1,
            "reached": bool(reached),
            "solved": None if solved is None else int(bool(solved)),
            "satisfaction": satisfaction,
            "note": note,
            "next_attempt_at": next_attempt_at,
        }
        return emit(store, actor, "ticket.called_back", ticket, raw)


def _unsatisfied(store: Store, ticket) -> bool:
    return ticket["satisfaction"] in store.config().unsatisfied_levels or ticket["solved"] == 0


declare(
    "ticket.redone",
    {"reason": Text("重办理由", NOTE_MAX, required=True), "clocks": Clocks(("handle",))},
)


@judging.rule("ticket.redone")
def _redo_unsatisfied(c: Context, p: dict[str, Any]) -> None:
    if not _unsatisfied(c.store, c.subject):
        raise InvalidState("回访结果为满意且已解决，不需要重办。")
    check_clocks(c.store, c.subject, p["clocks"], ("handle",), c.at)


def redo(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """Send an unsatisfied, reasonable complaint back to the unit (重办); the handle clock restarts."""
    now = store.now()
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.redone", ticket_id)
        raw = {"reason": reason, "clocks": clocks(store, ticket, ("handle",), now)}
        return emit(store, actor, "ticket.redone", ticket, raw, at=now)


declare("ticket.archived", {"reason": Text("归档说明", NOTE_MAX)})


@judging.rule("ticket.archived")
def _archive_reason(c: Context, p: dict[str, Any]) -> None:
    ticket = c.subject
    if ticket["state"] == State.CALLED_BACK and _unsatisfied(c.store, ticket) and not p["reason"]:
        raise InvalidInput(
            "回访不满意的工单归档须说明理由（如诉求不合理），否则请重办。", field="reason"
        )


def archive(store: Store, actor: Actor, ticket_id: str, reason: str = "") -> Event:
    """Archive a closed ticket. An unsatisfied callback needs a reason (judged unreasonable)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.archived", ticket_id)
        return emit(store, actor, "ticket.archived", ticket, {"reason": reason})
