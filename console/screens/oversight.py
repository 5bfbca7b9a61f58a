"""Urging (催办), supervising (督办) and escalating (提级办理) from any list of tickets.

A screen mixes this in and says which ticket is highlighted (``oversight_target``) and its
state (``oversight_state``); each key is offered only to the roles the workflow lets do it,
and shown dimmed on a ticket whose state does not allow it (a ticket waiting for a callback
is no longer the unit's to be urged).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.binding import Binding

from store import DomainError
from store.services import session, tickets
from store.services.vocabulary import State, action_label

OVERSIGHT_BINDINGS = [
    Binding("ctrl+u", "urge", "催办", id="list.urge"),
    Binding("ctrl+d", "supervise", "督办", id="list.supervise"),
    Binding("ctrl+e", "escalate", "提级", id="list.escalate"),
]
_EVENTS = {"urge": "ticket.urged", "supervise": "ticket.supervised", "escalate": "ticket.escalated"}
_ASK = {
    "urge": ("催办：对承办单位说的话", "如 来电人再次来电，请尽快办理", False),
    "supervise": ("督办通知", "如 超期未办结，列入督办", True),
    "escalate": ("提级办理：理由", "如 涉及多个部门，提交上级单位统筹", True),
}


class OversightKeys:
    """Mixin for a Screen with a ticket list."""

    def oversight_target(self) -> str | None:
        """The id of the highlighted ticket, or None."""
        raise NotImplementedError

    def oversight_state(self) -> State | None:
        """The highlighted ticket's state (None: nothing highlighted)."""
        return None

    def after_oversight(self) -> None:
        """Called after a successful urge, supervision or escalation (e.g. to reload)."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        event = _EVENTS.get(action)
        if event is None:
            return True
        if self.app.actor is None:
            return True
        # False: never this role's, not offered at all; None: not for this ticket, dimmed.
        return session.may(self.app.actor, event, self.oversight_state())

    def action_urge(self) -> None:
        """Urge the unit (Ctrl+U) with a message."""
        self._oversee(tickets.urge, "urge")

    def action_supervise(self) -> None:
        """Send a formal supervision notice (Ctrl+D)."""
        self._oversee(tickets.supervise, "supervise")

    def action_escalate(self) -> None:
        """Escalate the ticket (Ctrl+E), with the reason."""
        self._oversee(tickets.escalate, "escalate")

    @work(exclusive=True, group="oversight")
    async def _oversee(self, command: Callable, action: str) -> None:
        from console.screens.outcomes import TextDialog

        ticket_id = self.oversight_target()
        if ticket_id is None:
            return
        title, hint, required = _ASK[action]
        text = await self.app.push_screen_wait(TextDialog(title, hint, required=required))
        if text is None:
            return
        try:
            await self.app.backend.call(command, self.app.actor, ticket_id, text)
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self.app.notify(f"已{action_label(_EVENTS[action])}。", markup=False)
        self.after_oversight()
