"""A projection never loses a row or a column it did not mean to, and a check notices if
one did."""

from __future__ import annotations

import pytest
from support.lifecycle import bring_to, draft

from store.core import projector
from store.core.db import transaction
from store.core.events import Event
from store.core.events import values as event_values
from store.core.rebuild import check
from store.directory import catalogue as dispatch_catalogue
from store.directory import commands as d
from store.tickets import workflow
from store.tickets.states import State


def test_redefining_an_agent_keeps_them_on_duty(store, actors):
    workflow.set_duty(store, actors["k1"], True)
    d.define_agent(store, actors["admin"], "k1", "钱进（改名）", "desk", "secret-1")
    row = store.conn.execute("SELECT name, on_duty FROM agents WHERE id = 'k1'").fetchone()
    assert tuple(row) == ("钱进（改名）", 1)
    assert check(store.conn) == []


@pytest.mark.parametrize("table", sorted(projector.keyed()))
def test_an_upsert_keeps_the_columns_it_does_not_set(store, actors, table):
    """Every table a handler upserts into: a row written again with some of its columns
    keeps the others as they were."""
    bring_to(store, actors, State.CALLED_BACK)  # clocks, units, a callback
    d.set_config(store, actors["admin"], "max_returns", 4)
    dispatch_catalogue.set_rule(store, actors["admin"], "0303", "D1", "U5")
    info = list(store.conn.execute(f"PRAGMA table_info({table})"))
    key = projector.keyed()[table]
    # Columns with neither a default nor NULL allowed go in every row a handler writes.
    required = [r["name"] for r in info if r["notnull"] and r["dflt_value"] is None]
    others = [r["name"] for r in info if r["name"] not in key and r["name"] not in required]
    row = store.conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
    assert row is not None, f"no row in {table} to write again"
    if not others:
        pytest.skip(f"every column of {table} is set by its events")
    # Give the other columns values no handler writes by default, then write the row again.
    references = {r["from"] for r in store.conn.execute(f"PRAGMA foreign_key_list({table})")}
    kinds = {r["name"]: r["type"] for r in info}
    kept = [c for c in others if c not in references]
    where = " AND ".join(f"{k} = ?" for k in key)
    at = [row[k] for k in key]
    for column in kept:
        marker = 7 if kinds[column].upper() == "INTEGER" else "留"
        store.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (marker, *at))
    before = store.conn.execute(f"SELECT * FROM {table} WHERE {where}", at).fetchone()
    with transaction(store.conn):
        projector.upsert(store.conn, table, {c: row[c] for c in (*key, *required)})
    after = store.conn.execute(f"SELECT * FROM {table} WHERE {where}", at).fetchone()
    assert [after[c] for c in kept] == [before[c] for c in kept]


def test_a_repeated_number_never_erases_the_earlier_ticket(store, actors):
    first = workflow.register(store, actors["a1"], draft())
    twin = Event(
        id="01a00000-0000-7000-8000-000000000001",
        device_id="elsewhere",
        device_seq=1,
        stream="ticket",
        subject_id="01a00000-0000-7000-8000-0000000000aa",
        type="ticket.registered",
        version=1,
        payload={**first.payload, "content": "另一张工单，同一个号"},
        actor_id="a1",
        actor_role="agent",
        occurred_at=first.occurred_at,
    )
    with transaction(store.conn):
        store.conn.execute(
            "INSERT INTO events (id, device_id, device_seq, stream, subject_id, type, version,"
            " payload, actor_id, actor_role, occurred_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            event_values(twin),
        )
        projector.apply(store.conn, twin)
    number = first.payload["number"]
    rows = store.conn.execute("SELECT id FROM tickets WHERE number = ?", (number,)).fetchall()
    assert {r[0] for r in rows} == {first.subject_id, twin.subject_id}
    assert check(store.conn) == []  # a replay keeps both too


def test_a_row_that_disappeared_is_noticed(store, actors):
    ticket = workflow.register(store, actors["a1"], draft()).subject_id
    store.conn.execute("DELETE FROM tickets WHERE id = ?", (ticket,))
    notes = [diff.describe() for diff in check(store.conn)]
    assert any("事件日志中有" in note for note in notes), notes


def test_readers_survive_rows_no_command_would_write(store, actors):
    """Defence in depth beside the judgement: a row damaged or forged before the central
    server checked pushes never stops a reader."""
    from store.tickets.read.detail import ticket_detail
    from store.tickets.read.queries import caller_history
    from store.tickets.read.queues import unit_tickets
    from store.tickets.read.search import Criteria, search

    ticket = workflow.register(store, actors["a1"], draft()).subject_id
    workflow.dispatch(store, actors["a1"], ticket, "U2")
    store.conn.execute("UPDATE clocks SET due_at = 'garbage' WHERE kind = 'handle'")
    store.conn.execute("UPDATE clocks SET rule = '??' WHERE kind = 'sign'")
    store.conn.execute("UPDATE tickets SET registered_at = 'not-a-date'")
    store.conn.execute(
        "UPDATE events SET occurred_at = 'not-a-date', payload = '{}' WHERE type = 'ticket.dispatched'"
    )
    now = store.now()
    assert caller_history(store.conn, "13812345678", now).tickets
    assert [r.id for r in unit_tickets(store.conn, "U2", now)] == [ticket]
    assert search(store.conn, Criteria(words="油烟"), now)
    detail = ticket_detail(store.conn, ticket, now)
    assert "（记录内容无法显示）" in [e.detail for e in detail.timeline]
