"""Who is calling: agents' sessions, registered devices and their bearer tokens.

Tokens are 256 random bits, kept only as SHA-256 hashes; passwords are checked against the
argon2id hashes of the directory. A device's token does not expire; an agent's session
lasts ``SESSION_HOURS``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from central.db.port import Database, Transaction
from central.streams import PROFILES, REGISTRARS
from central.throttle import LoginThrottle
from store.core.clock import Clock, to_text
from store.core.errors import DomainError, Forbidden, InvalidInput
from store.core.identity import SANDBOX_PREFIX
from store.core.roles import Actor, Role
from store.directory.commands import actor_of
from store.directory.passwords import verify_password
from store.tickets.numbers import MAX_DEVICE_NO

_DEVICE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
SANDBOX_DEVICE = "培训库（沙盒）的座席不能注册到生产中心服务器。"
PRODUCTION_DEVICE = "这是培训用中心服务器（--sandbox），只接受培训库（hotline sandbox new）的座席。"
SESSION_HOURS = 12
DEVICE_CACHE_SECONDS = 60.0


class Unauthorized(DomainError):
    """No valid credentials (HTTP 401)."""

    def __init__(self, message: str):
        super().__init__(message, code="unauthorized")


@dataclass(frozen=True, slots=True)
class Device:
    """A registered seat, and the streams its profile reads and writes."""

    id: str
    name: str
    device_no: int
    profile: str

    @property
    def reads(self) -> tuple[str, ...]:
        return PROFILES[self.profile][0]

    @property
    def writes(self) -> tuple[str, ...]:
        return PROFILES[self.profile][1]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials:
    """Logins, tokens and device registration over the central database.

    ``agent`` finds an active agent's directory row (the server's projections hold it).
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        agent: Callable[[str], sqlite3.Row | None],
        *,
        sandbox: bool = False,
    ):
        self.db = db
        self.sandbox = sandbox
        self.clock = clock
        self._agent = agent
        self._devices: dict[str, tuple[Device, float]] = {}
        self.throttle = LoginThrottle()

    def login(self, agent_id: str, password: str, address: str = "") -> dict[str, Any]:
        """Check an agent's password against the directory; return a session token.

        Repeated failures slow down guessing: per agent and per address (``LoginThrottle``).
        """
        self.throttle.check(agent_id, address)
        row = self._agent(agent_id)
        if row is None or not verify_password(row["password_hash"], password):
            self.throttle.failed(agent_id, address)
            raise Unauthorized("工号或密码错误。")
        self.throttle.succeeded(agent_id)
        token = secrets.token_urlsafe(32)
        expires = to_text(self.clock() + timedelta(hours=SESSION_HOURS))
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO tokens (hash, kind, subject, expires_at) VALUES (?, 'agent', ?, ?)",
                (_hash(token), agent_id, expires),
            )
        return {
            "token": token,
            "agent_id": agent_id,
            "name": row["name"],
            "role": row["role"],
            "unit_id": row["unit_id"],
            "expires_at": expires,
        }

    def authenticate(self, token: str) -> Device | Actor:
        """The device or agent a bearer token belongs to.

        Devices are remembered for a minute: a seat pulls every few seconds, and a lookup
        per pull would double the database's work for nothing.
        """
        known = self.known_device(token)
        if known is not None:
            return known
        key = _hash(token)
        principal = self._lookup(key)
        if isinstance(principal, Device):
            self._devices[key] = (principal, time.monotonic() + DEVICE_CACHE_SECONDS)
        return principal

    def forget_devices(self) -> None:
        """Drop the remembered devices (one was revoked, here or by another process)."""
        self._devices.clear()

    def known_device(self, token: str) -> Device | None:
        """The device of ``token`` if it was seen in the last minute (no query)."""
        cached = self._devices.get(_hash(token))
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        return None

    def _lookup(self, key: str) -> Device | Actor:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT * FROM tokens WHERE hash = ?", (key,))
            if not rows:
                raise Unauthorized("登录凭据无效，请重新登录或重新注册座席。")
            token_row = rows[0]
            if token_row["kind"] == "device":
                device = tx.execute("SELECT * FROM devices WHERE id = ?", (token_row["subject"],))
                if not device:
                    raise Unauthorized("座席已注销。")
                d = device[0]
                if d["revoked_at"]:
                    raise Unauthorized("座席已被注销，请联系系统管理员重新注册。")
                return Device(d["id"], d["name"], int(d["device_no"]), d["profile"])
        if token_row["expires_at"] and token_row["expires_at"] < to_text(self.clock()):
            raise Unauthorized("登录已过期，请重新登录。")
        row = self._agent(token_row["subject"])
        if row is None:
            raise Unauthorized("工号已停用。")
        return actor_of(row)

    def register_device(
        self, registrar: Actor, name: str, profile: str, device_id: str | None
    ) -> dict[str, Any]:
        """Register a seat. It keeps its own id unless that id is known here already (another
        device's, one a device's events carried, a revoked one): then it gets a new one."""
        if registrar.role not in REGISTRARS:
            raise Forbidden(f"{registrar.role.label}不能注册座席（限系统管理员、值班长）。")
        if profile not in PROFILES:
            raise InvalidInput(f"座席类型无效：{profile!r}", field="profile")
        name = (name or "").strip()[:64] or "座席"
        with self.db.transaction(write=True) as tx:
            return self._new_device(tx, device_id, name, profile, registrar.id, None)

    def rekey(self, device: Device, device_id: str | None) -> dict[str, Any]:
        """A new identity for a seat that found it is a copy (restored from a backup, or a
        second copy of one file): its own device number, token and number range, linked to
        the device it was copied from. The original keeps its own."""
        with self.db.transaction(write=True) as tx:
            count = tx.scalar("SELECT count(*) FROM devices WHERE parent_id = ?", (device.id,))
            name = f"{device.name}（副本 {int(count) + 1}）"[:64]
            return self._new_device(
                tx, device_id, name, device.profile, f"rekey:{device.id}", device.id
            )

    def _new_device(
        self,
        tx: Transaction,
        device_id: str | None,
        name: str,
        profile: str,
        registered_by: str,
        parent_id: str | None,
    ) -> dict[str, Any]:
        training = isinstance(device_id, str) and device_id.startswith(SANDBOX_PREFIX)
        if training and not self.sandbox:
            raise Forbidden(SANDBOX_DEVICE)
        if self.sandbox and not training:
            raise Forbidden(PRODUCTION_DEVICE)
        token = secrets.token_urlsafe(32)
        known = isinstance(device_id, str) and (
            tx.execute("SELECT 1 FROM devices WHERE id = ?", (device_id,))
            or tx.execute("SELECT 1 FROM device_aliases WHERE alias = ?", (device_id,))
            or tx.execute("SELECT 1 FROM log WHERE device_id = ? LIMIT 1", (device_id,))
        )
        if not isinstance(device_id, str) or known or not _DEVICE_ID.match(device_id):
            device_id = (SANDBOX_PREFIX if self.sandbox else "") + secrets.token_hex(16)
        number = tx.scalar("SELECT coalesce(max(device_no), 0) + 1 FROM devices")
        if number > MAX_DEVICE_NO:
            raise DomainError(f"座席数已达上限 {MAX_DEVICE_NO}。")
        now = to_text(self.clock())
        tx.execute(
            "INSERT INTO devices (id, name, device_no, profile, registered_by, registered_at,"
            " parent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (device_id, name, number, profile, registered_by, now, parent_id),
        )
        tx.execute(
            "INSERT INTO device_aliases (alias, device_id, claimed_at) VALUES (?, ?, ?)",
            (device_id, device_id, now),
        )
        tx.execute(
            "INSERT INTO tokens (hash, kind, subject) VALUES (?, 'device', ?)",
            (_hash(token), device_id),
        )
        return {"device_id": device_id, "device_no": number, "profile": profile, "token": token}

    def revoke(self, device_id: str) -> bool:
        """Revoke a device: its token stops working (in every server process within a
        second; the seat is told it was revoked), its id and the ids its events carried are
        never given to anyone again."""
        with self.db.transaction(write=True) as tx:
            found = tx.execute(
                "SELECT 1 FROM devices WHERE id = ? AND revoked_at IS NULL", (device_id,)
            )
            if not found:
                return False
            tx.execute(
                "UPDATE devices SET revoked_at = ? WHERE id = ?", (to_text(self.clock()), device_id)
            )
            tx.execute(
                "INSERT INTO central_meta (key, value) VALUES ('revocations', '1')"
                " ON CONFLICT (key) DO UPDATE SET value = "
                + ("CAST(CAST(central_meta.value AS INTEGER) + 1 AS TEXT)")
            )
        self.forget_devices()
        return True


def require_device(principal: Device | Actor) -> Device:
    if not isinstance(principal, Device):
        raise Forbidden("此接口只供已注册的座席同步使用。")
    return principal


def require_agent(principal: Device | Actor, *roles: Role) -> Actor:
    if not isinstance(principal, Actor):
        raise Forbidden("此接口需要工号登录。")
    if roles and principal.role not in roles:
        raise Forbidden(f"{principal.role.label}不能使用此接口。")
    return principal
