"""Calls travel like tickets: recorded at the seat that heard them, judged by the central
server, and counted the same on every seat — each call once, whoever else heard it."""

from __future__ import annotations

from datetime import datetime, timedelta

from support.central_harness import forge, push_raw, signed_in
from support.lifecycle import draft

from store.core.clock import system_clock, to_text
from store.services import calls, intake, reports


def _seen(call_id: str, at: datetime, phone: str = "13812345678") -> calls.CallSeen:
    return calls.CallSeen(call_id, calls.from_switch(phone), "12345", at)


def test_calls_sync_and_count_once_on_every_seat(make_seat):
    agent_seat, queue_seat, reader = make_seat("a"), make_seat("q"), make_seat("r")
    now = system_clock()  # one moment for the offers and the answer: a wait of exactly 7 s
    answered = _seen("1700000000.11", now - timedelta(seconds=7))
    lost = _seen("1700000000.12", now - timedelta(seconds=50), phone="anonymous")
    with agent_seat.open() as store:
        agent = signed_in(store, "a1")
        calls.answered(store, agent, answered, now, "8001")
        ticket = intake.register(store, agent, draft(), call_id=answered.call_id)
    with queue_seat.open() as store:  # the queue's recorder heard both calls offered
        recorder = signed_in(store, "s1")
        calls.offered(store, recorder, answered)
        calls.offered(store, recorder, lost)
        calls.abandoned(store, recorder, lost, now)
    for seat in (agent_seat, queue_seat, reader, agent_seat):
        report = seat.sync()
        assert report.rejected == 0
    with reader.open() as store:
        made = reports.as_json(reports.make(store, reports.period("day", now.date().isoformat())))
        assert made["calls"] == {
            "offered": 2,
            "answered": 1,
            "answered_within_15s": 1,
            "abandoned": 1,
        }
        linked = calls.ticket_call(store, ticket.subject_id)
        assert linked is not None and linked.call_id == answered.call_id and linked.wait_s == 7


def test_the_server_refuses_call_records_no_seat_could_have_written(central, make_seat):
    seat = make_seat("a")
    now = to_text(system_clock())
    payload = {
        "queue": "12345",
        "caller": "13812345678",
        "withheld": False,
        "offered_at": now,
        "answered_at": now,
        "extension": "8001",
    }
    with seat.open() as store:
        signed_in(store, "a1")
        signed_in(store, "e1")
        forged = [
            # a knowledge-base editor does not take hotline calls
            forge(
                store,
                "call.answered",
                payload,
                subject="c.1",
                actor="e1",
                role="editor",
                stream="call",
            ),
            # a withheld number that carries a number
            forge(
                store,
                "call.answered",
                {**payload, "withheld": True},
                subject="c.2",
                actor="a1",
                role="agent",
                stream="call",
                offset=1,
            ),
            # answered before it was offered
            forge(
                store,
                "call.abandoned",
                {
                    **{k: v for k, v in payload.items() if k not in ("answered_at", "extension")},
                    "offered_at": to_text(system_clock() + timedelta(minutes=1)),
                    "abandoned_at": now,
                },
                subject="c.3",
                actor="a1",
                role="agent",
                stream="call",
                offset=2,
            ),
            # letters in the caller's number
            forge(
                store,
                "call.offered",
                {k: v for k, v in payload.items() if k not in ("answered_at", "extension")}
                | {"caller": "1381234x678"},
                subject="c.4",
                actor="a1",
                role="agent",
                stream="call",
                offset=3,
            ),
            # a link to a ticket the server has never heard of
            forge(
                store,
                "call.linked",
                {"ticket_id": "01a00000-0000-7000-8000-0000000000ff"},
                subject="c.5",
                actor="a1",
                role="agent",
                stream="call",
                offset=4,
            ),
        ]
    results = push_raw(central, seat, forged)
    reasons = [r.get("reason", "") for r in results]
    assert [r["status"] for r in results] == ["rejected"] * 5, reasons
    assert "不接听热线来电" in reasons[0]
    assert "隐藏号码" in reasons[1]
    assert "早于进线时间" in reasons[2]
    assert "只能包含数字" in reasons[3]
    assert "工单不存在" in reasons[4]
