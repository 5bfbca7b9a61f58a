"""Intake: registering a call and the outcomes decided while the caller is on the line."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

from store.core import judging
from store.core.db import transaction
from store.core.errors import DomainError, Forbidden, InvalidInput, InvalidState
from store.core.events import Event
from store.core.identity import require_numbering
from store.core.judging import Context
from store.core.payloads import Anything, Flag, Key, Keys, OneOf, Schema, Text
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.core.validation import CONTENT_MAX, NOTE_MAX, choice, clean_text, normalize_phone
from store.directory import commands as directory
from store.tickets.fields import TicketNumber
from store.tickets.numbers import format_for_reading, next_number
from store.tickets.states import State, check
from store.tickets.vocabulary import (
    CHANNELS,
    EMERGENCY_LINES,
    GENDERS,
    TRANSFER_MODES,
    TYPES,
    URGENCIES,
)
from store.tickets.workflow.base import begin, declare, emit, load_ticket

_INCIDENT = re.compile(r"^[A-Za-z0-9-]{1,32}$")


@dataclass
class TicketDraft:
    """What the agent fills in during the call (docs/domain.md §2)."""

    content: str
    topic_code: str
    caller_phone: str = ""
    caller_name: str = ""
    caller_gender: str = ""
    callback_phone: str = ""
    anonymous: bool = False
    confidential: bool = False
    channel: str = "phone"
    type: str = "consult"
    urgency: str = "normal"
    district_code: str = ""
    street_code: str = ""
    address: str = ""
    happened: str = ""
    request: str = ""
    business: bool = False
    repeat: bool = False
    leader_attention: bool = False
    incident_110: str = ""


def validate_draft(store: Store, draft: TicketDraft) -> dict:
    """Return the cleaned fields of ``draft``, or raise one error naming every bad field.

    The raised :class:`InvalidInput` carries the first message and, in ``errors``, the
    message of each bad field, so a form can mark all of them at once.
    """
    d = asdict(draft)
    out: dict = {}
    errors: dict[str, str] = {}

    def take(key: str, check) -> None:
        try:
            out[key] = check()
        except DomainError as exc:
            errors.setdefault(exc.field or key, exc.message)

    take("channel", lambda: choice(d["channel"], CHANNELS, field="channel", label="来源渠道"))
    take("type", lambda: choice(d["type"], TYPES, field="type", label="诉求类型"))
    take("urgency", lambda: choice(d["urgency"], URGENCIES, field="urgency", label="紧急程度"))
    take(
        "caller_gender",
        lambda: choice(d["caller_gender"], GENDERS, field="caller_gender", label="性别"),
    )
    take(
        "caller_phone",
        lambda: normalize_phone(d["caller_phone"], required=out.get("channel") == "phone"),
    )
    take(
        "callback_phone",
        lambda: normalize_phone(
            d["callback_phone"], field="callback_phone", label="回访号码", required=False
        ),
    )
    take(
        "caller_name",
        lambda: clean_text(d["caller_name"], field="caller_name", label="来电人姓名", limit=50),
    )
    take(
        "content",
        lambda: clean_text(
            d["content"], field="content", label="诉求内容", required=True, limit=CONTENT_MAX
        ),
    )
    take(
        "request",
        lambda: clean_text(d["request"], field="request", label="诉求要求", limit=NOTE_MAX),
    )
    take("address", lambda: clean_text(d["address"], field="address", label="地址"))
    take(
        "happened", lambda: clean_text(d["happened"], field="happened", label="发生时间", limit=100)
    )
    take("topic_code", lambda: directory.require_topic(store.conn, d["topic_code"]))
    take("area", lambda: directory.require_area(store.conn, d["district_code"], d["street_code"]))
    take("incident_110", lambda: _incident(d["incident_110"]))
    if errors:
        raise InvalidInput.many(errors)
    out["district_code"], out["street_code"] = out.pop("area")
    for flag in ("anonymous", "confidential", "business", "repeat", "leader_attention"):
        out[flag] = int(bool(d[flag]))
    if out["anonymous"]:
        out["caller_name"] = ""
    return out


def _incident(value: object) -> str:
    incident = clean_text(value, field="incident_110", label="110 警情号", limit=32)
    if incident and not _INCIDENT.match(incident):
        raise InvalidInput("110 警情号只能包含字母、数字和连字符。", field="incident_110")
    return incident


def _registered_fields(cleaned: dict) -> dict:
    # Empty fields are left out of the event (the projection has their defaults).
    return {k: v for k, v in cleaned.items() if v not in ("", 0)}


_DRAFT = tuple(f.name for f in fields(TicketDraft))
declare(
    "ticket.registered",
    {**dict.fromkeys(_DRAFT, Anything()), "number": TicketNumber()},
    optional=frozenset(_DRAFT),
)


@judging.rule("ticket.registered")
def _registration(c: Context, p: dict[str, Any]) -> None:
    """The fields are what the form's validation makes of them; the number is free."""
    given = {k: v for k, v in p.items() if k != "number"}
    draft = TicketDraft(**{"content": "", "topic_code": "", **given})
    expected = _registered_fields(validate_draft(c.store, draft))
    if expected != given:
        odd = sorted(k for k in set(expected) | set(given) if expected.get(k) != given.get(k))
        raise InvalidInput(f"登记内容不规范：{'、'.join(odd)}。", field=odd[0])
    number = p["number"]
    issued = date(2000 + int(number[:2]), int(number[2:4]), int(number[4:6]))
    if abs(issued - c.at.date()) > timedelta(days=1):
        raise InvalidInput(f"工单号 {format_for_reading(number)} 的日期与受理时间不符。")
    if c.store.conn.execute("SELECT 1 FROM tickets WHERE number = ?", (number,)).fetchone():
        raise InvalidState(
            f"工单号 {format_for_reading(number)} 已被另一张工单使用，本工单未登记："
            "请重新受理并告知来电人新的工单号。"
        )


