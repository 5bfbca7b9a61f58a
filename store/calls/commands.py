"""Recording calls: what the seat's link with the switch writes, one event per fact.

A call is told of by whoever heard it: the seat that answered it writes its answer and its
end; a seat that records its queue (``cti.record_queue`` in the seat's link settings) writes
every call offered to the queue and every call abandoned there. Each command writes nothing
when the store already knows the fact (the same call heard twice, a reconnect replaying it),
so a retry never counts a call twice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.calls.numbers import NUMBER_MAX, CallerNumber
from store.core import judging
from store.core.db import transaction
from store.core.errors import Forbidden, InvalidInput, NotFound
from store.core.events import Event
from store.core.payloads import Count, Flag, Key, Moment, Schema, Text
from store.core.roles import Actor, Role
from store.core.seat import Store

# The roles that take calls on a seat: their link with the switch records them.
CALL_TAKERS = frozenset({Role.AGENT, Role.DESK, Role.CALLBACK, Role.SUPERVISOR})
TALK_MAX_S = 24 * 3600


@dataclass(frozen=True)
class Digits:
    """A caller's number: digits only, or empty when withheld."""

    label: str

    def clean(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or len(value) > NUMBER_MAX:
            raise InvalidInput(f"{self.label}无效。", field=name)
        if value and not (value.isascii() and value.isdigit()):
            raise InvalidInput(f"{self.label}只能包含数字。", field=name)
        return value


_CALL = {
    "queue": Text("队列", 40),
    "caller": Digits("来电号码"),
    "withheld": Flag("隐藏号码"),
    "offered_at": Moment("进线时间"),
}


def _taker(store: Store, actor: Actor, event: Event, payload: dict) -> None:
    _check_taker(actor)


def _require_ticket(conn: sqlite3.Connection, ticket_id: object) -> sqlite3.Row:
    ticket = conn.execute("SELECT id FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    if ticket is None:
        raise NotFound("要关联来电的工单不存在。")
    return ticket


def _linker(store: Store, actor: Actor, event: Event, payload: dict) -> sqlite3.Row:
    _taker(store, actor, event, payload)
    return _require_ticket(store.conn, payload.get("ticket_id"))


judging.declare("call.offered", Schema(dict(_CALL)), stream="call", subject=_taker)
judging.declare(
    "call.answered",
    Schema({**_CALL, "answered_at": Moment("接听时间"), "extension": Text("分机", 40)}),
    stream="call",
    subject=_taker,
)
judging.declare(
    "call.abandoned",
    Schema({**_CALL, "abandoned_at": Moment("放弃时间")}),
    stream="call",
    subject=_taker,
)
judging.declare(
    "call.ended",
    Schema({"ended_at": Moment("挂机时间"), "talk_s": Count("通话时长", 0, TALK_MAX_S)}),
    stream="call",
    subject=_taker,
)
judging.declare("call.linked", Schema({"ticket_id": Key("工单")}), stream="call", subject=_linker)


def _withheld_has_no_number(context: judging.Context, payload: dict) -> None:
    if payload["withheld"] and payload["caller"]:
        raise InvalidInput("隐藏号码的来电不应带号码。", field="caller")


def _not_before_offer(key: str, label: str):
    def check(context: judging.Context, payload: dict) -> None:
        if payload[key] < payload["offered_at"]:
            raise InvalidInput(f"{label}早于进线时间。", field=key)

    return check


for _type in ("call.offered", "call.answered", "call.abandoned"):
    judging.rule(_type)(_withheld_has_no_number)
judging.rule("call.answered")(_not_before_offer("answered_at", "接听时间"))
judging.rule("call.abandoned")(_not_before_offer("abandoned_at", "放弃时间"))


@dataclass(frozen=True, slots=True)
class CallSeen:
    """What the switch said of a call when it entered the queue."""

    call_id: str
    caller: CallerNumber
    queue: str
    offered_at: datetime


def _call_fields(call: CallSeen) -> dict[str, Any]:
    return {
        "queue": call.queue[:40],
        "caller": call.caller.digits,
        "withheld": call.caller.withheld,
        "offered_at": call.offered_at,
    }


def _row(conn: sqlite3.Connection, call_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM calls WHERE id = ?", (call_id,)).fetchone()


def _write(store: Store, actor: Actor, event_type: str, call_id: str, raw: dict) -> Event:
    context = judging.Context(store, actor, call_id, None, store.now())
    payload = judging.prepare(context, event_type, raw)
    return store.emit(actor, event_type, payload, subject_id=call_id, stream="call")


def takes_calls(actor: Actor) -> bool:
    """True if ``actor``'s role answers hotline calls (their seat records them)."""
    return actor.role in CALL_TAKERS


def _check_taker(actor: Actor) -> None:
    if not takes_calls(actor):
        raise Forbidden(f"{actor.role.label}不接听热线来电，不能记录话务。")


def _check_id(call_id: str) -> None:
    Key("呼叫").clean(call_id, "call_id")


def offered(store: Store, actor: Actor, call: CallSeen) -> Event | None:
    """A call entered the queue; None if the store knows it already."""
    _check_taker(actor)
    _check_id(call.call_id)
    with transaction(store.conn):
        if _row(store.conn, call.call_id) is not None:
            return None
        return _write(store, actor, "call.offered", call.call_id, _call_fields(call))


def answered(
    store: Store, actor: Actor, call: CallSeen, answered_at: datetime, extension: str
) -> Event | None:
    """The call was answered on this seat's phone ``extension``; None if already recorded."""
    _check_taker(actor)
    _check_id(call.call_id)
    with transaction(store.conn):
        row = _row(store.conn, call.call_id)
        if row is not None and row["answered_at"] is not None:
            return None
        raw = {**_call_fields(call), "answered_at": answered_at, "extension": extension[:40]}
        return _write(store, actor, "call.answered", call.call_id, raw)


def abandoned(store: Store, actor: Actor, call: CallSeen, abandoned_at: datetime) -> Event | None:
    """The caller hung up before anyone answered; None if the call's end is known already."""
    _check_taker(actor)
    _check_id(call.call_id)
    with transaction(store.conn):
        row = _row(store.conn, call.call_id)
        if row is not None and (row["answered_at"] or row["abandoned_at"]):
            return None
        raw = {**_call_fields(call), "abandoned_at": abandoned_at}
        return _write(store, actor, "call.abandoned", call.call_id, raw)


def ended(store: Store, actor: Actor, call_id: str, ended_at: datetime) -> Event | None:
    """An answered call ended; its talk time runs from the answer. None for a call this
    store never saw answered, or whose end it has."""
    _check_taker(actor)
    _check_id(call_id)
    with transaction(store.conn):
        row = _row(store.conn, call_id)
        if row is None or row["answered_at"] is None or row["ended_at"] is not None:
            return None
        answered_at = datetime.fromisoformat(row["answered_at"])
        talk = max(0, min(TALK_MAX_S, int((ended_at - answered_at).total_seconds())))
        return _write(store, actor, "call.ended", call_id, {"ended_at": ended_at, "talk_s": talk})


def link(store: Store, actor: Actor, call_id: str, ticket_id: str) -> Event | None:
    """The ticket was registered on this call (a ticket links to one call)."""
    _check_taker(actor)
    _check_id(call_id)
    with transaction(store.conn):
        if store.conn.execute(
            "SELECT 1 FROM call_tickets WHERE ticket_id = ?", (ticket_id,)
        ).fetchone():
            return None
        context = judging.Context(store, actor, call_id, None, store.now())
        payload = judging.prepare(context, "call.linked", {"ticket_id": ticket_id})
        _require_ticket(store.conn, ticket_id)
        return store.emit(actor, "call.linked", payload, subject_id=call_id, stream="call")
