"""SIGKILL of a seat and of the server at chosen points of a sync, lost answers, restarts.

Each case ends with the invariant check: every event a seat holds as saved is on the
server exactly once, and every seat's projections equal the server's.
"""

from __future__ import annotations

import httpx
from support.central_harness import check_invariants, signed_in, wait_for_line
from support.lifecycle import draft

from store.sync import outbox
from store.tickets import workflow


def _work(seat, tickets: int = 3) -> list[str]:
    with seat.open() as store:
        agent = signed_in(store, "a1")
        return [workflow.register(store, agent, draft()).subject_id for _ in range(tickets)]


def _kill_seat_at(seat, point: str) -> None:
    """Run ``hotline sync`` on the seat and SIGKILL it once it reaches ``point``."""
    proc = seat.sync_process(pause=point)
    wait_for_line(proc.stderr, f"PAUSED {point}")
    proc.kill()
    proc.wait()


def _kill_server_at(central, seat, point: str) -> int:
    """Restart the server to stop at ``point`` of a push, let the seat sync into it, SIGKILL
    the server there; return the seat's exit status."""
    central.stop()
    central.start(pause=point)
    proc = seat.sync_process()
    central.wait_for_log(f"PAUSED {point}")
    central.kill()
    proc.wait(30)
    return proc.returncode


def _unsent(seat) -> int:
    with seat.open() as store:
        return store.unsent_count()


def test_seat_killed_after_the_server_answered_a_push(central, make_seat):
    """The answer is lost with the seat: the next round sends again, the server answers as
    before, nothing is stored twice."""
    seat = make_seat("a")
    _work(seat)
    _kill_seat_at(seat, "after_push")
    assert _unsent(seat) == 3  # the seat never learnt the outcome
    assert seat.sync().pushed == 3
    check_invariants(central, [seat])


def test_seat_killed_before_applying_a_pulled_page(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    _work(a)
    a.sync()
    _kill_seat_at(b, "before_apply_page")
    b.sync()
    check_invariants(central, [a, b])


def test_server_killed_after_commit_before_answering(central, make_seat):
    """The log committed, the mirror did not, the seat got no answer: after a restart the
    mirror catches up and the seat's retry is answered from the log."""
    seat = make_seat("a")
    _work(seat)
    assert _kill_server_at(central, seat, "after_commit") == 3  # offline: it carries on
    assert _unsent(seat) == 3
    central.start()
    assert len([r for r in central.log() if r["type"] == "ticket.registered"]) >= 3
    seat.sync()
    check_invariants(central, [seat])


def test_server_killed_before_commit(central, make_seat):
    seat = make_seat("a")
    _work(seat)
    before = len(central.log())
    _kill_server_at(central, seat, "before_commit")
    assert len(central.log()) == before  # nothing half-written
    central.start()
    assert seat.sync().pushed == 3
    check_invariants(central, [seat])


def test_a_restarted_server_carries_on_where_it_was(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    _work(a)
    a.sync()
    central.stop()
    _work(b)  # offline meanwhile
    with b.open() as store:
        assert store.unsent_count() == 3
    central.start()
    b.sync()
    a.sync()
    check_invariants(central, [a, b])


def test_a_seat_with_the_server_down_keeps_working_and_says_so(central, make_seat):
    seat = make_seat("a")
    central.kill()
    _work(seat, 2)
    proc = seat.sync_process()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3 and "离线" in err
    with seat.open() as store:
        from store.sync import state

        status = state.status(store.conn)
    assert status.online is False and status.unsent == 2 and "无法连接" in status.last_error
    central.start()
    seat.sync()
    check_invariants(central, [seat])


def test_rejected_events_are_kept_and_listed_with_their_reason(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    ticket_id = _work(a, 1)[0]
    a.sync()
    b.sync()
    for seat, desk in ((a, "YSHJ"), (b, "12333")):
        with seat.open() as store:
            workflow.transfer_desk(store, signed_in(store, "a1"), ticket_id, desk)
    a.sync()
    b.sync()
    b.sync()  # a second round neither resends nor forgets the rejected event
    with b.open() as store:
        rejected = outbox.rejected_events(store.conn)
        assert len(rejected) == 1 and rejected[0].type == "ticket.transferred_desk"
        desk = store.conn.execute("SELECT desk_id FROM tickets WHERE id = ?", (ticket_id,))
        assert desk.fetchone()[0] == "YSHJ"
    token = b.token()
    page = httpx.post(
        f"{central.url}/v1/sync/pull",
        json={"cursors": {}, "limit": 2000},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert rejected[0].event_id not in {e["id"] for e in page["events"]}
    check_invariants(central, [a, b])
