"""The dispatch catalogue, the deadline preview, the work queues and ``hotline unit``."""

from __future__ import annotations

from datetime import datetime

import pytest
from support.cli import unit_cli
from support.lifecycle import bring_to, new_ticket

from store.core.clock import CITY_TZ, from_text
from store.core.errors import Forbidden
from store.directory.catalogue import STREET_OFFICE, set_rule, suggest
from store.tickets import workflow
from store.tickets.read.queues import callback_queue, desk_queue, desks, review_queue, unit_tickets
from store.tickets.states import State


def test_catalogue_suggests_the_most_specific_rule(store, actors):
    s1 = actors["s1"]
    set_rule(store, s1, "03", "", "U1")  # 生态环境, anywhere: the city bureau
    set_rule(store, s1, "0303", "D1", "U5")  # 油烟 in 东湖区: its city management bureau
    set_rule(store, s1, "0102", "", STREET_OFFICE)  # 物业: the caller's street office
    assert suggest(store.conn, "0303", "D1", "S11") == "U5"
    assert suggest(store.conn, "0303", "D2", "S21") == "U1"
    assert suggest(store.conn, "0301", "D1", "S11") == "U1"
    assert suggest(store.conn, "0102", "D1", "S11") == "U3"
    assert suggest(store.conn, "0102", "D2", "") is None
    assert suggest(store.conn, "0601", "D1", "S11") is None
    with pytest.raises(Forbidden):
        set_rule(store, actors["a1"], "0303", "", "U1")


def test_deadline_preview_equals_what_dispatch_stores_across_a_holiday(store, actors, clock):
    clock.now = datetime(2025, 9, 30, 10, 0, tzinfo=CITY_TZ)  # the day before 国庆
    t = new_ticket(store, actors)
    preview = workflow.preview_dispatch(store, t)
    assert from_text(preview["handle"]["due_at"]) > datetime(2025, 10, 9, tzinfo=CITY_TZ)
    workflow.dispatch(store, actors["a1"], t, "U2")
    stored = {
        r["kind"]: (r["rule"], r["due_at"])
        for r in store.conn.execute("SELECT * FROM clocks WHERE ticket_id = ?", (t,))
    }
    for kind, clock_ in preview.items():
        assert stored[kind] == (clock_["rule"], clock_["due_at"])


def test_queues_list_what_each_role_works_on_with_lights(store, actors, clock):
    at_desk = bring_to(store, actors, State.AT_DESK)
    replied = bring_to(store, actors, State.REPLIED)
    extension = bring_to(store, actors, State.EXTENSION_REQUESTED)
    callback = bring_to(store, actors, State.CALLBACK_PENDING)
    handling = bring_to(store, actors, State.HANDLING)
    desk = store.conn.execute("SELECT desk_id FROM tickets WHERE id = ?", (at_desk,)).fetchone()[0]
    assert [r.id for r in desk_queue(store.conn, desk, clock())] == [at_desk]
    assert {d.id: d.waiting for d in desks(store.conn)}[desk] == 1
    review = {r.id: r for r in review_queue(store.conn, clock())}
    assert {replied, extension} <= set(review)
    assert review[extension].note.startswith("申请延期至")
    assert [r.id for r in callback_queue(store.conn, clock())] == [callback]
    mine = unit_tickets(store.conn, "U2", clock())
    assert handling in {r.id for r in mine} and all(r.light is not None for r in mine)
    assert all("****" in r.caller for r in mine)
    clock.advance(days=30)
    late = {r.id: r for r in unit_tickets(store.conn, "U2", clock())}
    assert late[handling].light.value == "red"