def register(store: Store, actor: Actor, draft: TicketDraft) -> Event:
    """Register a new ticket; its number is in ``event.payload["number"]``."""
    check("ticket.registered", actor, None)
    cleaned = validate_draft(store, draft)  # every bad field at once, for the form
    now = store.now()
    with transaction(store.conn):
        require_numbering(store.conn)  # a copied seat first gets an identity of its own
        raw = _registered_fields(cleaned)
        raw["number"] = next_number(store.conn, store.device_no, now.date())
        return emit(store, actor, "ticket.registered", None, raw, at=now, subject_id=store.new_id())


declare(
    "ticket.answered",
    {"answer": Text("答复内容", CONTENT_MAX, required=True), "kb_refs": Keys("知识库条目")},
)


def answer_directly(
    store: Store, actor: Actor, ticket_id: str, answer: str, kb_refs: list[str]
) -> Event:
    """Close the ticket as answered during the call, citing the knowledge-base entries used."""
    raw = {"answer": answer, "kb_refs": list(kb_refs)}
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.answered", ticket_id)
        return emit(store, actor, "ticket.answered", ticket, raw)


declare(
    "ticket.not_accepted",
    {"reason_code": Key("不予受理原因"), "explanation": Text("告知内容", NOTE_MAX)},
)


@judging.rule("ticket.not_accepted")
def _reason_exists(c: Context, p: dict[str, Any]) -> None:
    directory.require_reason(c.store.conn, p["reason_code"])


def not_accept(
    store: Store, actor: Actor, ticket_id: str, reason_code: str, explanation: str = ""
) -> Event:
    """Close the ticket as not accepted, with the reason code and what the caller was told."""
    raw = {"reason_code": reason_code, "explanation": explanation}
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.not_accepted", ticket_id)
        return emit(store, actor, "ticket.not_accepted", ticket, raw)


_MODE = OneOf("转接方式", tuple(TRANSFER_MODES))
declare(
    "ticket.transferred_emergency",
    {
        "line": OneOf("转接线路", tuple(EMERGENCY_LINES)),
        "mode": _MODE,
        "note": Text("转接说明", NOTE_MAX),
    },
)


def transfer_emergency(
    store: Store, actor: Actor, ticket_id: str, line: str, mode: str = "one_key", note: str = ""
) -> Event:
    """Hand the call to 110 / 119 / 120 / 122; the ticket closes for 12345."""
    raw = {"line": line, "mode": mode, "note": note}
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.transferred_emergency", ticket_id)
        return emit(store, actor, "ticket.transferred_emergency", ticket, raw)


declare(
    "ticket.transferred_desk",
    {"desk_id": Key("专席"), "mode": _MODE, "note": Text("转接说明", NOTE_MAX)},
)


@judging.rule("ticket.transferred_desk")
def _desk_open(c: Context, p: dict[str, Any]) -> None:
    directory.require_desk(c.store.conn, p["desk_id"])
    if c.subject is not None and c.subject["desk_id"] == p["desk_id"]:
        raise InvalidState("工单已在该专席。")


