"""Everything the detail view shows about one ticket, with names resolved."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.core.clock import UNKNOWN_TIME, read_time
from store.directory.config import load_config
from store.tickets.deadlines import Light, worst
from store.tickets.read.queries import ClockView, clocks_of, get_ticket
from store.tickets.read.timeline import TimelineEntry, timeline
from store.tickets.states import State
from store.tickets.vocabulary import CHANNELS, GENDERS, TYPES, URGENCIES


@dataclass(frozen=True)
class TicketDetail:
    id: str
    number: str
    state: State
    light: Light | None
    registered_at: datetime
    registered_by: str
    caller_phone: str
    fields: list[tuple[str, str]]  # (label, value) in reading order; values are data, not markup
    units: list[tuple[str, str]]  # (lead/assist label, unit name)
    clocks: list[ClockView]
    timeline: list[TimelineEntry]


def _name(conn: sqlite3.Connection, sql: str, key: str | None) -> str:
    if not key:
        return ""
    row = conn.execute(sql, (key,)).fetchone()
    return row[0] if row else key


def ticket_detail(conn: sqlite3.Connection, ref: str, now: datetime) -> TicketDetail:
    """The ticket ``ref`` (id or number) as the detail view shows it."""
    t = get_ticket(conn, ref)
    config = load_config(conn)
    clocks = clocks_of(conn, t["id"], now, config)
    topic = _name(
        conn,
        "SELECT p.name || ' › ' || c.name FROM topics c JOIN topics p ON p.code = c.parent_code "
        "WHERE c.code = ?",
        t["topic_code"],
    )
    area = " ".join(
        x
        for x in (
            _name(conn, "SELECT name FROM districts WHERE code = ?", t["district_code"]),
            _name(conn, "SELECT name FROM streets WHERE code = ?", t["street_code"]),
            t["address"],
        )
        if x
    )
    flags = [
        label
        for key, label in (
            ("business", "企业诉求"),
            ("repeat", "重复件"),
            ("confidential", "保密件"),
            ("leader_attention", "领导关注"),
            ("anonymous", "匿名"),
        )
        if t[key]
    ]
    fields = [
        (
            "来电人",
            " ".join(
                x
                for x in (t["caller_name"] or "（未留姓名）", GENDERS.get(t["caller_gender"], ""))
                if x
            ),
        ),
        (
            "来源 / 类型 / 紧急",
            f"{CHANNELS[t['channel']]} / {TYPES[t['type']]} / {URGENCIES[t['urgency']]}",
        ),
        ("诉求分类", topic),
        ("地点", area),
        ("发生时间", t["happened"]),
        ("诉求内容", t["content"]),
        ("诉求要求", t["request"]),
        ("标记", "、".join(flags)),
        ("110 警情号", t["incident_110"]),
        ("专席", _name(conn, "SELECT name FROM desks WHERE id = ?", t["desk_id"])),
        ("不予受理原因", _name(conn, "SELECT name FROM reasons WHERE code = ?", t["reason_code"])),
        ("转出", t["transfer_line"] or ""),
        ("引用知识库", "、".join(json.loads(t["kb_refs"]))),
        ("答复", t["reply"]),
        ("满意度", t["satisfaction"] or ""),
    ]
    units = [
        ("主办" if r[1] == "lead" else "协办", r[0])
        for r in conn.execute(
            "SELECT u.name, tu.role FROM ticket_units tu JOIN units u ON u.id = tu.unit_id "
            "WHERE tu.ticket_id = ? ORDER BY tu.role DESC, u.name",
            (t["id"],),
        )
    ]
    return TicketDetail(
        id=t["id"],
        number=t["number"],
        state=State(t["state"]),
        light=worst([c.light for c in clocks if c.counts_for_ticket]),
        registered_at=read_time(t["registered_at"]) or UNKNOWN_TIME,
        registered_by=_name(conn, "SELECT name FROM agents WHERE id = ?", t["registered_by"]),
        caller_phone=t["callback_phone"] or t["caller_phone"],
        fields=[(label, value) for label, value in fields if value],
        units=units,
        clocks=clocks,
        timeline=timeline(conn, t["id"]),
    )
