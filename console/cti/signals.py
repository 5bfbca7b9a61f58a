"""What an adapter tells the console: calls, and the state of its link with the switch."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

_CALL_ID_BAD = re.compile(r"[^A-Za-z0-9_.:@/-]")


class Kind(StrEnum):
    OFFERED = "offered"  # entered a queue
    RINGING = "ringing"  # rings at this seat's phone
    ANSWERED = "answered"  # answered at this seat's phone
    ENDED = "ended"  # a call answered here ended (hung up, or transferred away)
    ABANDONED = "abandoned"  # the caller hung up before anyone answered


@dataclass(frozen=True, slots=True)
class CallSignal:
    """One thing the switch said about one call."""

    kind: Kind
    call_id: str
    at: datetime
    caller: str = ""  # as the switch sent it; made usable by store.services.calls
    queue: str = ""
    extension: str = ""  # the phone it rang or was answered at
    waited_s: int | None = None  # how long the caller had waited, if the switch says


def call_id(raw: object) -> str:
    """A call id the store accepts, from whatever the switch sent (letters, digits and
    ``_.:@/-``, at most 64 characters); empty if nothing is left."""
    text = _CALL_ID_BAD.sub("", str(raw or ""))[:64]
    return text.lstrip("_.:/-")


class LinkState(StrEnum):
    NOT_CONFIGURED = "not_configured"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    REFUSED = "refused"  # the switch refused the seat's login: retried slowly


STATE_TEXT = {
    LinkState.NOT_CONFIGURED: "话机：未接入",
    LinkState.CONNECTING: "话机：连接中",
    LinkState.CONNECTED: "话机：已连接",
    LinkState.RECONNECTING: "话机：重连中",
    LinkState.REFUSED: "话机：登录被拒",
}

OnSignal = Callable[[CallSignal], None]
OnState = Callable[[LinkState, str], None]  # the state, and why (in Chinese) if not connected


class Adapter(Protocol):
    """A link with a switch: ``run`` until cancelled, reporting calls and its state."""

    async def run(self, on_signal: OnSignal, on_state: OnState) -> None:
        """Follow the switch until the task is cancelled; never raise for the network."""
