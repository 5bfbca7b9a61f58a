"""Asterisk's manager interface (AMI): log in, follow the queue's and this seat's calls,
reconnect with backoff when the switch goes away.

The protocol is lines of ``Key: Value`` ending in a blank line, after a one-line banner
(``Asterisk Call Manager/5.0.1``). The seat logs in with ``Action: Login`` and reads events:

- ``QueueCallerJoin`` — a call entered a queue (offered);
- ``AgentCalled`` — it rings at a member's phone; ``AgentConnect`` — a member answered it
  (``HoldTime``: seconds the caller waited); ``AgentComplete`` — the member's part ended
  (hung up, or transferred away);
- ``QueueCallerAbandon`` — the caller hung up while waiting (``HoldTime``);
- ``Newchannel`` / ``Hangup`` — channels, for the caller's number and a call that ends
  without ``AgentComplete``.

A call is known by its ``Linkedid`` (the same on every channel of a call, transfers included),
or its ``Uniqueid``. The members' events count as this seat's when the member is its phone
(``SIP/8017``, ``PJSIP/8017``, ``Local/8017@…``, or the member name ``8017``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from console.cti.settings import AmiSettings
from console.cti.signals import CallSignal, Kind, LinkState, OnSignal, OnState, call_id

BACKOFF_S = (1, 2, 4, 8, 15, 30)  # waits between attempts; the last repeats
REFUSED_WAIT_S = 60  # after a refused login: do not hammer the switch with a wrong password
PING_S = 20  # a ping this often; the link is taken for dead after three unanswered
LOGIN_TIMEOUT_S = 10
NUMBERS_KEPT = 5000  # channels whose caller number is remembered until they hang up


class AmiRefused(Exception):
    """The switch refused the login (its message, which holds no password)."""


def parse(block: str) -> dict[str, str]:
    """One AMI message as a dict (the first value of a repeated key kept)."""
    out: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.rstrip("\r").partition(":")
        if sep and key.strip() and key.strip() not in out:
            out[key.strip()] = value.strip()
    return out


def encode(message: dict[str, str]) -> bytes:
    """An action as the switch reads it (no value may hold a line break)."""
    lines = [
        f"{k}: {str(v).replace(chr(13), ' ').replace(chr(10), ' ')}" for k, v in message.items()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def member_is(interface: str, extension: str) -> bool:
    """True if the queue member ``interface`` is the phone ``extension``."""
    if not interface:
        return False
    name = interface.split("/", 1)[-1].split("@", 1)[0]
    return interface == extension or name == extension


class AmiLink:
    """The seat's AMI client (see the module's docstring)."""

    def __init__(self, settings: AmiSettings, clock: Callable[[], datetime]):
        self.settings = settings
        self.clock = clock
        self._numbers: dict[str, str] = {}  # channel uniqueid → caller number
        self._mine: set[str] = set()  # calls answered at this seat and not yet ended
        self._action = 0
        self._logged_in = False

    async def run(self, on_signal: OnSignal, on_state: OnState) -> None:
        """Connect, follow, and reconnect with backoff, until cancelled."""
        on_state(LinkState.CONNECTING, "")
        attempt = 0
        while True:
            self._logged_in = False
            try:
                await self._session(on_signal, on_state)
                why = "交换机断开了连接"
            except AmiRefused as refused:
                on_state(LinkState.REFUSED, f"交换机拒绝登录：{refused}")
                await asyncio.sleep(REFUSED_WAIT_S)
                continue
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                TimeoutError,
                ValueError,
            ) as error:
                why = _why(error)
            if self._logged_in:  # it worked a while: start the backoff again
                attempt = 0
            wait = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
            on_state(LinkState.RECONNECTING, f"{why}，{wait} 秒后重连")
            await asyncio.sleep(wait)
            attempt += 1

    async def _session(self, on_signal: OnSignal, on_state: OnState) -> None:
        s = self.settings
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(s.host, s.port), LOGIN_TIMEOUT_S
        )
        try:
            banner = await asyncio.wait_for(reader.readline(), LOGIN_TIMEOUT_S)
            if not banner.startswith(b"Asterisk Call Manager/"):
                raise ValueError("not an Asterisk manager interface")
            writer.write(
                self._action_bytes(
                    "Login", Username=s.username, Secret=s.secret, Events="call,agent"
                )
            )
            await writer.drain()
            reply = await asyncio.wait_for(self._message(reader), LOGIN_TIMEOUT_S)
            if reply.get("Response") != "Success":
                raise AmiRefused(reply.get("Message", "用户名或密码不对")[:80])
            self._logged_in = True
            on_state(LinkState.CONNECTED, "")
            pinger = asyncio.create_task(self._ping(writer))
            try:
                while True:
                    message = await asyncio.wait_for(self._message(reader), PING_S * 3)
                    for signal in self.signals(message):
                        on_signal(signal)
            finally:
                pinger.cancel()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _action_bytes(self, action: str, **fields: str) -> bytes:
        self._action += 1
        return encode({"Action": action, "ActionID": f"seat-{self._action}", **fields})

    async def _ping(self, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while True:
                await asyncio.sleep(PING_S)
                writer.write(self._action_bytes("Ping"))
                await writer.drain()

    @staticmethod
    async def _message(reader: asyncio.StreamReader) -> dict[str, str]:
        raw = await reader.readuntil(b"\r\n\r\n")
        return parse(raw.decode("utf-8", errors="replace"))

    # what the events mean ------------------------------------------------------------

    def signals(self, m: dict[str, str]) -> list[CallSignal]:
        """The calls an AMI event tells of, as this seat cares about them."""
        event = m.get("Event", "")
        cid = call_id(m.get("Linkedid") or m.get("Uniqueid"))
        if not cid:
            return []
        caller = m.get("CallerIDNum", "")
        if event == "Newchannel":
            self._numbers.setdefault(m.get("Uniqueid", ""), caller)
            while len(self._numbers) > NUMBERS_KEPT:  # hangups lost with a dropped link
                self._numbers.pop(next(iter(self._numbers)))
            return []
        caller = caller or self._numbers.get(m.get("Uniqueid", ""), "")
        queue = m.get("Queue", "")
        if queue and self.settings.queues and queue not in self.settings.queues:
            return []
        now = self.clock()
        member = m.get("Interface") or m.get("MemberName") or ""
        mine = member_is(member, self.settings.extension) or member_is(
            m.get("MemberName", ""), self.settings.extension
        )
        held = _seconds(m.get("HoldTime"))

        def signal(kind: Kind) -> list[CallSignal]:
            ext = self.settings.extension if mine else ""
            return [CallSignal(kind, cid, now, caller, queue, ext, held)]

        if event == "QueueCallerJoin":
            return signal(Kind.OFFERED)
        if event == "QueueCallerAbandon":
            return signal(Kind.ABANDONED)
        if event == "AgentCalled" and mine:
            return signal(Kind.RINGING)
        if event == "AgentConnect" and mine:
            self._mine.add(cid)
            return signal(Kind.ANSWERED)
        ends_mine = event == "Hangup" or (event == "AgentComplete" and mine)
        if ends_mine and cid in self._mine:
            self._mine.discard(cid)
            self._numbers.pop(m.get("Uniqueid", ""), None)
            return signal(Kind.ENDED)
        if event == "Hangup":
            self._numbers.pop(m.get("Uniqueid", ""), None)
        return []


def _seconds(text: str | None) -> int | None:
    try:
        return max(0, int(text)) if text is not None else None
    except ValueError:
        return None


def _why(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "交换机拒绝连接"
    if isinstance(error, TimeoutError):
        return "交换机无响应"
    if isinstance(error, asyncio.IncompleteReadError | ConnectionResetError):
        return "交换机断开了连接"
    if isinstance(error, asyncio.LimitOverrunError):
        return "交换机发来的消息过长"
    if isinstance(error, ValueError):
        return "对端不是 Asterisk 管理接口"
    return "无法连接交换机"
