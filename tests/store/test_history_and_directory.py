"""Caller history by phone number; the directory and logins."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support.lifecycle import event_count, new_ticket

from store import Actor, Role
from store.core.errors import DomainError, Forbidden, InvalidInput
from store.directory import commands as directory
from store.tickets import workflow as w
from store.tickets.read.queries import caller_history
from store.tickets.states import State


def test_history_newest_first_with_30_day_count_and_repeat_mark(store, actors, clock):
    phone = "13912340000"
    old = new_ticket(store, actors, caller_phone=phone)
    clock.advance(days=40)
    w.dispatch(store, actors["a1"], new_ticket(store, actors, caller_phone=phone), "U2")
    clock.advance(days=1)
    newest = new_ticket(
        store, actors, caller_phone="139 1234 0000"
    )  # typed with spaces: same caller
    new_ticket(store, actors, caller_phone="13700000000")
    history = caller_history(store.conn, phone, clock())
    assert [t.id for t in history.tickets][0] == newest and history.tickets[-1].id == old
    assert len(history.tickets) == 3
    assert history.recent_count == 2 and history.is_repeat_caller
    assert history.tickets[1].state == State.DISPATCHED and history.tickets[1].light is not None
    single = caller_history(store.conn, "13700000000", clock())
    assert single.recent_count == 1 and not single.is_repeat_caller
    assert caller_history(store.conn, "13600000000", clock()).tickets == []
    with pytest.raises(InvalidInput):
        caller_history(store.conn, "1390000abcd", clock())


def test_login(store):
    actor = directory.authenticate(store.conn, "l2", "secret-1")
    assert actor.role is Role.LIAISON and actor.unit_id == "U2" and actor.name == "李强"
    for agent, password in [("l2", "wrong-pass"), ("nobody", "secret-1"), ("l2", "")]:
        with pytest.raises(Forbidden) as info:
            directory.authenticate(store.conn, agent, password)
        assert info.value.message == "工号或密码错误。"  # never says which of the two was wrong


def test_passwords_are_stored_only_as_argon2_hashes(store):
    directory.define_agent(store, Actor.system(), "a9", "新人", "agent", "pa55word!")
    payloads = [
        r[0] for r in store.conn.execute("SELECT payload FROM events WHERE subject_id='a9'")
    ]
    assert payloads and all("pa55word!" not in p for p in payloads)
    assert json.loads(payloads[0])["password_hash"].startswith("$argon2id$")
    assert directory.authenticate(store.conn, "a9", "pa55word!").role is Role.AGENT


def test_directory_rules(store, actors):
    sysa = Actor.system()
    before = event_count(store)
    cases = [
        lambda: directory.define_unit(store, sysa, "X1", "某局", 2),  # level 2 needs a parent
        lambda: directory.define_unit(
            store, sysa, "X1", "某社区", 3, parent_id="G1"
        ),  # parent must be level 2
        lambda: directory.define_unit(store, sysa, "X1", "某局", 4),
        lambda: directory.define_unit(store, sysa, "X 1", "某局", 1),
        lambda: directory.define_unit(store, sysa, "X1", "某局", 1, areas=[("D9", "")]),
        lambda: directory.define_topic(store, sysa, "0101xx", "三级", "0101"),  # only two levels
        lambda: directory.define_agent(
            store, sysa, "x1", "某人", "liaison", "secret-1"
        ),  # liaison needs unit
        lambda: directory.define_agent(store, sysa, "x1", "某人", "agent", "123"),  # short password
        lambda: directory.define_agent(store, sysa, "x1", "某人", "wizard", "secret-1"),
        lambda: directory.set_config(store, sysa, "no_such_setting", 1),
        lambda: directory.define_desk(store, actors["a1"], "NEW", "新专席"),  # agents cannot edit
    ]
    for case in cases:
        with pytest.raises(DomainError):
            case()
    assert event_count(store) == before


def test_a_deactivated_unit_cannot_receive_tickets(store, actors):
    directory.define_unit(
        store, Actor.system(), "U5", "东湖区城管局", 2, parent_id="G1", active=False
    )
    t = new_ticket(store, actors)
    with pytest.raises(InvalidInput, match="已停用"):
        w.dispatch(store, actors["a1"], t, "U5")


def test_defaults_installed(store):
    conn = store.conn
    first = conn.execute("SELECT count(*) FROM topics WHERE level = 1").fetchone()[0]
    second = conn.execute("SELECT count(*) FROM topics WHERE level = 2").fetchone()[0]
    assert first == 16 and second >= 60
    names = {r[0] for r in conn.execute("SELECT name FROM topics")}
    for hot in [
        "私搭乱建",
        "交通管理",
        "物业管理",
        "施工噪声",
        "供水问题",
        "消费维权",
        "生活噪声",
        "无照游商",
        "油烟污染",
        "房屋产权（不动产证）",
        "井盖立杆线缆",
        "欠薪",
    ]:
        assert hot in names
    assert conn.execute("SELECT count(*) FROM reasons").fetchone()[0] >= 10


def test_unit_created_with_timestamp_in_city_time(store, clock):
    clock.advance(hours=1)
    directory.define_district(store, Actor.system(), "D3", "南浦区")
    at = store.conn.execute("SELECT occurred_at FROM events ORDER BY pos DESC LIMIT 1").fetchone()[
        0
    ]
    assert at == (clock() - timedelta(0)).isoformat(timespec="seconds") and at.endswith("+08:00")
