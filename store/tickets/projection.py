"""The tickets' projections: ``tickets`` and the units, clocks, callbacks and reveals of each.

Every ticket event moves the ticket by the transition table (``store.tickets.states``): its
state, when it entered it, when it last changed. A handler here records only what the
event adds beyond the move.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from store.core.events import Event
from store.core.projector import Handler, handles, insert, table, upsert
from store.tickets.states import CLOSED, TRANSITIONS, State

table("tickets", made_by="ticket.registered")
table("ticket_units", key=("ticket_id", "unit_id"))
table("clocks", key=("ticket_id", "kind"))
table("callbacks", key=("ticket_id", "attempt"))
table("reveals")


def _on(*event_types: str) -> Callable[[Handler], Handler]:
    """Decorator: project these ticket events, then move the ticket as the table says."""

    def register(fn: Handler) -> Handler:
        for event_type in event_types:
            handles(event_type)(_moving(event_type, fn))
        return fn

    return register


def _moving(event_type: str, fn: Handler) -> Handler:
    transition = TRANSITIONS[event_type]

    def handler(conn: sqlite3.Connection, e: Event) -> None:
        before = _state_of(conn, e.subject_id)
        fn(conn, e)
        if transition.target is not None:
            _set_state(conn, e, transition.target)
        conn.execute(
            "UPDATE tickets SET updated_at = ?,"
            " state_since = CASE WHEN state IS ? THEN state_since ELSE ? END WHERE id = ?",
            (e.occurred_at, before, e.occurred_at, e.subject_id),
        )

    return handler


def _state_of(conn: sqlite3.Connection, ticket_id: str | None) -> str | None:
    row = conn.execute("SELECT state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    return row[0] if row else None


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


@_on("ticket.registered")
def _registered(conn, e):
    p = e.payload
    row = {"id": e.subject_id, "state": str(State.REGISTERED), **_REGISTERED_DEFAULTS}
    row.update({k: p[k] for k in _REGISTERED_REQUIRED})
    row.update({k: p[k] for k in _REGISTERED_DEFAULTS if k in p})
    row.update(registered_at=e.occurred_at, registered_by=e.actor_id, updated_at=e.occurred_at)
    insert(conn, "tickets", row)


@_on("ticket.answered")
def _answered(conn, e):
    _set(conn, e.subject_id, reply=e.payload["answer"], kb_refs=json.dumps(e.payload["kb_refs"]))


@_on("ticket.not_accepted")
def _not_accepted(conn, e):
    _set(conn, e.subject_id, reason_code=e.payload["reason_code"], reply=e.payload["explanation"])


@_on("ticket.transferred_emergency")
def _transferred(conn, e):
    _set(conn, e.subject_id, transfer_line=e.payload["line"])


@_on("ticket.transferred_desk")
def _to_desk(conn, e):
    _set(conn, e.subject_id, desk_id=e.payload["desk_id"])


@_on("ticket.handed_back")
def _handed_back(conn, e):
    _set(conn, e.subject_id, desk_id=None)


@_on("ticket.merged")
def _merged(conn, e):
    _set(conn, e.subject_id, merged_into=e.payload["into_id"])


@_on("ticket.dispatched")
def _dispatched(conn, e):
    _assign_units(conn, e)


@_on("ticket.redispatched")
def _redispatched(conn, e):
    _assign_units(conn, e)
    if e.payload["assigned"]:
        _set(conn, e.subject_id, assigned=1)


@_on("ticket.signed")
def _signed(conn, e):
    _stop_clocks(conn, e, ("sign",))
    _start_clocks(conn, e)


@_on("ticket.contacted")
def _contacted(conn, e):
    _stop_clocks(conn, e, ("contact",))


@_on("ticket.return_requested")
def _return_requested(conn, e):
    _set(
        conn,
        e.subject_id,
        resume_state=str(_state(conn, e.subject_id)),
        pending_note=e.payload["basis"],
    )


@_on("ticket.return_decided")
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


@_on("ticket.extension_requested")
def _extension_requested(conn, e):
    _set(
        conn,
        e.subject_id,
        requested_due=e.payload["requested_due"],
        pending_note=e.payload["reason"],
    )


@_on("ticket.extension_decided")
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


@_on("ticket.replied")
def _replied(conn, e):
    _set(
        conn,
        e.subject_id,
        reply=e.payload["reply"],
        requested_due=None,
        pending_note=e.payload["basis"] or None,
    )
    _stop_clocks(conn, e, ("handle", "contact", "return"))


@_on("ticket.reviewed")
def _reviewed(conn, e):
    _set(conn, e.subject_id, pending_note=None)
    if e.payload["accepted"]:
        _set(conn, e.subject_id, state=str(State.CALLBACK_PENDING), callback_attempts=0)
    else:
        _restart_handling(conn, e)
    _start_clocks(conn, e)


@_on("ticket.called_back")
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


@_on("ticket.redone")
def _redone(conn, e):
    _restart_handling(conn, e)
    _start_clocks(conn, e)


def _restart_handling(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE tickets SET state = ?, redo_count = redo_count + 1, reply = '', "
        "satisfaction = NULL, solved = NULL WHERE id = ?",
        (str(State.HANDLING), e.subject_id),
    )


@_on("ticket.urged")
def _urged(conn, e):
    conn.execute("UPDATE tickets SET urge_count = urge_count + 1 WHERE id = ?", (e.subject_id,))


@_on("ticket.supervised")
def _supervised(conn, e):
    _set(conn, e.subject_id, supervised=1)


@_on("ticket.escalated")
def _escalated(conn, e):
    _set(conn, e.subject_id, escalated=1)


@_on("ticket.noted")
def _noted(conn, e):
    pass  # a note lives in the timeline (the event itself); only updated_at moves


@_on("ticket.caller_revealed")
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


@_on("ticket.archived")
def _archived(conn, e):
    pass  # state and closing come from the transition table


@_on("ticket.taken")
def _taken(conn, e):
    _set(conn, e.subject_id, taken_by=e.actor_id)
