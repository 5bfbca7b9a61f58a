"""Applying events to the projections (read models).

Pure replay: a handler reads only the event and the projections as they stand, never the
clock or the configuration, so ``rebuild`` from the same events gives the same tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from store.core.events import Event
from store.tickets.states import CLOSED, TRANSITIONS, State

Handler = Callable[[sqlite3.Connection, Event], None]
_HANDLERS: dict[str, Handler] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for event_type in event_types:
            _HANDLERS[event_type] = fn
        return fn

    return register


def apply(conn: sqlite3.Connection, event: Event) -> None:
    """Apply one event. Unknown types are an error: a newer seat must upgrade first."""
    handler = _HANDLERS.get(event.type)
    if handler is None:
        raise ValueError(f"no projection for event type {event.type!r}")
    transition = TRANSITIONS.get(event.type)
    before = _state_of(conn, event.subject_id) if transition is not None else None
    handler(conn, event)
    if transition is None:
        return
    if transition.target is not None:
        _set_state(conn, event, transition.target)
    conn.execute(
        "UPDATE tickets SET updated_at = ?,"
        " state_since = CASE WHEN state IS ? THEN state_since ELSE ? END WHERE id = ?",
        (event.occurred_at, before, event.occurred_at, event.subject_id),
    )


def _state_of(conn: sqlite3.Connection, ticket_id: str | None) -> str | None:
    row = conn.execute("SELECT state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    return row[0] if row else None


# Directory and configuration ---------------------------------------------------


# The key of every table a handler upserts into. An upsert sets only the columns it names
# and leaves the others as they are: ``INSERT OR REPLACE`` would delete the row first,
# losing columns set by other events (a desk specialist's duty) and, on a table with a
# second unique key, another row altogether.
KEYS: dict[str, tuple[str, ...]] = {
    "config": ("key",),
    "districts": ("code",),
    "streets": ("code",),
    "units": ("id",),
    "unit_areas": ("unit_id", "district_code", "street_code"),
    "desks": ("id",),
    "topics": ("code",),
    "reasons": ("code",),
    "agents": ("id",),
    "clocks": ("ticket_id", "kind"),
    "callbacks": ("ticket_id", "attempt"),
    "ticket_units": ("ticket_id", "unit_id"),
    "dispatch_rules": ("topic_code", "district_code"),
    "kb_synonyms": ("term",),
}


def upsert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """Insert ``row``, or update the named columns of the row with the same key."""
    key = KEYS[table]
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c not in key)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    conn.execute(
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT ({', '.join(key)}) {action}",
        tuple(row.values()),
    )


def insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """Insert a row that an event creates once (a ticket, a reveal): never replaces one."""
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))


@handles("config.set")
def _config_set(conn, e):
    upsert(
        conn,
        "config",
        {
            "key": e.payload["key"],
            "value": json.dumps(e.payload["value"], ensure_ascii=False, sort_keys=True),
        },
    )


_KEYS = ("pinyin", "initials")


def _fields(e: Event, *names: str) -> dict:
    """The named payload fields plus the pinyin search keys."""
    return {k: e.payload[k] for k in (*names, *_KEYS)}


@handles("district.defined")
def _district(conn, e):
    upsert(conn, "districts", _fields(e, "code", "name"))


@handles("street.defined")
def _street(conn, e):
    upsert(conn, "streets", _fields(e, "code", "district_code", "name"))


@handles("unit.defined")
def _unit(conn, e):
    p = e.payload
    upsert(conn, "units", _fields(e, "id", "name", "level", "parent_id", "kind", "active"))
    conn.execute("DELETE FROM unit_areas WHERE unit_id = ?", (p["id"],))
    for district, street in p["areas"]:
        upsert(
            conn,
            "unit_areas",
            {"unit_id": p["id"], "district_code": district, "street_code": street},
        )


@handles("desk.defined")
def _desk(conn, e):
    row = _fields(e, "id", "name", "line", "description", "active")
    row["topics"] = json.dumps(e.payload.get("topics", []))
    row["business"] = int(e.payload.get("business", 0))
    upsert(conn, "desks", row)


@handles("topic.defined")
def _topic(conn, e):
    upsert(conn, "topics", _fields(e, "code", "name", "parent_code", "level"))


@handles("reason.defined")
def _reason(conn, e):
    upsert(conn, "reasons", {k: e.payload[k] for k in ("code", "name", "guidance")})


@handles("agent.defined")
def _agent(conn, e):
    keys = ("id", "name", "role", "unit_id", "desk_id", "password_hash", "active")
    row = {k: e.payload[k] for k in keys}
    row["login_key"] = e.payload.get("login_key", "")
    upsert(conn, "agents", row)


@handles("agent.password_set")
def _agent_password(conn, e):
    conn.execute(
        "UPDATE agents SET password_hash = ?, login_key = ? WHERE id = ?",
        (e.payload["password_hash"], e.payload.get("login_key", ""), e.payload["id"]),
    )


# Tickets -------------------------------------------------------------------------

# Optional fields of ``ticket.registered`` and their values when the event leaves them out.
_REGISTERED_DEFAULTS = {
    "caller_phone": "",
    "caller_name": "",
    "caller_gender": "",
    "callback_phone": "",
    "anonymous": 0,
    "confidential": 0,
    "district_code": "",
    "street_code": "",
    "address": "",
    "happened": "",
    "request": "",
    "business": 0,
    "repeat": 0,
    "leader_attention": 0,
    "incident_110": "",
}
_REGISTERED_REQUIRED = ("number", "channel", "type", "topic_code", "urgency", "content")


def _set(conn: sqlite3.Connection, ticket_id: str, **fields) -> None:
    assignments = ", ".join(f"{k} = ?" for k in fields)
    conn.execute(f"UPDATE tickets SET {assignments} WHERE id = ?", (*fields.values(), ticket_id))


def _state(conn: sqlite3.Connection, ticket_id: str) -> State:
    return State(conn.execute("SELECT state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[0])


def _set_state(conn: sqlite3.Connection, e: Event, state: State) -> None:
    _set(conn, e.subject_id, state=str(state))
    if state in CLOSED:
        _set(conn, e.subject_id, closed_at=e.occurred_at)
        _stop_clocks(conn, e, None)


def _start_clocks(conn: sqlite3.Connection, e: Event) -> None:
    """Start (or restart) the clocks the command computed: ``payload["clocks"]``."""
    for kind, clock in e.payload.get("clocks", {}).items():
        upsert(
            conn,
            "clocks",
            {
                "ticket_id": e.subject_id,
                "kind": kind,
                "rule": clock["rule"],
                "started_at": e.occurred_at,
                "due_at": clock["due_at"],
                "stopped_at": None,
            },
        )


def _stop_clocks(conn: sqlite3.Connection, e: Event, kinds: tuple[str, ...] | None) -> None:
    sql = "UPDATE clocks SET stopped_at = ? WHERE ticket_id = ? AND stopped_at IS NULL"
    args: list = [e.occurred_at, e.subject_id]
    if kinds is not None:
        sql += f" AND kind IN ({','.join('?' for _ in kinds)})"
        args += kinds
    conn.execute(sql, args)


def _assign_units(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute("DELETE FROM ticket_units WHERE ticket_id = ?", (e.subject_id,))
    upsert(
        conn,
        "ticket_units",
        {"ticket_id": e.subject_id, "unit_id": p["lead_unit_id"], "role": "lead"},
    )
    for unit in p["assisting_unit_ids"]:
        upsert(conn, "ticket_units", {"ticket_id": e.subject_id, "unit_id": unit, "role": "assist"})
    _stop_clocks(conn, e, None)
    _start_clocks(conn, e)
    conn.execute(
        "UPDATE tickets SET lead_unit_id = ?, dispatch_count = dispatch_count + 1, reply = '' "
        "WHERE id = ?",
        (p["lead_unit_id"], e.subject_id),
    )


@handles("ticket.registered")
def _registered(conn, e):
    p = e.payload
    row = {"id": e.subject_id, "state": str(State.REGISTERED), **_REGISTERED_DEFAULTS}
    row.update({k: p[k] for k in _REGISTERED_REQUIRED})
    row.update({k: p[k] for k in _REGISTERED_DEFAULTS if k in p})
    row.update(registered_at=e.occurred_at, registered_by=e.actor_id, updated_at=e.occurred_at)
    insert(conn, "tickets", row)


@handles("ticket.answered")
def _answered(conn, e):
    _set(conn, e.subject_id, reply=e.payload["answer"], kb_refs=json.dumps(e.payload["kb_refs"]))
    kb_projection.count_use(conn, e.payload["kb_refs"])


@handles("ticket.not_accepted")
def _not_accepted(conn, e):
    _set(conn, e.subject_id, reason_code=e.payload["reason_code"], reply=e.payload["explanation"])


@handles("ticket.transferred_emergency")
def _transferred(conn, e):
    _set(conn, e.subject_id, transfer_line=e.payload["line"])


@handles("ticket.transferred_desk")
def _to_desk(conn, e):
    _set(conn, e.subject_id, desk_id=e.payload["desk_id"])


@handles("ticket.handed_back")
def _handed_back(conn, e):
    _set(conn, e.subject_id, desk_id=None)


@handles("ticket.merged")
def _merged(conn, e):
    _set(conn, e.subject_id, merged_into=e.payload["into_id"])


@handles("ticket.dispatched")
def _dispatched(conn, e):
    _assign_units(conn, e)


@handles("ticket.redispatched")
def _redispatched(conn, e):
    _assign_units(conn, e)
    if e.payload["assigned"]:
        _set(conn, e.subject_id, assigned=1)


@handles("ticket.signed")
def _signed(conn, e):
    _stop_clocks(conn, e, ("sign",))
    _start_clocks(conn, e)


@handles("ticket.contacted")
def _contacted(conn, e):
    _stop_clocks(conn, e, ("contact",))


@handles("ticket.return_requested")
def _return_requested(conn, e):
    _set(
        conn,
        e.subject_id,
        resume_state=str(_state(conn, e.subject_id)),
        pending_note=e.payload["basis"],
    )


@handles("ticket.return_decided")
def _return_decided(conn, e):
    _set(conn, e.subject_id, pending_note=None)
    if e.payload["approved"]:
        conn.execute(
            "UPDATE tickets SET state = ?, return_count = return_count + 1, resume_state = NULL "
            "WHERE id = ?",
            (str(State.RETURNED), e.subject_id),
        )
        _stop_clocks(conn, e, None)
    else:
        conn.execute(
            "UPDATE tickets SET state = resume_state, resume_state = NULL WHERE id = ?",
            (e.subject_id,),
        )


@handles("ticket.extension_requested")
def _extension_requested(conn, e):
    _set(
        conn,
        e.subject_id,
        requested_due=e.payload["requested_due"],
        pending_note=e.payload["reason"],
    )


@handles("ticket.extension_decided")
def _extension_decided(conn, e):
    p = e.payload
    _set(conn, e.subject_id, requested_due=None, pending_note=None)
    if p["approved"]:
        conn.execute(
            "UPDATE tickets SET extension_count = extension_count + 1 WHERE id = ?", (e.subject_id,)
        )
        conn.execute(
            "UPDATE clocks SET due_at = ? WHERE ticket_id = ? AND kind = 'handle'",
            (p["new_due"], e.subject_id),
        )
    if p["allow_further"]:
        conn.execute(
            "UPDATE tickets SET extensions_allowed = extension_count + 1 WHERE id = ?",
            (e.subject_id,),
        )


@handles("ticket.replied")
def _replied(conn, e):
    _set(
        conn,
        e.subject_id,
        reply=e.payload["reply"],
        requested_due=None,
        pending_note=e.payload["basis"] or None,
    )
    _stop_clocks(conn, e, ("handle", "contact", "return"))


@handles("ticket.reviewed")
def _reviewed(conn, e):
    _set(conn, e.subject_id, pending_note=None)
    if e.payload["accepted"]:
        _set(conn, e.subject_id, state=str(State.CALLBACK_PENDING), callback_attempts=0)
    else:
        _restart_handling(conn, e)
    _start_clocks(conn, e)


@handles("ticket.called_back")
def _called_back(conn, e):
    p = e.payload
    upsert(
        conn,
        "callbacks",
        {
            "ticket_id": e.subject_id,
            "attempt": p["attempt"],
            "at": e.occurred_at,
            "agent_id": e.actor_id,
            "reached": int(p["reached"]),
            "solved": p["solved"],
            "satisfaction": p["satisfaction"],
            "note": p["note"],
        },
    )
    if p["reached"]:
        _set(
            conn,
            e.subject_id,
            state=str(State.CALLED_BACK),
            satisfaction=p["satisfaction"],
            solved=p["solved"],
            callback_attempts=p["attempt"],
            next_callback_at=None,
        )
        _stop_clocks(conn, e, ("callback",))
    else:
        _set(
            conn,
            e.subject_id,
            callback_attempts=p["attempt"],
            next_callback_at=p["next_attempt_at"],
        )


@handles("ticket.redone")
def _redone(conn, e):
    _restart_handling(conn, e)
    _start_clocks(conn, e)


def _restart_handling(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE tickets SET state = ?, redo_count = redo_count + 1, reply = '', "
        "satisfaction = NULL, solved = NULL WHERE id = ?",
        (str(State.HANDLING), e.subject_id),
    )


@handles("ticket.urged")
def _urged(conn, e):
    conn.execute("UPDATE tickets SET urge_count = urge_count + 1 WHERE id = ?", (e.subject_id,))


@handles("ticket.supervised")
def _supervised(conn, e):
    _set(conn, e.subject_id, supervised=1)


@handles("ticket.escalated")
def _escalated(conn, e):
    _set(conn, e.subject_id, escalated=1)


@handles("ticket.noted")
def _noted(conn, e):
    pass  # a note lives in the timeline (the event itself); only updated_at moves


@handles("ticket.caller_revealed")
def _revealed(conn, e):
    insert(
        conn,
        "reveals",
        {
            "event_id": e.id,
            "ticket_id": e.subject_id,
            "agent_id": e.actor_id,
            "at": e.occurred_at,
            "reason": e.payload["reason"],
        },
    )


@handles("ticket.archived")
def _archived(conn, e):
    pass  # state and closing come from the transition table


# The knowledge base's handlers live with it; importing the module registers them.
from store.kb import projection as kb_projection  # noqa: E402


@handles("dispatch_rule.set")
def _dispatch_rule_set(conn, e):
    upsert(
        conn,
        "dispatch_rules",
        {k: e.payload[k] for k in ("topic_code", "district_code", "unit_id")},
    )


@handles("dispatch_rule.removed")
def _dispatch_rule_removed(conn, e):
    conn.execute(
        "DELETE FROM dispatch_rules WHERE topic_code = ? AND district_code = ?",
        (e.payload["topic_code"], e.payload["district_code"]),
    )


@handles("ticket.taken")
def _taken(conn, e):
    _set(conn, e.subject_id, taken_by=e.actor_id)


@handles("desk.duty_set")
def _duty(conn, e):
    conn.execute(
        "UPDATE agents SET on_duty = ? WHERE id = ?", (int(e.payload["on_duty"]), e.subject_id)
    )
