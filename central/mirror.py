"""The server's own projections: a seat store fed with every accepted event, in server order.

The central log (SQLite or PostgreSQL) is the truth; the mirror is a SQLite file derived
from it, which lets the server judge a pushed event with the very rules and projector the
seats use (state machine, roles, ticket numbers), and run liaisons' commands as a seat
would. It records the last server sequence it applied in the same transaction, so after a
crash it catches up from the log and never applies an event twice.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from central.streams import EVENT_ROLES
from store import events as event_log
from store import projector
from store.clock import Clock, system_clock
from store.directory import actor_of
from store.errors import DomainError, Forbidden
from store.events import Event
from store.kb.permissions import ANSWERING_ROLES
from store.kb.permissions import EDITING_ROLES as KB_EDITORS
from store.roles import Actor, Role
from store.seat import Store, moves_seen
from store.states import MOVES, MOVES_SEEN, TRANSITIONS, State
from store.states import check as check_transition

APPLIED = "central.applied_seq"
INSTANCE = "central.instance"


class Mirror:
    """Used only under the server's writer lock (``CentralService`` holds it around every
    use, reads included): one connection, one thread at a time."""

    def __init__(self, path: str | Path, instance: str, clock: Clock = system_clock):
        self.path = Path(path)
        self.store = Store.open(self.path, clock=clock)
        if self._meta(INSTANCE) not in (None, instance):
            # A mirror of another database (dropped and made anew): start it afresh.
            self.store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.store = Store.open(self.path, clock=clock)
        self.conn = self.store.conn
        # The log is the durable copy; the mirror catches up from it after a crash. NORMAL
        # (in WAL mode) never corrupts the file, it may only forget the last commits on a
        # power cut, and it saves an fsync on every push.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        if self._meta(INSTANCE) is None:
            self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (INSTANCE, instance))

    def _meta(self, key: str) -> str | None:
        row = self.store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def applied_seq(self) -> int:
        return int(self._meta(APPLIED) or 0)

    def set_applied(self, seq: int) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (APPLIED, str(seq)),
        )

    def add(self, event: Event, server_seq: int) -> None:
        """Apply an event the log holds (the caller holds the mirror's transaction)."""
        event_log.insert(self.conn, event, server_seq=server_seq)
        projector.apply(self.conn, event)

    def judge(self, event: Event, server_seq: int) -> str | None:
        """Apply ``event`` if the rules allow it; else return why not (in Chinese).

        Runs in a savepoint of the caller's transaction: a refused event leaves no trace.
        """
        self.conn.execute("SAVEPOINT judge")
        try:
            self._check(event)
            self.add(event, server_seq)
        except DomainError as error:
            self.conn.execute("ROLLBACK TO judge")
            return error.message
        except (sqlite3.Error, KeyError, ValueError, TypeError) as error:
            self.conn.execute("ROLLBACK TO judge")
            return f"事件内容无效，无法应用（{type(error).__name__}: {error}）"
        finally:
            self.conn.execute("RELEASE judge")
        return None

    def actor(self, agent_id: str) -> Actor | None:
        row = self.conn.execute(
            "SELECT * FROM agents WHERE id = ? AND active = 1", (agent_id,)
        ).fetchone()
        return None if row is None else actor_of(row)

    def _check(self, event: Event) -> None:
        actor = self.actor(event.actor_id)
        if actor is None:
            raise Forbidden(f"工号 {event.actor_id} 不存在或已停用。")
        if str(actor.role) != event.actor_role:
            raise Forbidden(f"工号 {event.actor_id} 的角色是{actor.role.label}，与事件不符。")
        if actor.role is Role.LIAISON:
            raise Forbidden("承办单位的操作须通过单位接口办理，不能由座席提交。")
        if event.type in TRANSITIONS:
            self._check_ticket(event, actor)
            return
        allowed = _roles_for(event.type)
        if allowed is None:
            raise Forbidden(f"未知的事件类型 {event.type}。")
        if actor.role not in allowed:
            raise Forbidden(f"{actor.role.label}不能提交“{event.type}”。")

    def _check_ticket(self, event: Event, actor: Actor) -> None:
        row = self.conn.execute(
            "SELECT state FROM tickets WHERE id = ?", (event.subject_id,)
        ).fetchone()
        if row is None and event.type != "ticket.registered":
            raise DomainError("中心没有这张工单（可能登记它的事件被拒绝）。")
        if row is not None and event.type == "ticket.registered":
            raise DomainError("这张工单已经登记过。")
        check_transition(event.type, actor, State(row[0]) if row else None)
        if event.type in MOVES and MOVES_SEEN in event.payload:
            seen = event.payload[MOVES_SEEN]
            if seen != moves_seen(self.conn, event.subject_id):
                raise DomainError(
                    "该工单已被其他座席先行处理（转办、派单或审核），本操作未生效，请刷新后重新处理。"
                )


def _roles_for(event_type: str) -> frozenset[Role] | None:
    if event_type == "kb.feedback":
        return ANSWERING_ROLES
    if event_type.startswith("kb."):
        return KB_EDITORS
    return EVENT_ROLES.get(event_type)
