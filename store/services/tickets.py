"""Finding and reading tickets, from any seat: the search, one ticket's detail and timeline,
notes, revealing the caller's number (logged), and urging, supervising and escalating."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from store.calls.read import ticket_call
from store.core.errors import InvalidInput
from store.core.seat import Store
from store.directory import choices
from store.directory.choices import Choice
from store.tickets.read import search as ticket_search
from store.tickets.read.detail import TicketDetail, ticket_detail
from store.tickets.read.queries import get_ticket
from store.tickets.read.search import SHOWN, Criteria, Found
from store.tickets.workflow import escalate, note, reveal_caller, supervise, urge

__all__ = [
    "SHOWN",
    "Criteria",
    "Found",
    "TicketDetail",
    "criteria",
    "detail",
    "escalate",
    "find",
    "note",
    "resolve",
    "reveal_caller",
    "supervise",
    "units",
    "urge",
]


def criteria(
    *,
    number: str = "",
    phone: str = "",
    words: str = "",
    state: str = "",
    light: str = "",
    date_from: str = "",
    date_to: str = "",
    unit_id: str = "",
) -> Criteria:
    """Search criteria from what was typed; a date not in 年-月-日 form is refused."""
    return Criteria(
        number=number,
        phone=phone,
        words=words,
        state=state,
        light=light,
        date_from=_date(date_from, "起始日期", "date_from"),
        date_to=_date(date_to, "截止日期", "date_to"),
        unit_id=unit_id,
    )


def _date(value: str, label: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{label}应为 年-月-日，如 2026-11-20。", field=field) from None


def find(store: Store, wanted: Criteria) -> list[Found]:
    """Tickets matching ``wanted``, newest first, at most :data:`SHOWN` of them."""
    return ticket_search.search(store.conn, wanted, store.now(), limit=SHOWN)


def units(store: Store) -> list[Choice]:
    """The handling units, for the search's unit picker."""
    return choices.units(store.conn)


def resolve(store: Store, ref: str) -> str:
    """The id of the ticket ``ref`` names: its id, or its number as typed (spaces allowed,
    the check digit verified); an unknown one is refused."""
    return get_ticket(store.conn, ref.strip())["id"]


def detail(store: Store, ticket_id: str) -> TicketDetail:
    """One ticket with its units, clocks and lights, the call it was taken on (if the
    switch popped it) and its whole timeline."""
    found = ticket_detail(store.conn, ticket_id, store.now())
    call = ticket_call(store.conn, ticket_id)
    if call is None:
        return found
    return replace(found, fields=[*found.fields, ("来电记录", call.summary)])
