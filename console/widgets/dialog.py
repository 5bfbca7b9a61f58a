"""The one dialog every question to the agent is: F2 confirms, Esc cancels, the answer is
returned to whoever pushed it (``await app.push_screen_wait(dialog)``)."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    """A modal question. Subclasses compose their fields in a ``.dialog`` container, give
    ``action_confirm`` and call ``self.dismiss(answer)``; ``None`` means cancelled."""

    DEFAULT_CSS = "Dialog { align: center middle; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", id="dialog.cancel"),
        Binding("f2", "confirm", "确定", id="dialog.confirm"),
    ]

    def action_confirm(self) -> None:
        """Check the answers and dismiss with the result (each dialog says how)."""
        raise NotImplementedError

    def say_error(self, message: str) -> None:
        """Show what is wrong in the dialog's ``#dialog-error`` line (as text, not markup)."""
        self.query_one("#dialog-error", Static).update(Text(message, style="bold red"))
