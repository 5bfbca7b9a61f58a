"""An agent's session at a seat: signing in, where their work starts, what they may open,
and the checks a seat runs on its file once somebody has signed in.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from store.core.clock import Clock, system_clock
from store.core.db import BUSY_TIMEOUT_MS
from store.core.errors import DomainError
from store.core.health import StoreFailure, quick_check
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.directory import commands as directory
from store.tickets import calendar_years
from store.tickets.states import TRANSITIONS

__all__ = [
    "BUSY_TIMEOUT_MS",
    "Clock",
    "Home",
    "SeatCheck",
    "StoreFailure",
    "authenticate",
    "check_seat_file",
    "home_of",
    "may",
    "may_reveal",
    "opens_queue",
    "sign_in",
    "system_clock",
]


class Home(StrEnum):
    """The screen a role's work starts on."""

    INTAKE = "intake"  # takes calls
    WATCH = "watch"  # the supervisor's watch, with intake a key away
    DESK_QUEUE = "desk_queue"
    CALLBACK_QUEUE = "callback_queue"
    KB_EDITOR = "kb_editor"
    SEARCH = "search"  # everyone else reads tickets
    TRAINER = "trainer"  # the trainer's grid of trainees × scenarios


_HOMES: dict[Role, Home] = {
    Role.AGENT: Home.INTAKE,
    Role.SUPERVISOR: Home.WATCH,
    Role.TRAINEE: Home.INTAKE,
    Role.TRAINER: Home.TRAINER,
    Role.DESK: Home.DESK_QUEUE,
    Role.CALLBACK: Home.CALLBACK_QUEUE,
    Role.EDITOR: Home.KB_EDITOR,
    Role.ADMIN: Home.KB_EDITOR,
}

# The screens a role opens besides its home: supervisors review, may call back and come
# back to the watch (F1); callback agents call back.
_QUEUES: dict[str, frozenset[Role]] = {
    "review": frozenset({Role.SUPERVISOR}),
    "callback": frozenset({Role.SUPERVISOR, Role.CALLBACK}),
    "watch": frozenset({Role.SUPERVISOR}),
    "training": frozenset({Role.TRAINEE, Role.TRAINER}),
}


def sign_in(store: Store, agent_id: str, password: str) -> Actor:
    """Sign an agent in at this seat (the proof is kept for the central server); a wrong id
    or password is refused with one message for both."""
    return directory.sign_in(store, agent_id, password)


def authenticate(store: Store, agent_id: str, password: str) -> Actor:
    """Check an agent's password without signing in at the seat (a command-line job)."""
    return directory.authenticate(store.conn, agent_id, password)


def home_of(actor: Actor) -> Home:
    """Where ``actor``'s work starts."""
    return _HOMES.get(actor.role, Home.SEARCH)


def opens_queue(actor: Actor, queue: str) -> bool:
    """Whether ``actor`` may open the ``review`` or ``callback`` queue, or the ``watch``."""
    return actor.role in _QUEUES.get(queue, frozenset())


def may_reveal(actor: Actor) -> bool:
    """Whether ``actor`` may see a caller's number (each time logged with a reason)."""
    return actor.role in TRANSITIONS["ticket.caller_revealed"].roles


def may(actor: Actor, event_type: str, state: object | None = None) -> bool | None:
    """Whether ``actor`` may do ``event_type`` to a ticket in ``state``: False if never (the
    role may not), None if not now (the state does not allow it), True if so. With no state
    (nothing chosen yet) only the role counts."""
    transition = TRANSITIONS[event_type]
    if actor.role not in transition.roles:
        return False
    if state is not None and transition.sources is not None and state not in transition.sources:
        return None
    return True


@dataclass(frozen=True, slots=True)
class SeatCheck:
    """What the check after sign-in found: damage in the file ('' if none) and years the
    working-day calendar only guesses ('' if none)."""

    problem: str
    calendar_warning: str


def check_seat_file(path: Path, clock: Clock = system_clock) -> SeatCheck:
    """SQLite's quick check of the whole file and the calendar's unknown years, on a
    read-only connection of its own (it may run beside the seat's work)."""
    try:
        store = Store.open_readonly(path, clock=clock)
        try:
            problem = quick_check(store.conn) or ""
            gaps = calendar_years.warning(calendar_years.unknown_years(store))
        finally:
            store.close()
    except (sqlite3.Error, DomainError) as error:
        return SeatCheck(str(error), "")
    return SeatCheck(problem, gaps)
