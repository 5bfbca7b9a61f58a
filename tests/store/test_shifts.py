"""The shift handover (交接班): the summary carries the shift's figures, the next supervisor
acknowledges it once, and nobody else can."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.lifecycle import bring_to

from store import DomainError
from store.services import watch
from store.tickets.states import State


def test_a_handover_carries_the_figures_and_the_notes(store, actors):
    bring_to(store, actors, State.DISPATCHED)
    bring_to(store, actors, State.ANSWERED)
    watch.hand_over(store, actors["s1"], "南浦区住建局 3 件超期已电话催办，明早再催")
    last = watch.last_handover(store)
    assert last.by == "王芳" and last.acknowledged_at is None
    assert "南浦区住建局" in last.notes
    lines = dict(last.summary)
    assert lines["受理"] == "2"
    assert lines["今日直接答复率"] == "50.0%"


def test_the_next_supervisor_acknowledges_once_and_not_their_own(store, actors):
    watch.hand_over(store, actors["s1"], "无特殊事项")
    handover = watch.last_handover(store)
    with pytest.raises(DomainError, match="不能接收自己交出的班"):
        watch.acknowledge(store, actors["s1"], handover.id)
    watch.acknowledge(store, actors["s2"], handover.id, "已知悉")
    after = watch.last_handover(store)
    assert after.acknowledged_by == "刘洋" and after.ack_note == "已知悉"
    with pytest.raises(DomainError, match="已由他人确认接班"):
        watch.acknowledge(store, actors["s2"], handover.id)


def test_only_a_supervisor_hands_over(store, actors):
    with pytest.raises(DomainError, match="限值班长"):
        watch.hand_over(store, actors["a1"], "代交班")
    assert watch.last_handover(store) is None


def test_the_shift_begins_at_the_last_handover(store, actors, clock):
    watch.hand_over(store, actors["s1"], "夜班交白班")
    handed = clock.now
    clock.advance(hours=3)
    assert watch.shift_start(store) == handed
    clock.advance(hours=20)  # no handover for longer than a shift: a shift's length back
    assert watch.shift_start(store) == clock.now - timedelta(hours=watch.SHIFT_HOURS)
