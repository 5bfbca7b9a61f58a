"""The line under a form field that says, in Chinese, what is wrong with it."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class FieldError(Static):
    """Hidden while empty; ``show(message)`` displays the message (as text, never markup)."""

    DEFAULT_CSS = "FieldError { height: auto; color: $error; display: none; }"

    def show(self, message: str) -> None:
        """Show ``message`` under the field, or hide the line if it is empty."""
        self.update(Text(message, style="bold red"))
        self.display = bool(message)


def labelled(label: str, widget: Widget, name: str) -> Vertical:
    """A label beside its field, and the field's error line under both (empty until an error)."""
    return Vertical(
        Horizontal(Label(label, classes="field-label"), widget, classes="field-line"),
        FieldError(id=f"err-{name}", classes="field-error"),
        classes="field",
        id=f"field-{name}",
    )
