"""The dispatch catalogue: which unit leads on a topic in a district, suggested at dispatch.

Rules are directory data (``dispatch_rule.set`` / ``dispatch_rule.removed`` events). A rule
names a unit, or ``@street`` — the street office of the ticket's street (属地街道), the usual
lead for neighbourhood matters. The most specific rule wins: topic and district, then the
topic in any district, then the topic's first level.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from store.core.db import transaction
from store.core.errors import Forbidden
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.directory import commands as directory

STREET_OFFICE = "@street"
EDITING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.SYSTEM})


def set_rule(store: Store, actor: Actor, topic_code: str, district_code: str, unit_id: str) -> None:
    """Add or change the rule for ``topic_code`` in ``district_code`` ('' for any district)."""
    _require(actor)
    with transaction(store.conn):
        topic = directory.require_topic(store.conn, topic_code)
        if district_code:
            directory.require_area(store.conn, district_code, "")
        if unit_id != STREET_OFFICE:
            unit_id = directory.require_unit(store.conn, unit_id, field="unit_id")
        current = store.conn.execute(
            "SELECT unit_id FROM dispatch_rules WHERE topic_code = ? AND district_code = ?",
            (topic, district_code),
        ).fetchone()
        if current and current[0] == unit_id:
            return
        store.emit(
            actor,
            "dispatch_rule.set",
            {"topic_code": topic, "district_code": district_code, "unit_id": unit_id},
            subject_id=f"{topic}/{district_code}",
            stream="directory",
        )


def remove_rule(store: Store, actor: Actor, topic_code: str, district_code: str = "") -> None:
    _require(actor)
    with transaction(store.conn):
        store.emit(
            actor,
            "dispatch_rule.removed",
            {"topic_code": topic_code, "district_code": district_code},
            subject_id=f"{topic_code}/{district_code}",
            stream="directory",
        )


def suggest(
    conn: sqlite3.Connection, topic_code: str, district_code: str, street_code: str
) -> str | None:
    """The lead unit the catalogue suggests for a ticket, or None."""
    first_level = topic_code[:2]
    for topic, district in (
        (topic_code, district_code),
        (topic_code, ""),
        (first_level, district_code),
        (first_level, ""),
    ):
        row = conn.execute(
            "SELECT unit_id FROM dispatch_rules WHERE topic_code = ? AND district_code = ?",
            (topic, district),
        ).fetchone()
        if row is None:
            continue
        if row[0] != STREET_OFFICE:
            return row[0]
        return street_office(conn, district_code, street_code)
    return None


def street_office(conn: sqlite3.Connection, district_code: str, street_code: str) -> str | None:
    """The street office (街道办事处) whose area is the ticket's street."""
    if not street_code:
        return None
    row = conn.execute(
        "SELECT u.id FROM unit_areas a JOIN units u ON u.id = a.unit_id"
        " WHERE a.district_code = ? AND a.street_code = ? AND u.kind = 'street' AND u.active",
        (district_code, street_code),
    ).fetchone()
    return row[0] if row else None


def _require(actor: Actor) -> None:
    if actor.role not in EDITING_ROLES:
        raise Forbidden(f"{actor.role.label}不能修改派单目录。")


def suggest_desk(conn: sqlite3.Connection, topic_code: str, business: bool) -> str | None:
    """The specialist desk that takes this ticket: a business request (企业诉求) goes to the
    desk for businesses, else the desk that names the ticket's topic, then its first level."""
    desks = [
        (r[0], set(json.loads(r[1] or "[]")), bool(r[2]))
        for r in conn.execute("SELECT id, topics, business FROM desks WHERE active ORDER BY id")
    ]
    if business:
        for desk_id, _, takes_business in desks:
            if takes_business:
                return desk_id
    for code in (topic_code, topic_code[:2]):
        for desk_id, topics, _ in desks:
            if code and code in topics:
                return desk_id
    return None


def suggest_desk_for(conn: sqlite3.Connection, ticket_id: str) -> str | None:
    """:func:`suggest_desk` for a registered ticket."""
    row = conn.execute(
        "SELECT topic_code, business FROM tickets WHERE id = ?", (ticket_id,)
    ).fetchone()
    return suggest_desk(conn, row[0], bool(row[1])) if row else None


@dataclass(frozen=True, slots=True)
class Rule:
    topic_code: str
    topic_name: str
    district_code: str
    district_name: str  # 全部区县 for a rule of any district
    unit_id: str
    unit_name: str  # 所在街道办事处 for @street


def rules(conn: sqlite3.Connection) -> list[Rule]:
    """The whole catalogue with names, by topic then district."""
    rows = conn.execute(
        "SELECT r.topic_code, coalesce(t.name, ''), r.district_code,"
        " coalesce(d.name, r.district_code), r.unit_id, coalesce(u.name, '所在街道办事处')"
        " FROM dispatch_rules r LEFT JOIN topics t ON t.code = r.topic_code"
        " LEFT JOIN districts d ON d.code = r.district_code"
        " LEFT JOIN units u ON u.id = r.unit_id ORDER BY 1, 3"
    )
    return [
        Rule(topic, name, district, district_name if district else "全部区县", unit, unit_name)
        for topic, name, district, district_name, unit, unit_name in rows
    ]
