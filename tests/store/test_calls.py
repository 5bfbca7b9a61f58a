"""Call records: the switch's numbers made usable, each fact recorded once whoever heard it,
the call a ticket was taken on, and the 接通率 / 15 秒接通率 they add up to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.lifecycle import draft

from store import DomainError
from store.core import rebuild
from store.services import calls, intake, reports, watch


@pytest.mark.parametrize(
    ("raw", "digits", "withheld", "masked"),
    [
        ("13812345678", "13812345678", False, "138****5678"),
        ("013812345678", "13812345678", False, "138****5678"),  # long-distance prefix
        ("+8613812345678", "13812345678", False, "138****5678"),
        ("008613812345678", "13812345678", False, "138****5678"),
        ("051268001234", "051268001234", False, "051*****1234"),  # landline, area code
        ("68001234", "68001234", False, "680*1234"),
        ("anonymous", "", True, "未显示号码"),
        ("unknown", "", True, "未显示号码"),
        ("", "", True, "未显示号码"),
        ("138abc5678", "", True, "未显示号码"),
        ("\x1b[31m13812345678", "", True, "未显示号码"),
    ],
)
def test_the_switchs_number_becomes_one_a_seat_works_with(raw, digits, withheld, masked):
    number = calls.from_switch(raw)
    assert (number.digits, number.withheld, number.masked) == (digits, withheld, masked)


def _call(store, call_id, phone="13812345678", waited=5):
    return calls.CallSeen(
        call_id, calls.from_switch(phone), "12345", store.now() - timedelta(seconds=waited)
    )


def test_answered_and_abandoned_calls_make_the_answer_rates(store, actors, clock):
    agent, recorder = actors["a1"], actors["s1"]
    waits = [3, 8, 12, 15, 16, 40]  # four within 15 s, two after
    for n, waited in enumerate(waits):
        call = _call(store, f"1700000000.{n}", waited=waited)
        calls.offered(store, recorder, call)
        calls.answered(store, agent, call, store.now(), "8001")
        clock.advance(minutes=2)
        calls.ended(store, agent, call.call_id, store.now())
    for n in range(2):
        lost = _call(store, f"1700000100.{n}", waited=30)
        calls.offered(store, recorder, lost)
        calls.abandoned(store, recorder, lost, store.now())
    waiting = _call(store, "1700000200.0", waited=2)  # still in the queue: not yet counted
    calls.offered(store, recorder, waiting)

    made = reports.as_json(reports.make(store, reports.period("day", clock.now.date().isoformat())))
    assert made["calls"] == {
        "offered": 8,
        "answered": 6,
        "answered_within_15s": 4,
        "abandoned": 2,
    }
    assert made["indicators"]["answer_rate"] == 0.75
    assert made["indicators"]["answered_within_15s_rate"] == 0.5
    assert made["indicators"]["mean_wait_seconds"] == pytest.approx(sum(waits) / 6, abs=0.01)
    by_hour = {h["hour"]: h["offered"] for h in made["calls_by_hour"] if h["offered"]}
    assert by_hour == {9: 1, 10: 7}  # the first call entered the queue at 09:59:57

    day = watch.spans(store).day
    assert day.answer_rate == pytest.approx(0.75)
    assert day.answered_within_15s_rate == pytest.approx(0.5)
    today = watch.days(store)[0]
    assert today.calls.abandoned == 2
    assert sum(h.offered for h in today.calls_per_hour) == 8


def test_a_call_heard_twice_is_counted_once_whatever_the_order(store, actors):
    agent, recorder = actors["a1"], actors["s1"]
    call = _call(store, "1700000300.1", waited=9)
    assert calls.answered(store, agent, call, store.now(), "8001") is not None
    # the queue's recorder hears of it after the answer; the answer stands
    assert calls.offered(store, recorder, call) is None
    assert calls.abandoned(store, recorder, call, store.now()) is None
    assert calls.answered(store, agent, call, store.now(), "8001") is None  # a replay
    row = store.conn.execute("SELECT * FROM calls WHERE id = ?", (call.call_id,)).fetchone()
    assert row["answer_wait_s"] == 9 and row["abandoned_at"] is None
    assert rebuild.check(store.conn) == []


def test_a_ticket_taken_on_a_call_is_linked_to_it(store, actors, clock):
    agent = actors["a1"]
    call = _call(store, "1700000400.7", waited=4)
    calls.answered(store, agent, call, store.now(), "8001")
    clock.advance(minutes=3)
    event = intake.register(store, agent, draft(caller_phone="13812345678"), call_id=call.call_id)
    linked = calls.ticket_call(store, event.subject_id)
    assert linked is not None and linked.call_id == call.call_id and linked.wait_s == 4
    other = intake.register(store, agent, draft(caller_phone="13812345678"))
    assert calls.ticket_call(store, other.subject_id) is None


def test_only_those_who_take_calls_record_them(store, actors):
    with pytest.raises(DomainError, match="不接听热线来电"):
        calls.answered(store, actors["l2"], _call(store, "1.2"), store.now(), "8001")
    with pytest.raises(DomainError, match="呼叫编号无效"):
        calls.answered(store, actors["a1"], _call(store, "bad id;"), store.now(), "8001")
    assert store.conn.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


def test_without_calls_the_rates_say_nothing_was_due(store, actors, clock):
    made = reports.as_json(reports.make(store, reports.period("day", clock.now.date().isoformat())))
    assert made["indicators"]["answer_rate"] is None
    assert reports.indicator_text("answer_rate", None) == "—"
