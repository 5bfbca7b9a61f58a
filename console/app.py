"""The Textual console. Until the intake issue lands it shows the store's state."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from console.screens.status import StatusScreen


class HotlineApp(App):
    """The seat console."""

    CSS_PATH = "hotline.tcss"
    TITLE = "12345 热线座席"
    BINDINGS = [Binding("ctrl+q", "quit", "退出", id="app.quit")]

    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path

    def on_mount(self) -> None:
        self.sub_title = str(self.db_path)
        self.push_screen(StatusScreen(self.db_path))