def test_hotline_unit_signs_and_replies_and_refuses_personal_numbers(store, actors, db_path):
    t = new_ticket(store, actors, caller_phone="13912345678")
    workflow.dispatch(store, actors["a1"], t, "U2")
    number = store.conn.execute("SELECT number FROM tickets WHERE id = ?", (t,)).fetchone()[0]
    store.close()
    listed = unit_cli(db_path, "--as", "l2", "list")
    assert listed.returncode == 0 and number[:6] in listed.stdout and "待签收" in listed.stdout
    assert unit_cli(db_path, "--as", "l2", "sign", number).returncode == 0
    other = unit_cli(db_path, "--as", "l3", "sign", number)
    assert other.returncode == 1 and "不属于您所在的承办单位" in other.stderr
    for text, what in (
        ("已联系 13912345678 王先生", "电话号码"),
        ("请到3栋2单元501室现场查看", "门牌号"),
        ("身份证 110101199003074512 核实", "身份证号"),
    ):
        refused = unit_cli(db_path, "--as", "l2", "reply", number, "--text", text)
        assert refused.returncode == 1 and what in refused.stderr
    ok = unit_cli(
        db_path, "--as", "l2", "reply", number, "--text", "已安排物业修复楼道灯，来电人认可。"
    )
    assert ok.returncode == 0, ok.stderr
    wrong = unit_cli(db_path, "--as", "l2", "list", password="nope")
    assert wrong.returncode == 1 and "工号或密码错误" in wrong.stderr
    agent = unit_cli(db_path, "--as", "a1", "list")
    assert agent.returncode == 1 and "不是承办单位联络员" in agent.stderr
    from store import Store

    with Store.open(db_path) as s:
        state = s.conn.execute("SELECT state, reply FROM tickets WHERE id = ?", (t,)).fetchone()
        assert tuple(state) == ("replied", "已安排物业修复楼道灯，来电人认可。")


def test_catalogue_is_editable_from_the_command_line(db_path):
    from support.cli import hotline

    db = str(db_path)
    assert hotline("catalogue", "--db", db, "set", "0303", "U5", "--district", "D1").returncode == 0
    assert hotline("catalogue", "--db", db, "set", "0102", "@street").returncode == 0
    listed = hotline("catalogue", "--db", db, "list").stdout
    assert "0303 油烟污染\t东湖区\tU5 东湖区城管局" in listed
    assert "0102 物业管理\t全部区县\t@street 所在街道办事处" in listed
    bad = hotline("catalogue", "--db", db, "set", "0303", "NOPE")
    assert bad.returncode == 2 and "承办单位不存在" in bad.stderr
    assert hotline("catalogue", "--db", db, "remove", "0303", "--district", "D1").returncode == 0
    assert "0303" not in hotline("catalogue", "--db", db, "list").stdout


def test_desk_specialists_go_on_duty_and_take_tickets(store, actors, clock):
    from store import Actor
    from store import directory as d
    from store.core.errors import InvalidState

    d.define_agent(store, Actor.system(), "k2", "冯专", "desk", "secret-1", desk_id="YSHJ")
    k2 = d.get_actor(store.conn, "k2")
    status = {s.id: s for s in desks(store.conn)}["YSHJ"]
    assert (status.specialists, status.on_duty) == (1, 0)
    workflow.set_duty(store, k2, True)
    assert {s.id: s for s in desks(store.conn)}["YSHJ"].on_duty == 1
    t = new_ticket(store, actors)
    workflow.transfer_desk(store, actors["a1"], t, "YSHJ")
    workflow.take(store, k2, t)
    row = desk_queue(store.conn, "YSHJ", clock())[0]
    assert row.note.startswith(f"〔{k2.name} 已接手〕")  # the name, not the login id
    with pytest.raises(InvalidState, match="已接手"):
        workflow.take(store, k2, t)
    with pytest.raises(Forbidden):
        workflow.set_duty(store, actors["a1"], True)
    workflow.set_duty(store, k2, False)
    assert {s.id: s for s in desks(store.conn)}["YSHJ"].on_duty == 0
    from store.core.rebuild import check

    assert check(store.conn) == []
