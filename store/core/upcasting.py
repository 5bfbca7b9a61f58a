"""Reading old events in today's shape.

The log is kept for ever and every seat holds a copy, so an event written years ago by a
seat long since upgraded must still be read. Each event carries the version of its type's
payload it was written in; when a payload changes, its context bumps the version and
registers a step from the old shape to the new (:func:`upcaster`). Events are stored as
written; every reader that interprets a payload (the projector, the timeline, the server's
judge) reads it through :func:`upcast`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from store.core.events import Event

Payload = dict[str, Any]
Step = Callable[[Payload], Payload]

# (event type, version it reads) → the step that returns the payload of the next version.
_STEPS: dict[tuple[str, int], Step] = {}


def upcaster(event_type: str, from_version: int) -> Callable[[Step], Step]:
    """Decorator: a step reading ``event_type``'s payload of ``from_version`` and returning
    the payload of ``from_version + 1``. Steps are registered in order, without gaps."""

    def register(fn: Step) -> Step:
        if from_version != current_version(event_type):
            raise ValueError(f"{event_type}: upcaster from v{from_version} out of order")
        _STEPS[(event_type, from_version)] = fn
        return fn

    return register


def current_version(event_type: str) -> int:
    """The version a new ``event_type`` event is written in."""
    version = 1
    while (event_type, version) in _STEPS:
        version += 1
    return version


def upcast(event: Event) -> Event:
    """``event`` with its payload in the current version of its type (itself if it is)."""
    version, payload = event.version, event.payload
    step = _STEPS.get((event.type, version))
    if step is None:
        return event
    payload = dict(payload)  # the steps may change it; the stored event stays as written
    while step is not None:
        payload = step(payload)
        version += 1
        step = _STEPS.get((event.type, version))
    return dataclasses.replace(event, version=version, payload=payload)
