"""Work queues: the lists of tickets each role works through, with their lights.

Every list is made of :class:`QueueRow`, so every screen that shows tickets shows the same
columns, the caller's number masked, and the light of the most urgent open clock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from store.core.clock import UNKNOWN_TIME, read_time, to_text
from store.core.validation import mask_phone
from store.directory.config import load_config
from store.tickets.deadlines import Light, worst
from store.tickets.read.queries import clocks_of
from store.tickets.states import State

_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: str
    number: str
    state: State
    registered_at: datetime
    content: str
    caller: str  # masked; （保密） for a confidential ticket
    unit: str  # lead unit's name, if dispatched
    due_at: datetime | None  # of the most urgent open clock
    light: Light | None
    urgency: str
    urge_count: int
    supervised: bool
    note: str  # what the queue is about: the return basis, the requested date, the reply …
    requested_due: datetime | None  # the deadline a unit asked for, while it waits


_SELECT = (
    "SELECT t.*, u.name AS unit_name, a.name AS taker_name FROM tickets t"
    " LEFT JOIN units u ON u.id = t.lead_unit_id LEFT JOIN agents a ON a.id = t.taken_by"
)


def _rows(
    conn: sqlite3.Connection,
    where: str,
    params: tuple,
    now: datetime,
    *,
    order: str = "t.registered_at",
    note=lambda row: "",
    limit: int = 500,
) -> list[QueueRow]:
    config = load_config(conn)
    result = []
    for r in conn.execute(f"{_SELECT} WHERE {where} ORDER BY {order} LIMIT ?", (*params, limit)):
        state = State(r["state"])
        views = clocks_of(conn, r["id"], now, config)
        open_views = [v for v in views if v.stopped_at is None and v.counts_for_ticket]
        lights = [v.light for v in open_views if v.light is not None]
        # The deadline shown is the one the light comes from: the most urgent open clock
        # (the contact clock can be red while the handling deadline is days away).
        urgent = sorted(open_views, key=lambda v: (_RANK.get(v.light, 3), v.due_at))
        due = urgent[0].due_at if urgent else None
        result.append(
            QueueRow(
                id=r["id"],
                number=r["number"],
                state=state,
                registered_at=read_time(r["registered_at"]) or UNKNOWN_TIME,
                content=r["content"],
                caller=_caller(r),
                unit=r["unit_name"] or "",
                due_at=due,
                light=worst(lights),
                urgency=r["urgency"],
                urge_count=r["urge_count"],
                supervised=bool(r["supervised"]),
                note=note(r),
                requested_due=read_time(r["requested_due"]) if r["requested_due"] else None,
            )
        )
    return result


def _caller(row: sqlite3.Row) -> str:
    """Who called, as every list shows it: masked, and not at all for a confidential ticket
    (a number is seen only by revealing it, which is logged)."""
    return "（保密）" if row["confidential"] else mask_phone(row["caller_phone"])


def desk_queue(conn: sqlite3.Connection, desk_id: str, now: datetime) -> list[QueueRow]:
    """Tickets waiting at a specialist desk, longest waiting first; each says since when it
    waits and who took it."""

    def note(r: sqlite3.Row) -> str:
        since = read_time(r["state_since"])
        waited = f"转入 {since:%m-%d %H:%M}，已等 {_span(now - since)}" if since else ""
        taker = f"〔{r['taker_name'] or r['taken_by']} 已接手〕" if r["taken_by"] else ""
        return f"{taker}{waited}：{r['content']}"

    return _rows(
        conn,
        "t.state = ? AND t.desk_id = ?",
        (State.AT_DESK.value, desk_id),
        now,
        order="t.state_since",
        note=note,
    )


def _span(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时"
    return f"{minutes // 1440} 天"


@dataclass(frozen=True, slots=True)
class DeskStatus:
    id: str
    name: str
    line: str
    specialists: int  # desk specialists assigned to it
    on_duty: int  # of them, on duty now
    waiting: int  # tickets in its queue


def desks(conn: sqlite3.Connection) -> list[DeskStatus]:
    """Every desk with its specialists and its queue, for the transfer list."""
    rows = conn.execute(
        "SELECT d.id, d.name, d.line,"
        " (SELECT count(*) FROM agents a WHERE a.desk_id = d.id AND a.active) AS specialists,"
        " (SELECT count(*) FROM agents a WHERE a.desk_id = d.id AND a.active AND a.on_duty)"
        " AS on_duty,"
        " (SELECT count(*) FROM tickets t WHERE t.desk_id = d.id AND t.state = ?) AS waiting"
        " FROM desks d ORDER BY d.id",
        (State.AT_DESK.value,),
    )
    return [DeskStatus(r[0], r[1], r[2] or "", r[3], r[4], r[5]) for r in rows]


REVIEW_STATES = (State.RETURN_REQUESTED, State.RETURNED, State.EXTENSION_REQUESTED, State.REPLIED)


def review_queue(conn: sqlite3.Connection, now: datetime) -> list[QueueRow]:
    """What waits for a supervisor: returns, re-dispatches, extensions and replies to check,
    in the order they arrived (urging a ticket does not move it)."""
    marks = ", ".join("?" for _ in REVIEW_STATES)
    return _rows(
        conn,
        f"t.state IN ({marks})",
        tuple(s.value for s in REVIEW_STATES),
        now,
        order="t.state_since",
        note=_review_note,
    )


def _review_note(row: sqlite3.Row) -> str:
    """What the decision is about, in the unit's own words."""
    state = State(row["state"])
    said = row["pending_note"] or ""
    if state is State.RETURN_REQUESTED:
        return f"退单理由：{said}" if said else "申请退单"
    if state is State.EXTENSION_REQUESTED:
        until = (row["requested_due"] or "")[:16].replace("T", " ")
        return f"申请延期至 {until}：{said}"
    if state is State.REPLIED:
        return f"答复：{row['reply']}" + (f"（依据：{said}）" if said else "")
    return f"已同意退单，待改派（已退回 {row['return_count']} 次）"


