"""Urging (催办) and supervising (督办) from any list of tickets.

A screen mixes this in and says which ticket is highlighted (``oversight_target``); the keys
are shown only to the roles the workflow lets urge or supervise.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.binding import Binding

from store import workflow
from store.errors import DomainError
from store.states import TRANSITIONS

OVERSIGHT_BINDINGS = [
    Binding("ctrl+u", "urge", "催办", id="list.urge"),
    Binding("ctrl+d", "supervise", "督办", id="list.supervise"),
]
_EVENTS = {"urge": "ticket.urged", "supervise": "ticket.supervised"}


class OversightKeys:
    """Mixin for a Screen with a ticket list."""

    def oversight_target(self) -> str | None:
        raise NotImplementedError

    def after_oversight(self) -> None:
        """Called after a successful urge or supervise (e.g. to reload the list)."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        event = _EVENTS.get(action)
        actor = self.app.actor
        return not (event and actor and actor.role not in TRANSITIONS[event].roles)

    def action_urge(self) -> None:
        self._oversee(workflow.urge, "催办：对承办单位说的话", "如 来电人再次来电，请尽快办理")

    def action_supervise(self) -> None:
        self._oversee(workflow.supervise, "督办通知", "如 超期未办结，列入督办")

    @work(exclusive=True, group="oversight")
    async def _oversee(self, command: Callable, title: str, hint: str) -> None:
        from console.screens.outcomes import TextDialog

        ticket_id = self.oversight_target()
        if ticket_id is None:
            return
        text = await self.app.push_screen_wait(TextDialog(title, hint))
        if text is None:
            return
        try:
            await self.app.backend.call(command, self.app.actor, ticket_id, text)
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self.app.notify(f"已{TRANSITIONS[_EVENTS[command.__name__]].label}。", markup=False)
        self.after_oversight()
