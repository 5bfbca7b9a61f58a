"""The generic HTTP contract: any switch that can post a web request tells the seat of its
calls (the model is Zammad's "Generic CTI").

The switch posts to ``http://<seat>:<port>/cti`` with the seat's token (``?token=…``, a
``token`` field or ``Authorization: Bearer …``), form-encoded or JSON:

- ``event=newCall`` — ``from`` (caller), ``to`` (the number dialled or the seat's phone),
  ``direction=in``, ``callId``, optionally ``queue``;
- ``event=answer`` — ``callId``, ``answeringNumber`` (or ``user``): the phone that answered;
- ``event=hangup`` — ``callId``, ``cause`` (``normalClearing``, ``cancel``, ``noAnswer``,
  ``busy``…), optionally ``answeringNumber``.

It answers ``200 {}``; ``401`` for a wrong token, ``400`` with a Chinese message for a
request it cannot read, ``413`` for one over 64 KB. Outgoing calls (``direction=out``) are
not the hotline's calls and are ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from console.cti.settings import HttpSettings
from console.cti.signals import CallSignal, Kind, LinkState, OnSignal, OnState, call_id

BODY_MAX = 64 * 1024
CALLS_KEPT = 2000  # calls in progress remembered; the oldest are forgotten first
READ_TIMEOUT_S = 10


class BadRequest(Exception):
    """A request the contract does not allow: HTTP status and a Chinese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Call:
    caller: str
    queue: str
    offered_at: datetime
    answered_here: bool = False
    answered: bool = False


class HttpContract:
    """A small HTTP listener on the seat (see the module's docstring)."""

    def __init__(self, settings: HttpSettings, clock: Callable[[], datetime]):
        self.settings = settings
        self.clock = clock
        self._calls: dict[str, _Call] = {}

    async def run(self, on_signal: OnSignal, on_state: OnState) -> None:
        """Listen until cancelled; a port already taken is reported and retried."""
        s = self.settings
        while True:
            on_state(LinkState.CONNECTING, "")
            try:
                server = await asyncio.start_server(
                    lambda r, w: self._serve(r, w, on_signal), s.host, s.port
                )
            except OSError:
                on_state(LinkState.RECONNECTING, f"端口 {s.port} 无法监听，30 秒后重试")
                await asyncio.sleep(30)
                continue
            on_state(LinkState.CONNECTED, "")
            async with server:
                await server.serve_forever()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, on_signal: OnSignal
    ) -> None:
        try:
            status, body = 200, {}
            try:
                method, target, headers, raw = await asyncio.wait_for(
                    _read_request(reader), READ_TIMEOUT_S
                )
                for signal in self.handle(method, target, headers, raw):
                    on_signal(signal)
            except BadRequest as bad:
                status, body = bad.status, {"error": bad.message}
            except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                status, body = 400, {"error": "请求不完整。"}
            payload = json.dumps(body, ensure_ascii=False).encode()
            reason = {
                200: "OK",
                400: "Bad Request",
                401: "Unauthorized",
                404: "Not Found",
                405: "Method Not Allowed",
                413: "Payload Too Large",
            }[status]
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        except (ConnectionError, OSError):
            pass  # the switch went away mid-answer: nothing to tell it
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    # what a request means ---------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> list[CallSignal]:
        """The calls one request tells of; :class:`BadRequest` if it is not the contract's."""
        url = urlsplit(target)
        if url.path.rstrip("/") != "/cti":
            raise BadRequest(404, "没有这个地址：话务事件请发到 /cti。")
        if method != "POST":
            raise BadRequest(405, "话务事件请用 POST 提交。")
        fields = _fields(headers, raw)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        token = query.get("token") or fields.get("token") or _bearer(headers)
        if not hmac.compare_digest(token.encode(), self.settings.token.encode()):
            raise BadRequest(401, "令牌不对：请核对交换机上为本座席配置的令牌。")
        return self._signals(fields)

    def _signals(self, f: dict[str, str]) -> list[CallSignal]:
        event = f.get("event", "")
        cid = call_id(f.get("callId"))
        if event not in ("newCall", "answer", "hangup"):
            raise BadRequest(400, "event 应为 newCall、answer 或 hangup。")
        if not cid:
            raise BadRequest(400, "缺少 callId（呼叫编号）。")
        if f.get("direction", "in") != "in":
            return []
        now, mine = self.clock(), self.settings.extension
        call = self._calls.get(cid)
        if event == "newCall":
            if call is None:
                self._calls[cid] = _Call(f.get("from", ""), f.get("queue", "")[:40], now)
                while len(self._calls) > CALLS_KEPT:  # hangups the switch never sent
                    self._calls.pop(next(iter(self._calls)))
            return [CallSignal(Kind.OFFERED, cid, now, f.get("from", ""), f.get("queue", ""))]
        if call is None:  # the seat started after the call did: it knows only this much
            call = self._calls[cid] = _Call(f.get("from", ""), f.get("queue", "")[:40], now)
        waited = int((now - call.offered_at).total_seconds())
        answering = f.get("answeringNumber") or f.get("user") or ""
        if event == "answer":
            call.answered = True
            if answering != mine:
                return []
            call.answered_here = True
            return [CallSignal(Kind.ANSWERED, cid, now, call.caller, call.queue, mine, waited)]
        del self._calls[cid]
        if call.answered_here:
            return [CallSignal(Kind.ENDED, cid, now, call.caller, call.queue, mine)]
        if not call.answered:
            return [CallSignal(Kind.ABANDONED, cid, now, call.caller, call.queue, "", waited)]
        return []


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > BODY_MAX:
        raise BadRequest(413, "请求头过大。")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(400, "不是 HTTP 请求。")
    headers = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise BadRequest(400, "Content-Length 无效。") from None
    if length > BODY_MAX:
        raise BadRequest(413, "请求内容过大（上限 64 KB）。")
    body = await reader.readexactly(length) if length > 0 else b""
    return parts[0], parts[1], headers, body


def _fields(headers: dict[str, str], raw: bytes) -> dict[str, str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "请求内容应为 UTF-8 文字。") from None
    if headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(text or "{}")
        except ValueError:
            raise BadRequest(400, "请求内容不是有效的 JSON。") from None
        if not isinstance(data, dict):
            raise BadRequest(400, "请求内容应为 JSON 对象。")
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)}
    return {k: v[0] for k, v in parse_qs(text).items()}


def _bearer(headers: dict[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
