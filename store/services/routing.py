"""Sending a ticket to a handling unit: what the dispatch dialog shows before the agent
confirms — the units, the catalogue's suggestion, the deadlines the dispatch will start, what
to mind (returns, the calendar). The dispatch itself is the intake's, desk's or review's
action."""

from __future__ import annotations

from store.tickets.read.dispatch_form import DispatchForm, dispatch_form

__all__ = ["DispatchForm", "dispatch_form"]
