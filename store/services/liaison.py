"""What a handling unit's liaison sees and does, as plain data.

Shared by ``hotline unit`` on a local store and by the central server's unit API, so the
two never drift: each view is a JSON-ready dict, each action runs the workflow command.
:class:`UnitApi` is the same three calls over the central server's unit API.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from store.core.clock import to_text
from store.core.db import transaction
from store.core.errors import DomainError, InvalidInput
from store.core.privacy import mask_personal
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.sync.client import Central, Offline, Refused, login
from store.tickets import workflow
from store.tickets.deadlines import parse_due
from store.tickets.read.queries import get_ticket
from store.tickets.read.queues import unit_tickets
from store.tickets.read.timeline import timeline
from store.tickets.states import State
from store.tickets.workflow.base import require_unit_of

__all__ = [
    "ACTIONS",
    "Offline",
    "Refused",
    "UnitApi",
    "act",
    "my_tickets",
    "require_liaison",
    "ticket_view",
]


def require_liaison(actor: Actor) -> None:
    """Refuse anyone but a handling unit's liaison."""
    if actor.role is not Role.LIAISON:
        raise DomainError(f"{actor.role.label}不是承办单位联络员，不能使用承办单位接口。")


def my_tickets(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """The liaison's unit's open tickets, oldest first, with lights and deadlines."""
    require_liaison(actor)
    return [
        {
            "number": r.number,
            "state": r.state.value,
            "state_label": r.state.label,
            "light": r.light.value if r.light else None,
            "due_at": to_text(r.due_at) if r.due_at else None,
            "urge_count": r.urge_count,
            "content": mask_personal(r.content),
        }
        for r in unit_tickets(store.conn, actor.unit_id, store.now())
    ]


def ticket_view(store: Store, actor: Actor, number: str) -> dict[str, Any]:
    """One of the unit's tickets with its timeline. The caller's phone is never included:
    phone and ID numbers in the caller's words and in the hotline's notes are masked."""
    require_liaison(actor)
    conn = store.conn
    row = get_ticket(conn, number)
    require_unit_of(conn, actor, row)
    phones = (row["caller_phone"], row["callback_phone"])

    def masked(text: str) -> str:
        return mask_personal(text, phones)

    return {
        "number": row["number"],
        "state": row["state"],
        "state_label": State(row["state"]).label,
        "caller": "（保密）" if row["confidential"] else (row["caller_name"] or "来电人"),
        "incident_110": row["incident_110"],
        "address": row["address"],
        "content": masked(row["content"]),
        "request": masked(row["request"]),
        "timeline": [
            {
                "at": to_text(item.at),
                "actor_name": item.actor_name,
                "actor_role": item.actor_role,
                "action": item.action,
                "detail": masked(item.detail),
            }
            for item in timeline(conn, row["id"])
        ],
    }


ACTIONS: dict[str, str] = {
    "sign": "已签收",
    "contact": "已记录联系",
    "return": "已申请退单",
    "extend": "已申请延期",
    "reply": "已答复",
}


def act(store: Store, actor: Actor, number: str, action: str, fields: dict[str, Any]) -> str:
    """Run one liaison action on a ticket of theirs, in one transaction; return the
    ticket's number."""
    require_liaison(actor)
    if action not in ACTIONS:
        raise InvalidInput(f"未知操作：{action!r}", field="action")
    with transaction(store.conn):
        return _act(store, actor, number, action, fields)


def _act(store: Store, actor: Actor, number: str, action: str, fields: dict[str, Any]) -> str:
    row = get_ticket(store.conn, number)
    require_unit_of(store.conn, actor, row)

    def text(name: str, label: str) -> str:
        value = fields.get(name, "")
        if not isinstance(value, str):
            raise InvalidInput(f"{label}应为文字。", field=name)
        return value

    ticket = row["id"]
    if action == "sign":
        workflow.sign(store, actor, ticket)
    elif action == "contact":
        workflow.contact(store, actor, ticket, text("note", "联系情况"))
    elif action == "return":
        workflow.request_return(store, actor, ticket, text("basis", "退单依据"))
    elif action == "extend":
        until = parse_due(text("until", "新期限"), field="until")
        workflow.request_extension(store, actor, ticket, text("reason", "延期理由"), until)
    else:
        workflow.reply(store, actor, ticket, text("text", "答复内容"), text("basis", "办理依据"))
    return row["number"]


class UnitApi:
    """A liaison logged in at the central server's unit API: the same views and actions,
    over HTTP. Raises :class:`~store.sync.client.Offline` or
    :class:`~store.sync.client.Refused`."""

    def __init__(self, url: str, agent_id: str, password: str):
        self._central = Central(url)
        self._central.token = login(self._central, agent_id, password)["token"]

    def my_tickets(self) -> list[dict[str, Any]]:
        """As :func:`my_tickets`, from the server."""
        return self._central.get("/v1/unit/tickets")["tickets"]

    def ticket_view(self, number: str) -> dict[str, Any]:
        """As :func:`ticket_view`, from the server."""
        return self._central.get(f"/v1/unit/tickets/{number}")

    def act(self, number: str, action: str, fields: dict[str, Any]) -> tuple[str, str]:
        """As :func:`act`, at the server: the ticket's number and what was done."""
        done = self._central.post(f"/v1/unit/tickets/{number}/{action}", fields)
        return done["number"], done["message"]

    def __enter__(self) -> UnitApi:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._central.close()
