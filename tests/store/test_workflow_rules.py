"""The rules inside the workflow commands, beyond which state allows what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.lifecycle import bring_to, draft, event_count, handle_due, new_ticket

from store.core.errors import DomainError, Forbidden, InvalidInput, InvalidState
from store.tickets import workflow as w
from store.tickets.numbers import format_for_reading
from store.tickets.read.queries import clocks_of, get_ticket
from store.tickets.read.timeline import timeline
from store.tickets.states import State


def state_of(store, t):
    return get_ticket(store.conn, t)["state"]


def test_liaison_of_another_unit_cannot_touch_the_ticket(store, actors):
    t = bring_to(store, actors, State.DISPATCHED)  # dispatched to U2
    before = event_count(store)
    with pytest.raises(Forbidden, match="不属于您所在的承办单位"):
        w.sign(store, actors["l3"], t)
    assert event_count(store) == before


def test_refused_return_goes_back_to_where_it_was(store, actors):
    t = bring_to(store, actors, State.HANDLING)
    w.request_return(store, actors["l2"], t, "不属本单位职责")
    with pytest.raises(InvalidInput, match="审核意见"):
        w.decide_return(store, actors["s1"], t, False)  # refusing needs a reason
    w.decide_return(store, actors["s1"], t, False, "经核实属于贵单位职责")
    assert state_of(store, t) == State.HANDLING
    t2 = bring_to(store, actors, State.DISPATCHED)
    w.request_return(store, actors["l2"], t2, "不属本单位职责")
    w.decide_return(store, actors["s1"], t2, False, "属于贵单位职责")
    assert state_of(store, t2) == State.DISPATCHED


def test_after_three_returns_the_hotline_assigns_and_no_more_returns(store, actors):
    t = bring_to(store, actors, State.DISPATCHED)
    units = {"U2": "l2", "U3": "l3", "U5": "l5"}
    lead = "U2"
    for target in ("U3", "U5", "U2"):
        w.request_return(store, actors[units[lead]], t, "不属本单位职责")
        w.decide_return(store, actors["s1"], t, True)
        w.redispatch(store, actors["s1"], t, target)
        lead = target
    row = get_ticket(store.conn, t)
    assert row["return_count"] == 3 and row["assigned"] == 1
    before = event_count(store)
    with pytest.raises(InvalidState, match="指定承办"):
        w.request_return(store, actors["l2"], t, "还是不归我们")
    assert event_count(store) == before
    assert "热线指定" in timeline(store.conn, t)[-1].detail


def test_return_window_closes_after_two_working_days(store, actors, clock):
    t = bring_to(store, actors, State.HANDLING)  # Monday 10:00 → window ends Wednesday 10:00
    clock.advance(days=2, minutes=1)
    with pytest.raises(InvalidState, match="退单时限"):
        w.request_return(store, actors["l2"], t, "不属本单位职责")


def test_extension_limits(store, actors):
    t = bring_to(store, actors, State.HANDLING)
    cal = store.config().calendar()
    due = handle_due(store, t)
    with pytest.raises(InvalidInput, match="最多 10 个工作日"):
        w.request_extension(store, actors["l2"], t, "需协调", cal.add_workdays(due, 11))
    with pytest.raises(InvalidInput, match="晚于当前期限"):
        w.request_extension(store, actors["l2"], t, "需协调", due - timedelta(hours=1))
    new_due = cal.add_workdays(due, 5)
    w.request_extension(store, actors["l2"], t, "需协调", new_due)
    w.decide_extension(store, actors["s1"], t, True)
    assert handle_due(store, t) == new_due
    with pytest.raises(InvalidState, match="已延期过"):
        w.request_extension(store, actors["l2"], t, "还要延", cal.add_workdays(new_due, 2))


def test_supervisor_can_allow_a_second_extension(store, actors):
    t = bring_to(store, actors, State.HANDLING)
    cal = store.config().calendar()
    w.request_extension(store, actors["l2"], t, "需协调", cal.add_workdays(handle_due(store, t), 2))
    w.decide_extension(store, actors["s1"], t, True, allow_further=True)
    w.request_extension(
        store, actors["l2"], t, "仍需协调", cal.add_workdays(handle_due(store, t), 2)
    )
    assert state_of(store, t) == State.EXTENSION_REQUESTED


def test_refused_extension_keeps_the_deadline(store, actors):
    t = bring_to(store, actors, State.HANDLING)
    due = handle_due(store, t)
    w.request_extension(
        store, actors["l2"], t, "需协调", store.config().calendar().add_workdays(due, 3)
    )
    w.decide_extension(store, actors["s1"], t, False, "理由不充分")
    assert handle_due(store, t) == due and state_of(store, t) == State.HANDLING


@pytest.mark.parametrize(
    "text",
    [
        "已联系来电人13812345678，问题已解决。",
        "来电人手机 138 1234 5678 已回复。",
        "经核实，来电人身份证号320102199001011234，已登记。",
        "已上门到锦绣花园3栋2单元501室查看。",
        "已到2单元402室与住户沟通。",
        "已电话联系 0573-88881234 说明情况。",
    ],
)
def test_reply_with_personal_numbers_is_refused(store, actors, text):
    t = bring_to(store, actors, State.HANDLING)
    before = event_count(store)
    with pytest.raises(InvalidInput, match="请删除") as info:
        w.reply(store, actors["l2"], t, text)
    assert info.value.field == "reply"
    assert event_count(store) == before and state_of(store, t) == State.HANDLING


@pytest.mark.parametrize(
    "text",
    [
        "经核查，已依据《江澄市物业管理条例》第三十条责令物业公司于2026年3月5日前整改。",
        "我局已于3月3日会同湖滨街道到梧桐路88号现场检查，商户已安装油烟净化设施，经检测达标。",
        "依据澄政办发〔2025〕12号文件，已将该路段纳入2026年改造计划，预计投资120万元。",
    ],
)
def test_ordinary_replies_pass(store, actors, text):
    t = bring_to(store, actors, State.HANDLING)
    w.reply(store, actors["l2"], t, text)
    assert state_of(store, t) == State.REPLIED


def test_review_send_back_restarts_handling(store, actors, clock):
    t = bring_to(store, actors, State.REPLIED)
    clock.advance(days=1)
    w.review(store, actors["s1"], t, False, "未回应诉求")
    row = get_ticket(store.conn, t)
    assert row["state"] == State.HANDLING and row["redo_count"] == 1 and row["reply"] == ""
    handle = next(c for c in clocks_of(store.conn, t, clock()) if c.kind == "handle")
    assert handle.started_at == clock() and handle.stopped_at is None


def test_callback_not_reached_stays_pending_and_counts_attempts(store, actors, clock):
    t = bring_to(store, actors, State.CALLBACK_PENDING)
    retry = clock() + timedelta(hours=3)
    w.callback(store, actors["c1"], t, reached=False, note="无人接听", next_attempt_at=retry)
    row = get_ticket(store.conn, t)
    assert row["state"] == State.CALLBACK_PENDING and row["callback_attempts"] == 1
    assert row["next_callback_at"].startswith(retry.strftime("%Y-%m-%dT%H:%M"))
    with pytest.raises(InvalidInput, match="满意度"):
        w.callback(store, actors["c1"], t, reached=True, solved=True, satisfaction="还行吧")
    w.callback(store, actors["c1"], t, reached=True, solved=True, satisfaction="非常满意")
    row = get_ticket(store.conn, t)
    assert row["state"] == State.CALLED_BACK and row["callback_attempts"] == 2


def test_three_level_scale_is_configurable(store, actors):
    from store import Actor, directory
    from store.directory.config import THREE_LEVELS

    directory.set_config(store, Actor.system(), "satisfaction_scale", THREE_LEVELS)
    directory.set_config(store, Actor.system(), "satisfied_levels", ["满意", "基本满意"])
    t = bring_to(store, actors, State.CALLBACK_PENDING)
    with pytest.raises(InvalidInput):
        w.callback(store, actors["c1"], t, reached=True, solved=True, satisfaction="非常满意")
    w.callback(store, actors["c1"], t, reached=True, solved=False, satisfaction="不满意")
    w.redo(store, actors["c1"], t, "不满意")
    assert state_of(store, t) == State.HANDLING


def test_satisfied_callback_cannot_be_redone_and_unsatisfied_needs_reason_to_archive(store, actors):
    happy = bring_to(store, actors, State.CALLBACK_PENDING)
    w.callback(store, actors["c1"], happy, reached=True, solved=True, satisfaction="满意")
    with pytest.raises(InvalidState, match="不需要重办"):
        w.redo(store, actors["c1"], happy, "再办一次")
    w.archive(store, actors["c1"], happy)
    unhappy = bring_to(store, actors, State.CALLED_BACK)
    with pytest.raises(InvalidInput, match="归档须说明理由"):
        w.archive(store, actors["s1"], unhappy)
    w.archive(store, actors["s1"], unhappy, "诉求超出政策范围，已解释")
    assert state_of(store, unhappy) == State.ARCHIVED


def test_merge_rules_and_timeline_of_both(store, actors):
    first = new_ticket(store, actors)
    second = new_ticket(store, actors, repeat=True)
    with pytest.raises(InvalidInput, match="本身"):
        w.merge(store, actors["a1"], second, second)
    w.merge(store, actors["a1"], second, first, "同一诉求")
    third = new_ticket(store, actors)
    with pytest.raises(InvalidState, match="已并入其他工单"):
        w.merge(store, actors["a1"], third, second)
    number = get_ticket(store.conn, second)["number"]
    grouped = format_for_reading(number)  # as a number is read aloud
    assert any(e.action == "并入本单" and grouped in e.detail for e in timeline(store.conn, first))
    assert get_ticket(store.conn, second)["merged_into"] == first


def test_whole_life_timeline_names_actor_time_and_reason(store, actors, clock):
    t = new_ticket(store, actors, content="楼道灯坏了[/bold] 一个月没人修")
    steps = [
        lambda: w.dispatch(store, actors["a1"], t, "U3", ["U2"], "请属地街道牵头"),
        lambda: w.sign(store, actors["l3"], t),
        lambda: w.contact(store, actors["l3"], t, "已电话联系"),
        lambda: w.urge(store, actors["a1"], t, "来电人再次来电"),
        lambda: w.reply(store, actors["l3"], t, "已更换楼道灯。"),
        lambda: w.review(store, actors["s1"], t, True),
        lambda: w.callback(store, actors["c1"], t, reached=True, solved=True, satisfaction="满意"),
        lambda: w.archive(store, actors["c1"], t),
    ]
    for step in steps:
        clock.advance(hours=1)
        step()
    entries = timeline(store.conn, t)
    assert [e.action for e in entries] == [
        "受理登记",
        "派单",
        "签收",
        "联系来电人",
        "催办",
        "办结答复",
        "审核答复",
        "回访",
        "归档",
    ]
    assert entries[0].detail == "楼道灯坏了[/bold] 一个月没人修"
    assert "主办：湖滨街道办事处；协办：东湖区住建局" in entries[1].detail
    assert entries[2].actor_name == "陈静" and entries[2].actor_role == "承办单位联络员"
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert get_ticket(store.conn, t)["closed_at"] is not None


def test_every_event_is_queued_for_sync(store, actors):
    before = store.unsent_count()
    bring_to(store, actors, State.REPLIED)
    assert store.unsent_count() == before + 4


def test_reveal_logs_who_when_which_and_why(store, actors, clock):
    t = new_ticket(store, actors, callback_phone="13900001111")
    assert w.reveal_caller(store, actors["c1"], t, "回访拨号") == "13900001111"
    row = store.conn.execute("SELECT * FROM reveals WHERE ticket_id=?", (t,)).fetchone()
    assert (row["agent_id"], row["reason"]) == ("c1", "回访拨号")
    assert row["at"].startswith(clock().strftime("%Y-%m-%dT%H:%M"))
    with pytest.raises(DomainError):
        w.reveal_caller(store, actors["a1"], t, "好奇")


def test_registered_event_keeps_every_field(store, actors):
    d = draft(
        caller_name="王先生",
        caller_gender="male",
        confidential=True,
        business=True,
        address="梧桐路88号",
        happened="昨晚十点",
        urgency="urgent",
        channel="wechat",
    )
    t = w.register(store, actors["a1"], d).subject_id
    row = get_ticket(store.conn, t)
    assert (row["caller_name"], row["caller_gender"], row["confidential"], row["business"]) == (
        "王先生",
        "male",
        1,
        1,
    )
    assert (row["address"], row["happened"], row["urgency"], row["channel"]) == (
        "梧桐路88号",
        "昨晚十点",
        "urgent",
        "wechat",
    )
    anon = w.register(store, actors["a1"], draft(caller_name="李女士", anonymous=True)).subject_id
    assert get_ticket(store.conn, anon)["caller_name"] == ""  # anonymity respected