def callback_queue(conn: sqlite3.Connection, now: datetime) -> list[QueueRow]:
    """Tickets due for a callback, the earliest deadline first; numbers masked like every
    list (the callback agent reveals one to dial it, and the reveal is logged)."""
    return _rows(
        conn,
        "t.state = ? AND (t.next_callback_at IS NULL OR t.next_callback_at <= ?)",
        (State.CALLBACK_PENDING.value, to_text(now)),
        now,
        order="(SELECT due_at FROM clocks c WHERE c.ticket_id = t.id AND c.kind = 'callback')",
    )


def called_back(conn: sqlite3.Connection, now: datetime) -> list[QueueRow]:
    """Callbacks done, waiting for the decision: redo (unsatisfied) or archive."""
    return _rows(
        conn,
        "t.state = ?",
        (State.CALLED_BACK.value,),
        now,
        order="t.updated_at",
        note=lambda r: f"回访：{'已解决' if r['solved'] else '未解决'}，{r['satisfaction'] or ''}",
    )


def missed_callbacks(conn: sqlite3.Connection, now: datetime) -> list[QueueRow]:
    """Callbacks tried without reaching the caller whose next attempt is still to come
    (once it is due, the ticket is back in the callback queue, not in two lists)."""
    return _rows(
        conn,
        "t.state = ? AND t.callback_attempts > 0 AND t.next_callback_at > ?",
        (State.CALLBACK_PENDING.value, to_text(now)),
        now,
        order="t.next_callback_at",
        note=_missed_note,
    )


def _missed_note(row: sqlite3.Row) -> str:
    when = (row["next_callback_at"] or "")[:16].replace("T", " ")
    return f"未接通，已拨 {row['callback_attempts']} 次，下次拨打：{when or '未定，尽快'}"


UNIT_STATES = (
    State.DISPATCHED,
    State.HANDLING,
    State.RETURN_REQUESTED,
    State.EXTENSION_REQUESTED,
)


def unit_tickets(conn: sqlite3.Connection, unit_id: str, now: datetime) -> list[QueueRow]:
    """A handling unit's open tickets (as lead), oldest first, with lights."""
    marks = ", ".join("?" for _ in UNIT_STATES)
    return _rows(
        conn,
        f"t.lead_unit_id = ? AND t.state IN ({marks})",
        (unit_id, *(s.value for s in UNIT_STATES)),
        now,
    )


def on_duty(conn: sqlite3.Connection, agent_id: str) -> bool:
    """Whether a desk specialist is on duty."""
    row = conn.execute("SELECT on_duty FROM agents WHERE id = ?", (agent_id,)).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class CallbackForm:
    """What the callback agent sees while recording a call."""

    number: str
    caller: str  # the revealed number, or the masked one with the name
    unit: str
    content: str
    reply: str
    attempts: int  # made so far
    scale: list[str]  # the city's satisfaction levels
    now: datetime
    retry_hours: int  # a caller not reached is tried again this much later, by default


def callback_form(store, ticket_id: str, revealed: str | None = None) -> CallbackForm:
    """The ticket as the callback dialog shows it (``revealed``: the number, if the agent
    revealed it for this call)."""
    row = store.conn.execute(
        "SELECT t.*, u.name AS unit_name FROM tickets t LEFT JOIN units u"
        " ON u.id = t.lead_unit_id WHERE t.id = ?",
        (ticket_id,),
    ).fetchone()
    config = store.config()
    shown = revealed or mask_phone(row["callback_phone"] or row["caller_phone"])
    name = row["caller_name"] or "来电人"
    return CallbackForm(
        number=row["number"],
        caller=f"{name} {shown}",
        unit=row["unit_name"] or "",
        content=row["content"],
        reply=row["reply"],
        attempts=row["callback_attempts"],
        scale=list(config.satisfaction_scale),
        now=store.now(),
        retry_hours=config.callback_retry_hours,
    )
