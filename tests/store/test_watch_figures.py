"""The watch's figures: the lights it keeps in memory equal the deadline rule applied clock by
clock, and they follow new events, a rebuild and a change of configuration."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.lifecycle import START, bring_to

from store import Actor, Store
from store.core import rebuild
from store.core.clock import CITY_TZ, from_text
from store.directory import commands as d
from store.services import watch
from store.tickets.deadlines import light, worst
from store.tickets.states import OPEN, State

SAMPLE = Path(__file__).resolve().parents[2] / "hotline.db.sample"


def _by_rule(store: Store, at: datetime) -> Counter:
    """(urgency, light) → open tickets, by :func:`store.tickets.deadlines.light` per clock."""
    config = store.config()
    lights: dict[str, list] = {}
    urgency = {}
    for ticket_id, urg, state, rule, started, due in store.conn.execute(
        "SELECT t.id, t.urgency, t.state, c.rule, c.started_at, c.due_at FROM tickets t"
        " JOIN clocks c ON c.ticket_id = t.id WHERE c.stopped_at IS NULL AND c.kind != 'return'"
    ):
        if state in OPEN:
            urgency[ticket_id] = urg
            lights.setdefault(ticket_id, []).append(
                light(config, rule, from_text(started), from_text(due), at)
            )
    return Counter((urgency[t], worst(found).value) for t, found in lights.items())


def _by_watch(store: Store) -> Counter:
    figures = watch.now(store)
    return Counter(
        {(u, str(k)): n for u, by in figures.by_light.items() for k, n in by.items() if n}
    )


@pytest.mark.parametrize(
    "at",
    [
        "2026-11-21T09:00:00",  # the morning after the sample's last ticket
        "2026-11-23T03:10:00",  # a Monday night, after a weekend
        "2026-10-08T08:00:00",  # the day after the National Day holiday
        "2026-12-31T23:59:00",  # long after: red everywhere it can be
    ],
)
def test_the_lights_equal_the_rule_clock_by_clock_on_the_sample(tmp_path, at):
    path = tmp_path / "seat.db"
    shutil.copyfile(SAMPLE, path)
    when = datetime.fromisoformat(at).replace(tzinfo=CITY_TZ)
    with Store.open(path, clock=lambda: when) as store:
        expected = _by_rule(store, when)
        assert sum(expected.values()) > 100
        assert _by_watch(store) == expected


def test_the_watch_follows_new_events_a_rebuild_and_the_config(store, actors, clock):
    first = bring_to(store, actors, State.HANDLING)
    assert watch.now(store).count("green") == 1  # read once, kept
    clock.advance(days=10)
    assert watch.now(store).count("red") == 1  # time alone turns it red
    bring_to(store, actors, State.DISPATCHED)  # new events: read on the next refresh
    figures = watch.now(store)
    assert (figures.count("red"), figures.count("green")) == (1, 1)
    assert figures.units[0].unit_id == "U2" and figures.units[0].open == 2

    # The server refuses the first ticket: the seat rebuilds without its events, and the
    # watch notices though no new event came.
    store.conn.execute(
        "UPDATE outbox SET state = 'rejected', reason = '测试'"
        " WHERE pos IN (SELECT pos FROM events WHERE subject_id = ?)",
        (first,),
    )
    rebuild.rebuild(store.conn)
    assert watch.now(store).count("red") == 0

    # Dispatched Thursday 12 March 10:00, to be signed in a working day: under a fifth of it
    # left from Friday 05:12
    clock.advance(hours=20)
    assert watch.now(store).count("yellow") == 1
    d.set_config(store, Actor.system(), "yellow_fraction", 0.01)
    assert watch.now(store).count("green") == 1  # the city's rule, applied at once
    assert START < clock.now < START + timedelta(days=30)
