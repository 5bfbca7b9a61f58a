"""Calls as the seat's link with the telephone switch reports them: each fact recorded once,
the caller's number made into one a seat works with, and the call a ticket was taken on."""

from __future__ import annotations

from store.calls import read
from store.calls.commands import (
    CallSeen,
    abandoned,
    answered,
    ended,
    offered,
    takes_calls,
)
from store.calls.numbers import CallerNumber, from_switch
from store.calls.read import TicketCall
from store.core.seat import Store
from store.reports.calls import CallCounts

__all__ = [
    "CallCounts",
    "CallSeen",
    "CallerNumber",
    "TicketCall",
    "abandoned",
    "answered",
    "ended",
    "from_switch",
    "offered",
    "takes_calls",
    "ticket_call",
]


def ticket_call(store: Store, ticket_id: str) -> TicketCall | None:
    """The call ``ticket_id`` was registered on, if the switch popped it."""
    return read.ticket_call(store.conn, ticket_id)
