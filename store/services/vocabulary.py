"""The words, codes and formats a front end shows: the store's published language.

Labels of states, lights, channels and clocks; how a ticket number is read aloud; how a
phone number is masked; how a typed deadline is read. A front end shows these and decides
nothing with them.
"""

from __future__ import annotations

from store.core.clock import from_text, to_text
from store.core.errors import DomainError
from store.core.privacy import mask_personal
from store.core.validation import CONTENT_MAX, mask_phone
from store.directory.choices import Choice, match
from store.kb.vocabulary import FEEDBACK, STATUSES, VISIBILITIES
from store.tickets.deadlines import Light, Limit, parse_due
from store.tickets.numbers import format_for_reading
from store.tickets.states import OPEN, TRANSITIONS, State
from store.tickets.vocabulary import (
    CHANNELS,
    CLOCK_KINDS,
    EMERGENCY_LINES,
    GENDERS,
    TRANSFER_MODES,
    TYPES,
    URGENCIES,
)

__all__ = [
    "CHANNELS",
    "CLOCK_KINDS",
    "CONTENT_MAX",
    "EMERGENCY_LINES",
    "FEEDBACK",
    "GENDERS",
    "OPEN",
    "STATUSES",
    "TRANSFER_MODES",
    "TYPES",
    "URGENCIES",
    "VISIBILITIES",
    "Choice",
    "Light",
    "State",
    "action_label",
    "format_for_reading",
    "from_text",
    "limit_label",
    "mask_personal",
    "mask_phone",
    "match",
    "parse_due",
    "to_text",
]


def action_label(event_type: str) -> str:
    """What an event did, in Chinese (``ticket.urged`` → 催办); unknown types as they are."""
    transition = TRANSITIONS.get(event_type)
    return transition.label if transition else event_type


def limit_label(rule: str) -> str:
    """A time limit's rule in words (``5wd`` → 5 个工作日); an unreadable rule as it is."""
    try:
        return Limit.parse(rule).label
    except DomainError:
        return rule
