"""The line under a form field that says, in Chinese, what is wrong with it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FieldError(Static):
    """Hidden while empty; ``show(message)`` displays the message (as text, never markup)."""

    DEFAULT_CSS = "FieldError { height: auto; color: $error; display: none; }"

    def show(self, message: str) -> None:
        self.update(Text(message, style="bold red"))
        self.display = bool(message)
