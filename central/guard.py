"""The server's front door: who is calling, and how much they may send, before any body is
read.

An ASGI middleware, so it runs before FastAPI parses a request: a request without valid
credentials is answered 401 without its body being read, and no body may be longer than
its route allows (413) — announced by ``Content-Length`` or counted as it streams in. A
53 MB request therefore costs the server nothing, and never more memory than the limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread

from store.core.errors import DomainError

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

# Paths anyone may call. A login carries only an id and a password.
OPEN = {"/v1/health": 0, "/openapi.json": 0, "/docs": 0, "/docs/oauth2-redirect": 0}
LOGIN = "/v1/sessions"
LOGIN_BODY = 16 * 1024
# A push is at most 1,000 events of at most 48 KB each, plus their envelope.
BODY_LIMITS = {"/v1/sync/push": 16 * 1024 * 1024, "/v1/reference/kb.save_entries": 32 * 1024 * 1024}
DEFAULT_BODY = 256 * 1024


class Guard:
    """Authenticate with ``authenticate(token)`` (raises ``DomainError``) and cap bodies.
    The principal is left in ``request.state.principal`` for the routes."""

    def __init__(self, app: Any, authenticate: Callable[[str], Any], known: Callable[[str], Any]):
        self.app = app
        self.authenticate = authenticate
        self.known = known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in OPEN:
            await self.app(scope, _no_body, send)
            return
        limit = LOGIN_BODY if path == LOGIN else BODY_LIMITS.get(path, DEFAULT_BODY)
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _answer(send, 413, f"请求体过大（最多 {limit // 1024} KB）。")
            return
        if path != LOGIN:
            principal = await self._principal(scope, send)
            if principal is None:
                return
            scope.setdefault("state", {})["principal"] = principal
        body = await _read(receive, limit)
        if body is None:
            await _answer(send, 413, f"请求体过大（最多 {limit // 1024} KB）。")
            return
        await self.app(scope, _replay(body, receive), send)

    async def _principal(self, scope: Scope, send: Send) -> Any:
        header = _header(scope, b"authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _answer(send, 401, "缺少登录凭据（Authorization: Bearer …）。")
            return None
        token = token.strip()
        known = self.known(token)
        if known is not None:
            return known
        try:
            return await to_thread.run_sync(self.authenticate, token)
        except DomainError as error:
            await _answer(send, 401 if error.code == "unauthorized" else 403, error.message)
            return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


async def _read(receive: Receive, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then whatever the connection says next (a disconnect)."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
