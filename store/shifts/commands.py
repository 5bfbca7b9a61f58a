"""Handing a shift over and acknowledging it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from store.core import judging
from store.core.db import transaction
from store.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from store.core.events import Event
from store.core.payloads import Moment, Schema, Text
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.core.validation import NOTE_MAX

SUMMARY_LINES = 60
LINE_MAX = 200


@dataclass(frozen=True)
class Lines:
    """A shift summary: lines of [label, value], both text."""

    def clean(self, value: Any, name: str) -> list[list[str]]:
        """The lines as lists of two strings; anything else is refused."""
        if not isinstance(value, list) or len(value) > SUMMARY_LINES:
            raise InvalidInput("交接摘要格式无效。", field=name)
        out = []
        for line in value:
            if (
                not isinstance(line, list | tuple)
                or len(line) != 2
                or not all(isinstance(part, str) and len(part) <= LINE_MAX for part in line)
            ):
                raise InvalidInput("交接摘要格式无效。", field=name)
            out.append([line[0], line[1]])
        return out


def _supervisor(actor: Actor) -> None:
    if actor.role is not Role.SUPERVISOR:
        raise Forbidden(f"{actor.role.label}不能交接班（限值班长）。")


def _handover_subject(store: Store, actor: Actor, event: Event, payload: dict) -> None:
    _supervisor(actor)


def _acknowledge_subject(store: Store, actor: Actor, event: Event, payload: dict) -> sqlite3.Row:
    _supervisor(actor)
    return _require_open(store.conn, actor, event.subject_id or "")


judging.declare(
    "shift.handed_over",
    Schema(
        {
            "since": Moment("本班开始"),
            "summary": Lines(),
            "notes": Text("交接事项", NOTE_MAX),
        }
    ),
    stream="shift",
    subject=_handover_subject,
)
judging.declare(
    "shift.acknowledged",
    Schema({"note": Text("接班意见", NOTE_MAX)}),
    stream="shift",
    subject=_acknowledge_subject,
)


def hand_over(
    store: Store, actor: Actor, since: str, summary: list[list[str]], notes: str
) -> Event:
    """Hand the shift that began at ``since`` over, with its figures and the supervisor's
    notes for the next shift."""
    _supervisor(actor)
    with transaction(store.conn):
        handover_id = store.new_id()
        context = judging.Context(store, actor, handover_id, None, store.now())
        raw = {"since": since, "summary": summary, "notes": notes}
        payload = judging.prepare(context, "shift.handed_over", raw)
        return store.emit(
            actor, "shift.handed_over", payload, subject_id=handover_id, stream="shift"
        )


def acknowledge(store: Store, actor: Actor, handover_id: str, note: str = "") -> Event:
    """The next supervisor takes the shift over: they acknowledge the handover (not their
    own, and once)."""
    _supervisor(actor)
    with transaction(store.conn):
        row = _require_open(store.conn, actor, handover_id)
        context = judging.Context(store, actor, handover_id, row, store.now())
        payload = judging.prepare(context, "shift.acknowledged", {"note": note})
        return store.emit(
            actor, "shift.acknowledged", payload, subject_id=handover_id, stream="shift"
        )


def _require_open(conn: sqlite3.Connection, actor: Actor, handover_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM handovers WHERE id = ?", (handover_id,)).fetchone()
    if row is None:
        raise NotFound("没有这份交接记录。")
    if row["by_agent"] == actor.id:
        raise Forbidden("不能接收自己交出的班：请由下一班值班长确认。")
    if row["acknowledged_at"] is not None:
        raise InvalidState("这份交接已由他人确认接班。")
    return row
