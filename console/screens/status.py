"""The store's state at a glance: counts and the latest tickets (read in a worker)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from console.text import safe_text


class StatusScreen(Screen):
    BINDINGS = [Binding("f5", "refresh", "刷新", id="status.refresh")]

    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取数据库…", id="summary")
        yield DataTable(id="latest", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("工单号", "受理时间", "状态", "诉求内容")
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from store.db import connect
        from store.schema import migrate
        from store.states import State
        from store.summary import summarize
        from store.ticket_numbers import format_for_reading

        conn = connect(self.db_path)
        try:
            migrate(conn)
            summary = summarize(conn)
            rows = conn.execute(
                "SELECT number, registered_at, state, content FROM tickets "
                "ORDER BY registered_at DESC LIMIT 50"
            ).fetchall()
        finally:
            conn.close()
        lines = "  ".join(f"{k.strip()} {v}" for k, v in summary.items())
        cells = [
            (
                format_for_reading(r["number"]),
                r["registered_at"][:16].replace("T", " "),
                State(r["state"]).label,
                safe_text(r["content"], 60),
            )
            for r in rows
        ]
        self.app.call_from_thread(self._show, lines, cells)

    def _show(self, lines: str, cells: list[tuple]) -> None:
        self.query_one("#summary", Static).update(Text(lines))
        table = self.query_one(DataTable)
        table.clear()
        for row in cells:
            table.add_row(*row)
