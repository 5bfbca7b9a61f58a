"""The indicators of a period against a fixture counted by hand: eight tickets, each sent down a
path whose effect on every indicator is written beside it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.lifecycle import START, new_ticket

from store.directory import commands as d
from store.reports import indicators as ind
from store.reports.periods import day, month
from store.services import reports
from store.tickets import workflow as w


def _reply_and_call_back(store, a, t, level):
    w.reply(store, a["l2"], t, "已督促商户安装油烟净化器。")
    w.review(store, a["s1"], t, True)
    w.callback(store, a["c1"], t, reached=True, solved=True, satisfaction=level)


@pytest.fixture
def fixture(store, actors, clock):
    """Registered on Monday 2 March at 10:00, then:

    t1 answered directly · t2 not accepted · t3 sent to 110 ·
    t4 dispatched, signed after 1 h, replied after 2 h, called back 满意; t8 merged into it ·
    t5 the same, called back 基本满意 ·
    t6 dispatched, never signed · t7 dispatched, signed 10 days later, not replied.
    The clock ends 10 days on, past t6's and t7's sign and handling deadlines.
    """
    a = actors
    t = {n: new_ticket(store, a) for n in range(1, 9)}
    w.answer_directly(store, a["a1"], t[1], "已告知办理流程。", [])
    w.not_accept(store, a["a1"], t[2], "LITIGATION", "已告知诉讼渠道")
    w.transfer_emergency(store, a["a1"], t[3], "110")
    for n in (4, 5, 6, 7):
        w.dispatch(store, a["a1"], t[n], "U2")
    w.merge(store, a["a1"], t[8], t[4], "同一诉求")
    clock.advance(hours=1)
    w.sign(store, a["l2"], t[4])
    w.sign(store, a["l2"], t[5])
    clock.advance(hours=1)
    _reply_and_call_back(store, a, t[4], "满意")
    _reply_and_call_back(store, a, t[5], "基本满意")
    clock.now = START + timedelta(days=10)
    w.sign(store, a["l2"], t[7])
    return t


def _month(store):
    c = ind.counts(store.conn, month("2026-03").bounds(), store.now(), store.config())
    return c, ind.indicators(c)


def test_every_indicator_equals_the_hand_count(store, fixture):
    c, i = _month(store)
    assert c.registered == 8
    assert i.direct_answer_rate == pytest.approx(1 / 8)  # t1
    assert c.dispatched == 4  # t4 t5 t6 t7
    assert (c.signed_on_time, c.sign_due) == (2, 4)  # t4 t5 of t4 t5 t7 (late) t6 (passed)
    assert i.timely_sign_rate == pytest.approx(0.5)
    assert (c.replied_on_time, c.handle_due) == (2, 4)  # t4 t5 of those and t6 t7 (passed)
    assert i.on_time_close_rate == pytest.approx(0.5)
    assert i.close_rate == pytest.approx(2 / 4)  # t4 t5 replied of 4 dispatched
    assert i.callback_rate == pytest.approx(1.0)  # t4 t5 due and both reached
    assert i.satisfaction_rate == pytest.approx(1.0)  # 满意 and 基本满意 both count by default
    # closed: t1 t4 t5; t4 is not "at once", a caller rang again (t8 merged into it)
    assert i.one_time_close_rate == pytest.approx(2 / 3)
    assert i.mean_sign_hours == pytest.approx((1 + 1 + 240) / 3)
    assert i.mean_reply_hours == pytest.approx(2.0)


def test_whether_basically_satisfied_counts_is_the_citys_choice(store, actors, fixture):
    from store import Actor

    d.set_config(store, Actor.system(), "satisfied_levels", ["非常满意", "满意"])
    _, i = _month(store)
    assert i.satisfaction_rate == pytest.approx(0.5)


def test_a_deadline_not_yet_passed_is_not_due(store, fixture):
    # Judged three hours in, t6 still has time to sign and t6, t7 to reply; t7 counts for
    # signing because it is signed (late).
    early = START + timedelta(hours=3)
    c = ind.counts(store.conn, month("2026-03").bounds(), early, store.config())
    assert (c.sign_due, c.handle_due) == (3, 2)
    assert ind.timely_sign_rate(c) == pytest.approx(2 / 3)
    assert ind.on_time_close_rate(c) == pytest.approx(1.0)


def test_an_empty_period_has_no_rates_rather_than_zero(store, fixture):
    c = ind.counts(store.conn, day("2026-02-01").bounds(), store.now(), store.config())
    i = ind.indicators(c)
    assert c.registered == 0
    assert all(v is None for v in i.as_json().values())


def test_the_bulletin_json_carries_the_same_figures(store, fixture):
    made = reports.make(store, reports.period("month", "2026-03"))
    data = reports.as_json(made)
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert data["totals"]["registered"] == 8
    assert data["totals"]["by_type"] == {"complaint": 8}
    assert data["indicators"]["direct_answer_rate"] == 0.125
    assert data["indicators"]["one_time_close_rate"] == round(2 / 3, 4)
    # the league groups a unit under its top ancestor: U2 under 东湖区人民政府 (G1)
    (unit,) = [u for u in data["units"] if u["unit_id"] == "G1"]
    # t6 and t7 are open past their handling deadline at the unit
    assert (unit["total"], unit["overdue_open"]) == (4, 2)
    assert unit["on_time_rate"] == 0.5


def test_the_cases_a_bulletin_names_carry_no_phone_id_or_door(store, actors, fixture):
    words = (
        "来电人（13912345678）反映幸福小区3栋2单元501室楼上漏水，"
        "身份证110101199003077777，另可打１３８ ００００ ００００。"
    )
    late = new_ticket(store, actors, content=words, caller_phone="13912345678")
    w.dispatch(store, actors["a1"], late, "U2")
    store.clock.now = START + timedelta(days=30)  # long past its deadline: a case to name
    made = reports.make(store, reports.period("month", "2026-03"))
    (case,) = [c for c in made.cases if "漏水" in c.content]
    for secret in ("13912345678", "501", "110101199003077777", "0000"):
        assert secret not in case.content
    assert "〔号码已隐去〕" in case.content and "幸福小区" in case.content


def test_a_callers_formula_is_written_to_the_workbook_as_text(store, actors, fixture, tmp_path):
    from openpyxl import load_workbook

    words = '=HYPERLINK("http://evil.example","点我")楼上漏水'
    late = new_ticket(store, actors, content=words)
    w.dispatch(store, actors["a1"], late, "U2")
    store.clock.now = START + timedelta(days=30)
    made = reports.make(store, reports.period("month", "2026-03"))
    out = reports.save_workbook(store, made, tmp_path / "三月.xlsx")
    cases = load_workbook(out)["典型案例"]
    (cell,) = [c for row in cases.iter_rows(min_row=4) for c in row if "楼上漏水" in str(c.value)]
    assert cell.data_type == "s" and cell.value == words
