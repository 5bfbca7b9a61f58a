"""Finding tickets: by number, phone, words of the content, state, light, date range, unit."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from store.core.clock import CITY_TZ, UNKNOWN_TIME, read_time, to_text
from store.core.errors import InvalidInput
from store.core.validation import normalize_phone
from store.directory.config import load_config
from store.tickets.deadlines import Light
from store.tickets.read.queries import ticket_light
from store.tickets.states import State

SEARCH_LIMIT = 500  # rows read when a light must be computed to filter
SHOWN = 200  # rows a search shows


@dataclass(frozen=True)
class Criteria:
    """What the agent asked for; empty fields do not filter."""

    number: str = ""  # all or the start of a ticket number (digits; spaces ignored)
    phone: str = ""
    words: str = ""  # every word must appear in the content, request, address or reply
    state: str = ""
    light: str = ""  # green / yellow / red (open tickets only)
    date_from: date | None = None
    date_to: date | None = None
    unit_id: str = ""


@dataclass(frozen=True, slots=True)
class Found:
    id: str
    number: str
    state: State
    registered_at: datetime
    caller_phone: str
    topic: str
    content: str
    light: Light | None


def search(
    conn: sqlite3.Connection, criteria: Criteria, now: datetime, limit: int = SHOWN
) -> list[Found]:
    """Tickets matching ``criteria``, newest first."""
    where, args = ["1 = 1"], []
    digits = criteria.number.replace(" ", "").replace("-", "")
    if digits and not (digits.isascii() and digits.isdigit()):
        raise InvalidInput("工单号只能输入数字（可只输前几位）。", field="number")
    if digits:
        where.append("t.number LIKE ? || '%'")
        args.append(digits)
    if criteria.phone.strip():
        phone = normalize_phone(criteria.phone, field="phone", label="电话号码")
        where.append("(t.caller_phone = ? OR t.callback_phone = ?)")
        args += [phone, phone]
    for word in criteria.words.split():
        where.append(
            "instr(t.content || ' ' || t.request || ' ' || t.address || ' ' || t.reply, ?) > 0"
        )
        args.append(word)
    if criteria.state:
        where.append("t.state = ?")
        args.append(State(criteria.state).value)
    if criteria.date_from:
        where.append("t.registered_at >= ?")
        args.append(to_text(datetime.combine(criteria.date_from, datetime.min.time(), CITY_TZ)))
    if criteria.date_to:
        where.append("t.registered_at < ?")
        args.append(
            to_text(
                datetime.combine(criteria.date_to + timedelta(days=1), datetime.min.time(), CITY_TZ)
            )
        )
    if criteria.unit_id:
        where.append(
            "EXISTS (SELECT 1 FROM ticket_units u WHERE u.ticket_id = t.id AND u.unit_id = ?)"
        )
        args.append(criteria.unit_id)
    if criteria.light:
        # only tickets with an open clock can have a light
        where.append(
            "EXISTS (SELECT 1 FROM clocks c WHERE c.ticket_id = t.id AND c.stopped_at IS NULL)"
        )
    rows = conn.execute(
        "SELECT t.id, t.number, t.state, t.registered_at, t.caller_phone, t.content, "
        "coalesce(tp.name, t.topic_code) AS topic FROM tickets t "
        "LEFT JOIN topics tp ON tp.code = t.topic_code "
        f"WHERE {' AND '.join(where)} ORDER BY t.registered_at DESC, t.number DESC LIMIT ?",
        (*args, SEARCH_LIMIT if criteria.light else limit),
    ).fetchall()
    config = load_config(conn)
    found = []
    for r in rows:
        lit = ticket_light(conn, r["id"], now, config)
        if criteria.light and (lit is None or lit.value != criteria.light):
            continue
        found.append(
            Found(
                r["id"],
                r["number"],
                State(r["state"]),
                read_time(r["registered_at"]) or UNKNOWN_TIME,
                r["caller_phone"],
                r["topic"],
                r["content"],
                lit,
            )
        )
        if len(found) >= limit:
            break
    return found
