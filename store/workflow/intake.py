"""Intake: registering a call and the outcomes decided while the caller is on the line."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from store import directory
from store.db import transaction
from store.errors import DomainError, Forbidden, InvalidInput, InvalidState
from store.events import Event
from store.kb.vocabulary import ENTRY_ID
from store.roles import Actor, Role
from store.seat import Store
from store.states import State, check
from store.ticket_numbers import next_number
from store.validation import CONTENT_MAX, NOTE_MAX, choice, clean_text, normalize_phone
from store.vocabulary import CHANNELS, EMERGENCY_LINES, GENDERS, TRANSFER_MODES, TYPES, URGENCIES
from store.workflow.base import begin, emit, load_ticket

_INCIDENT = re.compile(r"^[A-Za-z0-9-]{1,32}$")


@dataclass
class TicketDraft:
    """What the agent fills in during the call (domain.md §2)."""

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


def register(store: Store, actor: Actor, draft: TicketDraft) -> Event:
    """Register a new ticket; its number is in ``event.payload["number"]``."""
    check("ticket.registered", actor, None)
    fields = validate_draft(store, draft)
    now = store.now()
    with transaction(store.conn):
        fields["number"] = next_number(store.conn, store.device_no, now.date())
        # Empty fields are left out of the event (the projection has their defaults).
        payload = {k: v for k, v in fields.items() if v not in ("", 0)}
        return store.emit(actor, "ticket.registered", payload, subject_id=store.new_id(), at=now)


def answer_directly(
    store: Store, actor: Actor, ticket_id: str, answer: str, kb_refs: list[str]
) -> Event:
    """Close the ticket as answered during the call, citing the knowledge-base entries used."""
    answer = clean_text(answer, field="answer", label="答复内容", required=True, limit=CONTENT_MAX)
    refs = list(dict.fromkeys(kb_refs))
    for ref in refs:
        if not isinstance(ref, str) or not ENTRY_ID.match(ref):
            raise InvalidInput(f"知识库条目编号无效：{ref!r}", field="kb_refs")
    with transaction(store.conn):
        begin(store, actor, "ticket.answered", ticket_id)
        return emit(store, actor, "ticket.answered", ticket_id, {"answer": answer, "kb_refs": refs})


def not_accept(
    store: Store, actor: Actor, ticket_id: str, reason_code: str, explanation: str = ""
) -> Event:
    """Close the ticket as not accepted, with the reason code and what the caller was told."""
    explanation = clean_text(explanation, field="explanation", label="告知内容", limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, "ticket.not_accepted", ticket_id)
        reason = directory.require_reason(store.conn, reason_code)
        return emit(
            store,
            actor,
            "ticket.not_accepted",
            ticket_id,
            {"reason_code": reason, "explanation": explanation},
        )


def transfer_emergency(
    store: Store, actor: Actor, ticket_id: str, line: str, mode: str = "one_key", note: str = ""
) -> Event:
    """Hand the call to 110 / 119 / 120 / 122; the ticket closes for 12345."""
    line = choice(line, EMERGENCY_LINES, field="line", label="转接线路")
    mode = choice(mode, TRANSFER_MODES, field="mode", label="转接方式")
    note = clean_text(note, field="note", label="转接说明", limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, "ticket.transferred_emergency", ticket_id)
        return emit(
            store,
            actor,
            "ticket.transferred_emergency",
            ticket_id,
            {"line": line, "mode": mode, "note": note},
        )


def transfer_desk(
    store: Store, actor: Actor, ticket_id: str, desk_id: str, mode: str = "one_key", note: str = ""
) -> Event:
    """Send the ticket, with everything recorded, to a specialist desk's queue."""
    mode = choice(mode, TRANSFER_MODES, field="mode", label="转接方式")
    note = clean_text(note, field="note", label="转接说明", limit=NOTE_MAX)
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.transferred_desk", ticket_id)
        desk = directory.require_desk(store.conn, desk_id)
        if ticket["desk_id"] == desk:
            raise InvalidState("工单已在该专席。")
        return emit(
            store,
            actor,
            "ticket.transferred_desk",
            ticket_id,
            {"desk_id": desk, "mode": mode, "note": note},
        )


def take(store: Store, actor: Actor, ticket_id: str) -> Event:
    """A desk specialist takes a ticket from the desk's queue (the others see who has it)."""
    with transaction(store.conn):
        ticket = begin(store, actor, "ticket.taken", ticket_id)
        if ticket["taken_by"] == actor.id:
            raise InvalidState("您已接手该工单。")
        return emit(store, actor, "ticket.taken", ticket_id, {"previous": ticket["taken_by"]})


def set_duty(store: Store, actor: Actor, on_duty: bool) -> Event:
    """A desk specialist goes on or off duty at their desk (the transfer list counts them)."""
    if actor.role is not Role.DESK:
        raise Forbidden(f"{actor.role.label}没有专席岗位。")
    with transaction(store.conn):
        return store.emit(
            actor,
            "desk.duty_set",
            {"on_duty": bool(on_duty)},
            subject_id=actor.id,
            stream="directory",
        )


def hand_back(store: Store, actor: Actor, ticket_id: str, reason: str) -> Event:
    """A desk returns a ticket to the general agents (not its field)."""
    reason = clean_text(reason, field="reason", label="退回原因", required=True, limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, "ticket.handed_back", ticket_id)
        return emit(store, actor, "ticket.handed_back", ticket_id, {"reason": reason})


def merge(store: Store, actor: Actor, ticket_id: str, into_id: str, reason: str = "") -> Event:
    """Merge a repeat request into an earlier ticket of the same matter (并单)."""
    reason = clean_text(reason, field="reason", label="并单说明", limit=NOTE_MAX)
    with transaction(store.conn):
        begin(store, actor, "ticket.merged", ticket_id)
        if into_id == ticket_id:
            raise InvalidInput("不能并入工单本身。", field="into")
        target = load_ticket(store.conn, into_id)
        if target["state"] == State.MERGED:
            raise InvalidState(f"工单 {target['number']} 本身已并入其他工单，请并入主工单。")
        return emit(
            store,
            actor,
            "ticket.merged",
            ticket_id,
            {"into_id": into_id, "into_number": target["number"], "reason": reason},
        )
