"""Old events are read in today's shape: a desk defined by a seat before desks had topics
(``desk.defined`` version 1) still projects, rebuilds and shows, while the log keeps the event
exactly as it was written."""

from __future__ import annotations

import dataclasses
import json

import pytest

from store import Actor, DomainError
from store.core import events as event_log
from store.core.db import transaction
from store.core.events import Event
from store.core.judging import judge
from store.core.rebuild import check, rebuild
from store.core.upcasting import current_version, upcast
from store.directory import commands as d
from store.tickets import workflow

# What a seat of the first release wrote when a desk was defined: no topics, no business line.
DESK_V1 = {
    "id": "DK9",
    "name": "老专席",
    "line": "",
    "description": "",
    "active": 1,
    "pinyin": "lao zhuan xi",
    "initials": "lzx",
}


def _old_desk_event(store) -> Event:
    return Event(
        id=store.new_id(),
        device_id=store.device_id,
        device_seq=event_log.next_device_seq(store.conn, store.device_id),
        stream="directory",
        subject_id="DK9",
        type="desk.defined",
        version=1,
        payload=dict(DESK_V1),
        actor_id="system",
        actor_role="system",
        occurred_at=event_log.all_events(store.conn)[-1].occurred_at,
    )


def test_a_version_1_desk_reads_as_version_2(store):
    old = _old_desk_event(store)
    read = upcast(old)
    assert (read.version, read.payload["topics"], read.payload["business"]) == (2, [], 0)
    assert old.payload == DESK_V1  # the event itself is untouched


def test_an_old_desk_in_the_log_projects_rebuilds_and_stays_as_written(store):
    with transaction(store.conn):
        event_log.insert(store.conn, _old_desk_event(store))
    assert rebuild(store.conn) > 0
    desk = store.conn.execute("SELECT topics, business FROM desks WHERE id = 'DK9'").fetchone()
    assert (json.loads(desk["topics"]), desk["business"]) == ([], 0)
    assert check(store.conn) == []
    stored = store.conn.execute(
        "SELECT version, payload FROM events WHERE subject_id = 'DK9'"
    ).fetchone()
    assert stored["version"] == 1 and "topics" not in json.loads(stored["payload"])


def test_fields_written_before_the_version_was_raised_are_kept(store):
    old = dataclasses.replace(
        _old_desk_event(store), payload={**DESK_V1, "topics": ["0108"], "business": 1}
    )
    assert upcast(old).payload["topics"] == ["0108"] and upcast(old).payload["business"] == 1


def test_new_events_are_written_in_the_current_version(store):
    assert current_version("desk.defined") == 2
    d.define_desk(store, Actor.system(), "DK8", "新专席", topics=["0108"])
    row = store.conn.execute(
        "SELECT version FROM events WHERE subject_id = 'DK8' ORDER BY pos DESC"
    ).fetchone()
    assert row["version"] == 2


def test_the_judge_refuses_a_version_it_does_not_know(store, actors):
    registered = workflow.register(
        store,
        actors["a1"],
        workflow.TicketDraft(content="路灯不亮", topic_code="0108", caller_phone="13800000000"),
    )
    event = Event(
        id=store.new_id(),
        device_id=store.device_id,
        device_seq=999,
        stream="ticket",
        subject_id=registered.subject_id,
        type="ticket.noted",
        version=current_version("ticket.noted") + 1,
        payload={"note": "来自未来版本"},
        actor_id="a1",
        actor_role="agent",
        occurred_at=event_log.all_events(store.conn)[-1].occurred_at,
    )
    with pytest.raises(DomainError, match="版本"):
        judge(store, actors["a1"], event)
