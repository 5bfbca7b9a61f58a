"""Every command of the ticket workflow (domain.md §3), as plain functions.

Each takes the :class:`~store.seat.Store`, the acting :class:`~store.roles.Actor` and the
ticket id, checks state and role, and writes one event — or raises a
:class:`~store.errors.DomainError` and writes nothing.
"""

from store.workflow.closing import archive, callback, redo
from store.workflow.intake import (
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
from store.workflow.oversight import escalate, note, reveal_caller, supervise, urge
from store.workflow.routing import (
    decide_extension,
    decide_return,
    dispatch,
    preview_dispatch,
    redispatch,
    review,
)
from store.workflow.unit_side import contact, reply, request_extension, request_return, sign

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
