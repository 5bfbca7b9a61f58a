"""The watch shows the seats the central server heard from lately, as the server says it."""

from __future__ import annotations

from store.services import watch


def test_each_pull_tells_how_many_seats_the_server_saw(make_seat):
    a, b, c = make_seat("night"), make_seat("day"), make_seat("spare")
    with a.open() as store:
        seen = watch.seats_seen(store)
    assert seen is not None and seen.count >= 1  # registration ran a first round
    b.sync()
    c.sync()
    a.sync()
    with a.open() as store:
        seen = watch.seats_seen(store)
        assert seen.count == 3 and seen.at is not None


def test_a_seat_working_alone_says_so(store):
    assert watch.seats_seen(store) is None
