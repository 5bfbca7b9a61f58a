"""Every command of the ticket workflow (docs/domain.md §3), as plain functions.

Each takes the :class:`~store.core.seat.Store`, the acting :class:`~store.core.roles.Actor` and the
ticket id, checks state and role, and writes one event — or raises a
:class:`~store.core.errors.DomainError` and writes nothing.
"""

from store.tickets.workflow.closing import archive, callback, redo
from store.tickets.workflow.intake import (
    TicketDraft,
    answer_directly,
    completed_for_merge,
    hand_back,
    merge,
    not_accept,
    register,
    set_duty,
    take,
    transfer_desk,
    transfer_emergency,
)
from store.tickets.workflow.oversight import escalate, note, reveal_caller, supervise, urge
from store.tickets.workflow.routing import (
    decide_extension,
    decide_return,
    dispatch,
    preview_dispatch,
    redispatch,
    review,
)
from store.tickets.workflow.unit_side import contact, reply, request_extension, request_return, sign

__all__ = [
    "TicketDraft",
    "register",
    "completed_for_merge",
    "answer_directly",
    "not_accept",
    "transfer_emergency",
    "transfer_desk",
    "hand_back",
    "take",
    "set_duty",
    "merge",
    "dispatch",
    "preview_dispatch",
    "redispatch",
    "decide_return",
    "decide_extension",
    "review",
    "sign",
    "contact",
    "request_return",
    "request_extension",
    "reply",
    "callback",
    "redo",
    "archive",
    "urge",
    "supervise",
    "escalate",
    "note",
    "reveal_caller",
]
