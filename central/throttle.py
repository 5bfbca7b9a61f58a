"""Slowing down password guessing at the server's login.

Per agent: after ``AGENT_FREE`` failures in a row, each further attempt waits a lockout that
doubles (1 s, 2 s, 4 s … up to 15 minutes); a success clears it. Per address: more than
``ADDRESS_FAILURES`` failures within ``ADDRESS_WINDOW`` seconds lock that address out for
the rest of the window. Kept in memory, per server process (a restart forgets it); behind a
proxy the address is the proxy's, so the per-agent limit is what protects an account.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from store.core.errors import DomainError

AGENT_FREE = 5
AGENT_MAX_LOCK = 15 * 60.0
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = 600.0


class TooManyAttempts(DomainError):
    """Answered with HTTP 429 and how long to wait."""

    def __init__(self, seconds: float):
        wait = max(1, int(seconds + 0.999))
        super().__init__(f"登录失败次数过多，请 {wait} 秒后再试。", code="too_many")
        self.retry_after = wait


@dataclass
class _Agent:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._agents: dict[str, _Agent] = {}
        self._addresses: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, agent_id: str, address: str) -> None:
        """Raise ``TooManyAttempts`` if this agent or this address must wait."""
        now = self._clock()
        with self._lock:
            agent = self._agents.get(agent_id)
            if agent and agent.locked_until > now:
                raise TooManyAttempts(agent.locked_until - now)
            recent = self._recent(address, now)
            if len(recent) >= ADDRESS_FAILURES:
                raise TooManyAttempts(recent[0] + ADDRESS_WINDOW - now)

    def failed(self, agent_id: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            agent = self._agents.setdefault(agent_id, _Agent())
            agent.failures += 1
            if agent.failures >= AGENT_FREE:
                lock = min(AGENT_MAX_LOCK, 2.0 ** (agent.failures - AGENT_FREE))
                agent.locked_until = now + lock
            self._recent(address, now).append(now)
            if len(self._agents) > 100_000:  # bounded: forget the unlocked ones
                self._agents = {k: v for k, v in self._agents.items() if v.locked_until > now}

    def succeeded(self, agent_id: str) -> None:
        with self._lock:
            self._agents.pop(agent_id, None)

    def _recent(self, address: str, now: float) -> deque[float]:
        recent = self._addresses.setdefault(address, deque())
        while recent and recent[0] <= now - ADDRESS_WINDOW:
            recent.popleft()
        if not recent and len(self._addresses) > 100_000:
            self._addresses = {k: v for k, v in self._addresses.items() if v}
            recent = self._addresses.setdefault(address, deque())
        return recent
