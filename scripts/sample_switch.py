"""The sample's telephone traffic: every phone ticket was a call answered by the agent who
registered it, a few callers hung up while waiting, and the queue's recorder (a supervisor's
seat) wrote those down — so 接通率 and 15 秒接通率 show on the sample.

Waits are short most of the day and longer at the morning and afternoon peaks; about 1 % of
offered calls are abandoned. Its own random numbers: the tickets come out as they did before
the calls were added.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from store.calls import commands as calls
from store.calls.numbers import from_switch
from store.core.roles import Actor
from store.core.seat import Store

ABANDON_SHARE = 0.012
QUEUE = "12345"


class Switch:
    """Answers and abandons calls in the sample's store, on the simulation's clock."""

    def __init__(
        self,
        store: Store,
        seed: int,
        busy: Callable[[datetime], float],
        schedule: Callable[[datetime, Callable[[], None]], None],
    ):
        self.store, self.rng, self.busy, self.schedule = store, random.Random(seed), busy, schedule
        self._n = 0

    def _call_id(self, at: datetime) -> str:
        self._n += 1
        return f"{int(at.timestamp())}.{self._n}"

    def _wait(self, at: datetime) -> int:
        """Seconds in the queue: most within 15 s, longer at the peaks."""
        r = self.rng.random()
        stretch = 1.0 + self.busy(at)
        if r < 0.9:
            return int(self.rng.uniform(2, 12) * min(stretch, 1.2))
        if r < 0.98:
            return int(self.rng.uniform(14, 45) * stretch)
        return int(self.rng.uniform(45, 150))

    def answered(self, agent: Actor, phone: str, registered_at: datetime) -> str:
        """The call a phone ticket is registered on: answered a minute or two before, its end
        a few minutes later. Its id, to link the ticket to."""
        answered_at = registered_at - timedelta(seconds=self.rng.randrange(40, 150))
        offered_at = answered_at - timedelta(seconds=self._wait(answered_at))
        call = calls.CallSeen(self._call_id(offered_at), from_switch(phone), QUEUE, offered_at)
        calls.answered(self.store, agent, call, answered_at, f"8{self.rng.randrange(100):03d}")
        ended_at = registered_at + timedelta(seconds=self.rng.randrange(30, 420))
        self.schedule(ended_at, lambda: calls.ended(self.store, agent, call.call_id, ended_at))
        if self.rng.random() < ABANDON_SHARE / (1 - ABANDON_SHARE):
            self._abandon_after(registered_at)
        return call.call_id

    def _abandon_after(self, at: datetime) -> None:
        offered_at = at + timedelta(seconds=self.rng.randrange(0, 900))
        gone = offered_at + timedelta(seconds=self.rng.randrange(8, 120))
        phone = f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"
        call = calls.CallSeen(self._call_id(offered_at), from_switch(phone), QUEUE, offered_at)
        self.schedule(gone, lambda: self._record_abandoned(call, gone))

    recorder: Actor | None = None

    def _record_abandoned(self, call: calls.CallSeen, gone: datetime) -> None:
        if self.recorder is not None:
            calls.abandoned(self.store, self.recorder, call, gone)
