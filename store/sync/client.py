"""The sync client: one round of push, number lease and pull against the central server.

Network work never holds a transaction: the seat reads its unsent events, sends them, then
records the answer in a short transaction of its own; the same for each pulled page. The
seat keeps working while a round waits on the network, and a round killed at any point
leaves the store consistent (the next round repeats what was not recorded, and the server
answers a repeated push as it did the first time).
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from store.core import identity
from store.core.clock import from_text, to_text
from store.core.db import restrict, transaction
from store.core.errors import DomainError
from store.core.progress import SILENT, Progress
from store.core.seat import Store
from store.sync import inbox, outbox, state
from store.tickets.numbers import add_lease, leased_left
from store.training import sandbox

PUSH_BATCH = 500
PULL_PAGE = 1000
LEASE_LOW = 20  # ask for a new block when fewer numbers than this are left for the day
LEASE_SIZE = 100


class Offline(Exception):
    """The server could not be reached (or failed): the seat carries on and retries."""


class Refused(Exception):
    """The server answered but refused the request; ``message`` is in Chinese."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class RoundReport:
    pushed: int
    rejected: int
    pulled: int
    leased: int
    rekeyed: bool = False  # this seat, a copy, got an identity of its own


class Central:
    """A small JSON-over-HTTP client for the central server's API (standard library only:
    the store must not pull in UI libraries, and one request every few seconds needs no
    connection pool)."""

    def __init__(self, base_url: str, token: str = "", *, timeout: float = 15.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: dict | None = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (OSError, http.client.HTTPException) as error:
            raise Offline(f"无法连接中心服务器 {self.base_url}：{_why(error)}") from error
        if status >= 500:
            raise Offline(f"中心服务器故障（HTTP {status}）")
        try:
            answer = json.loads(raw)
        except ValueError:
            raise Offline(f"中心服务器应答无法解析（HTTP {status}）") from None
        if status >= 400:
            detail = answer.get("detail") if isinstance(answer, dict) else None
            raise Refused(status, str(detail or f"HTTP {status}"))
        return answer

    def post(self, path: str, body: dict) -> dict[str, Any]:
        return self.request("POST", path, body)

    def get(self, path: str) -> dict[str, Any]:
        return self.request("GET", path)

    def close(self) -> None:
        """Nothing to release; kept so callers can use ``with``."""

    def __enter__(self) -> Central:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _why(error: BaseException) -> str:
    """Why a connection failed, as an operator reads it."""
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        error = reason
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝（服务器没有运行，或地址、端口不对）"
    if isinstance(error, TimeoutError | socket.timeout):
        return "连接超时（网络不通或服务器过忙）"
    if isinstance(error, socket.gaierror):
        return "找不到这个主机名（地址写错，或域名解析不通）"
    if isinstance(error, ssl.SSLError):
        return "TLS 握手失败（证书或协议不对）"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected):
        return "连接被对方断开"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__


def login(central: Central, agent_id: str, password: str) -> dict[str, Any]:
    """Log an agent in; the answer holds their token and role."""
    return central.post("/v1/sessions", {"agent_id": agent_id, "password": password})


class AgentSession:
    """An agent logged in at the central server (online): for what only the server does —
    changes to reference data (``store.services.reference``)."""

    def __init__(self, url: str, token: str, agent_id: str, role: str = ""):
        self.url = url
        self.token = token
        self.agent_id = agent_id
        self.role = role

    @classmethod
    def open(cls, url: str, agent_id: str, password: str) -> AgentSession:
        """Log in at ``url``; raises ``Offline`` or ``Refused``."""
        with Central(url) as central:
            answer = login(central, agent_id, password)
        return cls(url, answer["token"], agent_id, answer.get("role", ""))

    @classmethod
    def for_seat(cls, store: Store, agent_id: str, password: str) -> AgentSession | None:
        """Log in at the server this seat is registered with (None if it is not)."""
        url = state.get(store.conn, state.SERVER_URL)
        return cls.open(url, agent_id, password) if url else None

    def reference(self, name: str, args: dict[str, Any]) -> Any:
        """Run reference command ``name`` on the server as this agent; its result."""
        with Central(self.url, self.token, timeout=120) as central:
            return central.post(f"/v1/reference/{name}", {"args": args})["result"]


def register(
    store: Store, url: str, agent_id: str, password: str, name: str, profile: str = "seat"
) -> dict[str, Any]:
    """Register this seat with the server at ``url`` (an administrator or supervisor logs in
    for it) and keep the device credentials in the store."""
    training = sandbox.is_sandbox(store.conn)
    with Central(url) as central:
        _same_kind(training, bool(central.get("/v1/health").get("sandbox")))
        session = login(central, agent_id, password)
        central.token = session["token"]
        device = central.post(
            "/v1/devices", {"name": name, "profile": profile, "device_id": store.device_id}
        )
    path = store.conn.execute("PRAGMA database_list").fetchone()["file"]
    if path:
        restrict(path)  # the token lets anyone push as this seat
    state.put(
        store.conn,
        {
            state.SERVER_URL: url,
            state.DEVICE_TOKEN: device["token"],
            state.PROFILE: device["profile"],
            state.SANDBOX_SERVER: "1" if training else "",
            "device_id": device["device_id"],
            "device_no": str(device["device_no"]),
        },
    )
    return device


def connect(store: Store, **options: Any) -> Central:
    """A client for the server this seat is registered with. A sandbox store syncs only
    with the training server it registered with (checked every round: a registration
    copied in from a production seat is refused here, and by the server)."""
    url = state.get(store.conn, state.SERVER_URL)
    token = state.get(store.conn, state.DEVICE_TOKEN)
    if not url or not token:
        raise Refused(0, "本座席尚未在中心服务器注册（hotline sync register）。")
    if sandbox.is_sandbox(store.conn) and state.get(store.conn, state.SANDBOX_SERVER) != "1":
        raise Refused(0, sandbox.REFUSED_SYNC)
    return Central(url, token, **options)


