"""A handover travels: written at one seat, acknowledged at another, judged by the central
server like every other event (one acknowledgement wins)."""

from __future__ import annotations

from support.central_harness import signed_in

from store.services import watch


def test_a_handover_written_at_one_seat_is_acknowledged_at_another(make_seat):
    a, b, c = make_seat("night"), make_seat("day"), make_seat("spare")
    with a.open() as store:
        watch.hand_over(store, signed_in(store, "s1"), "南浦区 3 件超期已催办")
    a.sync()
    b.sync()
    c.sync()
    with b.open() as store:
        handover = watch.last_handover(store)
        assert handover.by == "王芳" and "南浦区" in handover.notes
        watch.acknowledge(store, signed_in(store, "s2"), handover.id, "已知悉")
    with c.open() as store:  # a second acknowledgement, made before this seat heard of the first
        watch.acknowledge(store, signed_in(store, "s2"), handover.id, "我也接班")
    b.sync()
    report = c.sync()
    assert report.rejected == 1  # the server keeps the first; this seat is told
    a.sync()
    for seat in (a, c):  # the refused one is undone where it was made
        with seat.open() as store:
            after = watch.last_handover(store)
            assert after.acknowledged_by == "刘洋" and after.ack_note == "已知悉"
