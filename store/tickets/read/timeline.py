"""A ticket's timeline (流转记录): who, when, what, why — read from the event log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.core.clock import UNKNOWN_TIME, read_time
from store.core.events import Event
from store.core.roles import Role
from store.core.upcasting import upcast
from store.tickets.numbers import format_for_reading
from store.tickets.states import TRANSITIONS
from store.tickets.vocabulary import EMERGENCY_LINES, TRANSFER_MODES


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str  # Chinese label
    action: str  # Chinese label
    detail: str  # the why: reasons, notes, replies (caller/agent text: render as data)
    event_type: str


def _detail(conn: sqlite3.Connection, e: Event) -> str:
    p = e.payload
    name = _names(conn)
    match e.type:
        case "ticket.registered":
            return p["content"]
        case "ticket.answered":
            refs = "、".join(p["kb_refs"])
            return p["answer"] + (f"（引用知识库：{refs}）" if refs else "")
        case "ticket.not_accepted":
            return (
                f"{name('reasons', 'code', p['reason_code'])}。{p['explanation']}".strip("。 ")
                or ""
            )
        case "ticket.transferred_emergency":
            return f"{EMERGENCY_LINES[p['line']]}，{TRANSFER_MODES[p['mode']]}。{p['note']}".rstrip(
                "。"
            )
        case "ticket.transferred_desk":
            return f"{name('desks', 'id', p['desk_id'])}，{TRANSFER_MODES[p['mode']]}。{p['note']}".rstrip(
                "。"
            )
        case "ticket.merged":
            return f"并入工单 {format_for_reading(p['into_number'])}。{p['reason']}".rstrip("。")
        case "ticket.dispatched" | "ticket.redispatched":
            lead = name("units", "id", p["lead_unit_id"])
            helpers = "、".join(name("units", "id", u) for u in p["assisting_unit_ids"])
            due = p["clocks"]["handle"]["due_at"][:16].replace("T", " ")
            text = f"主办：{lead}" + (f"；协办：{helpers}" if helpers else "") + f"；办理期限 {due}"
            if p.get("assigned"):
                text += "（热线指定）"
            return text + (f"。{p['instructions']}" if p["instructions"] else "")
        case "ticket.return_decided" | "ticket.extension_decided":
            verdict = "同意" if p["approved"] else "不同意"
            extra = f"，新期限 {p['new_due'][:16].replace('T', ' ')}" if p.get("new_due") else ""
            return f"{verdict}{extra}。{p['reason']}".rstrip("。")
        case "ticket.extension_requested":
            return f"申请延至 {p['requested_due'][:16].replace('T', ' ')}。{p['reason']}"
        case "ticket.reviewed":
            return ("通过，转回访" if p["accepted"] else "退回重办") + (
                f"。{p['comment']}" if p["comment"] else ""
            )
        case "ticket.called_back":
            if not p["reached"]:
                return f"第 {p['attempt']} 次回访未接通。{p['note']}".rstrip("。")
            solved = "已解决" if p["solved"] else "未解决"
            return f"{solved}，{p['satisfaction']}。{p['note']}".rstrip("。")
        case "ticket.replied":
            return p["reply"] + (f"（依据：{p['basis']}）" if p["basis"] else "")
    for key in ("basis", "reason", "note", "text", "message", "notice"):
        if p.get(key):
            return p[key]
    return ""


def _names(conn: sqlite3.Connection):
    def lookup(table: str, key: str, value: str) -> str:
        row = conn.execute(f"SELECT name FROM {table} WHERE {key} = ?", (value,)).fetchone()
        return row[0] if row else value

    return lookup


def timeline(conn: sqlite3.Connection, ticket_id: str) -> list[TimelineEntry]:
    """Every event of the ticket in order, plus tickets merged into it."""
    rows = conn.execute(
        "SELECT * FROM events WHERE subject_id = ? OR (type = 'ticket.merged' AND subject_id IN "
        "(SELECT id FROM tickets WHERE merged_into = ?)) ORDER BY pos",
        (ticket_id, ticket_id),
    ).fetchall()
    agents = dict(conn.execute("SELECT id, name FROM agents"))
    entries = []
    for row in rows:
        e = upcast(Event.from_row(row))
        action = TRANSITIONS[e.type].label if e.type in TRANSITIONS else e.type
        try:
            detail = _detail(conn, e)
        except (KeyError, TypeError, ValueError, AttributeError):
            detail = "（记录内容无法显示）"  # a damaged or foreign event: shown, never fatal
        if e.subject_id != ticket_id:
            action = "并入本单"
            number = conn.execute(
                "SELECT number FROM tickets WHERE id = ?", (e.subject_id,)
            ).fetchone()[0]
            detail = f"工单 {format_for_reading(number)} 并入本单。{e.payload['reason']}".rstrip(
                "。"
            )
        elif e.type == "ticket.called_back" and not e.payload["reached"]:
            action = "回访未接通"
        role = Role(e.actor_role).label if e.actor_role in Role.__members__.values() else ""
        entries.append(
            TimelineEntry(
                at=read_time(e.occurred_at) or UNKNOWN_TIME,
                actor_id=e.actor_id,
                actor_name=agents.get(e.actor_id, e.actor_id),
                actor_role=role,
                action=action,
                detail=detail,
                event_type=e.type,
            )
        )
    return entries