def transfer_desk(
    store: Store, actor: Actor, ticket_id: str, desk_id: str, mode: str = "one_key", note: str = ""
) -> Event:
    """Send the ticket, with everything recorded, to a specialist desk's queue."""
    raw = {"desk_id": desk_id, "mode": mode, "note": note}
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.transferred_desk", ticket_id)
        return emit(store, actor, "ticket.transferred_desk", ticket, raw)


declare("ticket.taken", {"previous": Key("接手人", optional=True)})


@judging.rule("ticket.taken")
def _not_yours_yet(c: Context, p: dict[str, Any]) -> None:
    if c.subject["taken_by"] == c.actor.id:
        raise InvalidState("您已接手该工单。")
    if p["previous"] != c.subject["taken_by"]:
        raise InvalidState("该工单已被其他专席人员接手，请刷新。")


def take(store: Store, actor: Actor, ticket_id: str) -> Event:
    """A desk specialist takes a ticket from the desk's queue (the others see who has it)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.taken", ticket_id)
        return emit(store, actor, "ticket.taken", ticket, {"previous": ticket["taken_by"]})


def _own_duty(store: Store, actor: Actor, event: Event, payload: dict) -> None:
    if actor.role is not Role.DESK:
        raise Forbidden(f"{actor.role.label}没有专席岗位。")
    if event.subject_id != actor.id:
        raise Forbidden("只能为自己上岗或离岗。")


judging.declare(
    "desk.duty_set", Schema({"on_duty": Flag("在岗")}), stream="directory", subject=_own_duty
)


def set_duty(store: Store, actor: Actor, on_duty: bool) -> Event:
    """A desk specialist goes on or off duty at their desk (the transfer list counts them)."""
    if actor.role is not Role.DESK:
        raise Forbidden(f"{actor.role.label}没有专席岗位。")
    with transaction(store.conn):
        context = Context(store, actor, actor.id, None, store.now())
        payload = judging.prepare(context, "desk.duty_set", {"on_duty": bool(on_duty)})
        return store.emit(actor, "desk.duty_set", payload, subject_id=actor.id, stream="directory")


declare("ticket.handed_back", {"reason": Text("退回原因", NOTE_MAX, required=True)})


def hand_back(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """A desk returns a ticket to the general agents (not its field)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.handed_back", ticket_id)
        return emit(store, actor, "ticket.handed_back", ticket, {"reason": reason})


declare(
    "ticket.merged",
    {
        "into_id": Key("并入工单"),
        "into_number": TicketNumber(),
        "reason": Text("并单说明", NOTE_MAX),
    },
)


@judging.rule("ticket.merged")
def _merge_target(c: Context, p: dict[str, Any]) -> None:
    if p["into_id"] == c.subject_id:
        raise InvalidInput("不能并入工单本身。", field="into")
    target = load_ticket(c.store.conn, p["into_id"])
    if target["state"] == State.MERGED:
        raise InvalidState(f"工单 {target['number']} 本身已并入其他工单，请并入主工单。")
    if target["number"] != p["into_number"]:
        raise InvalidInput("并入工单的编号与工单不符。", field="into")


def completed_for_merge(store: Store, draft: TicketDraft, into_id: str) -> TicketDraft:
    """A call that is only being merged into an earlier ticket (the same matter): what the
    agent left empty — topic, content, district and street — is taken from that ticket."""
    target = load_ticket(store.conn, into_id)
    filled = asdict(draft)
    if not filled["topic_code"]:
        filled["topic_code"] = target["topic_code"]
    if not filled["content"].strip():
        filled["content"] = (
            f"重复来电，同工单 {format_for_reading(target['number'])}：{target['content']}"[
                :CONTENT_MAX
            ]
        )
    if not filled["district_code"] and not filled["street_code"]:
        filled["district_code"], filled["street_code"] = (
            target["district_code"],
            target["street_code"],
        )
    filled["repeat"] = True
    return TicketDraft(**filled)


def merge(store: Store, actor: Actor, ticket_id: str, into_id: str, reason: str = "") -> Event:
    """Merge a repeat request into an earlier ticket of the same matter (并单)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.merged", ticket_id)
        target = load_ticket(store.conn, into_id) if into_id != ticket_id else ticket
        raw = {"into_id": into_id, "into_number": target["number"], "reason": reason}
        return emit(store, actor, "ticket.merged", ticket, raw)