def _same_kind(training_store: bool, training_server: bool) -> None:
    """Refuse, before any password is sent, a sandbox store at a production server and a
    production store at a training server."""
    if training_store and not training_server:
        raise Refused(0, sandbox.REFUSED_SYNC)
    if training_server and not training_store:
        raise Refused(0, sandbox.REFUSED_PRODUCTION)


# Called with the name of each point of a round where a crash matters ("after_push",
# "before_apply_page"): the crash tests' launcher stops the round there to kill the seat.
PauseHook = Callable[[str], None]


def _no_pause(point: str) -> None:
    return None


def run_round(
    store: Store, central: Central, pause: PauseHook = _no_pause, progress: Progress = SILENT
) -> RoundReport:
    """Push every unsent event, top up the ticket-number lease, pull every stream.

    Raises ``Offline`` or ``Refused``; either way the outcome is written to the seat's sync
    state, which the status line shows.
    """
    started = store.now()
    state.put(store.conn, {state.LAST_ATTEMPT: to_text(started)})
    try:
        rekeyed = identity.needs_identity(store.conn)
        if rekeyed:
            _rekey(store, central)
        pushed, rejected = _push_all(store, central, pause)
        leased = _top_up_lease(store, central)
        pulled, server_time = _pull_all(store, central, pause, progress)
    except (Offline, Refused) as error:
        state.put(store.conn, {state.ONLINE: "0", state.LAST_ERROR: str(error)})
        raise
    except (DomainError, KeyError, TypeError, ValueError) as error:
        # An answer this seat cannot use (a newer server, say): nothing was applied from
        # it; say so on the status line and try again next round.
        message = f"中心应答无法使用：{getattr(error, 'message', error)}"
        state.put(store.conn, {state.ONLINE: "0", state.LAST_ERROR: message})
        raise Refused(0, message) from error
    offset = (from_text(server_time) - store.now()).total_seconds() if server_time else 0.0
    state.put(
        store.conn,
        {
            state.ONLINE: "1",
            state.LAST_ERROR: "",
            state.LAST_OK: to_text(store.now()),
            state.CLOCK_OFFSET: f"{offset:.0f}",
        },
    )
    return RoundReport(pushed, rejected, pulled, leased, rekeyed)


def _rekey(store: Store, central: Central) -> None:
    """This seat is a copy: ask the server for an identity of its own (the device token of
    the seat it was copied from vouches for it), before anything else."""
    device = central.post("/v1/devices/rekey", {"device_id": store.device_id})
    identity.rekeyed(store.conn, device["device_id"], int(device["device_no"]), device["token"])
    central.token = device["token"]


def _push_all(store: Store, central: Central, pause: PauseHook) -> tuple[int, int]:
    """Send the logins made here, then the unsent events: the server accepts an agent's work
    only once it knows they logged in at this seat."""
    pushed = rejected = 0
    while True:
        sign_ins = outbox.pending_sign_ins(store.conn)
        batch = outbox.pending_batch(store.conn, PUSH_BATCH)
        if not batch and not sign_ins:
            break
        answer = central.post("/v1/sync/push", {"events": batch, "sign_ins": sign_ins})
        pause("after_push")
        before = store.unsent_count()
        outbox.record_sign_ins(store.conn, answer.get("sign_ins", []))
        rejected += outbox.record_results(store.conn, answer["results"])
        pushed += len(batch)
        if len(batch) < PUSH_BATCH or store.unsent_count() == before:
            break  # all sent, or an answer that settled nothing: not again this round
    return pushed, rejected


def _top_up_lease(store: Store, central: Central) -> int:
    today = store.now().date()
    leased = 0
    for day in (today, today + timedelta(days=1)):
        if leased_left(store.conn, day) >= LEASE_LOW:
            continue
        block = central.post("/v1/numbers/lease", {"day": day.isoformat(), "count": LEASE_SIZE})
        with transaction(store.conn):
            add_lease(store.conn, day, int(block["first"]), int(block["last"]))
        leased += int(block["last"]) - int(block["first"]) + 1
    return leased


def _note_seats_seen(store: Store, page: dict) -> None:
    """Keep what the server said of the seats it heard from lately (the watch shows it)."""
    seen = page.get("seats_seen")
    if isinstance(seen, int) and not isinstance(seen, bool) and seen >= 0:
        at = str(page.get("server_time", ""))
        state.put(store.conn, {state.SEATS_SEEN: str(seen), state.SEATS_SEEN_AT: at})


def _pull_all(
    store: Store, central: Central, pause: PauseHook, progress: Progress
) -> tuple[int, str]:
    """Pull pages until none is left. A catch-up longer than a page reports its progress in
    server sequence numbers, from where this seat was to the server's head."""
    pulled = 0
    at = max(inbox.cursors(store.conn).values(), default=0)
    reporting = False
    while True:
        page = central.post(
            "/v1/sync/pull", {"cursors": inbox.cursors(store.conn), "limit": PULL_PAGE}
        )
        pause("before_apply_page")
        pulled += inbox.apply_page(store.conn, page["events"], page["cursors"])
        if page.get("more") and not reporting:
            reporting = True
            progress.begin("接收事件", max(int(page.get("head") or 0) - at, 1))
        reached = max(page["cursors"].values(), default=at)
        if reporting:
            progress.advance(max(reached - at, 0))
        at = max(at, reached)
        if not page.get("more") or not page["events"]:
            _note_seats_seen(store, page)
            return pulled, page.get("server_time", "")
