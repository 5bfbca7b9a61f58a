"""The sync link in detail, and the events the central server rejected with its reasons."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from console.text import safe_text
from console.widgets.seat_header import SeatHeader
from console.widgets.sync_status import describe
from store import Store
from store.services import sync
from store.services.vocabulary import action_label, format_for_reading


def _fetch(store: Store) -> tuple[sync.SyncStatus, list[sync.Rejected]]:
    return sync.status(store), sync.rejected(store)


class SyncStatusScreen(Screen):
    """F10: online or not, what waits to be sent, and every rejected event with its reason."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="sync.back"),
        Binding("f5", "sync_now", "立即同步", id="sync.now"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(classes="queue"):
            yield Static("", id="sync-summary")
            yield Static(
                "被中心拒绝的事件（已保留，不再发送；工单以中心为准）", classes="queue-title"
            )
            table = DataTable(id="sync-rejected", cursor_type="row")
            table.add_column("时间", width=19)
            table.add_column("工号", width=8)
            table.add_column("操作", width=12)
            table.add_column("工单号", width=18)
            table.add_column("原因", width=88)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="sync-status")
    async def load(self) -> None:
        """Read the sync state and the refused events and show them."""
        status, rejected = await self.app.backend.call(_fetch)
        summary = describe(status)
        if self.app.calendar_warning:
            summary += f"\n工作日历：{self.app.calendar_warning}"
        self.query_one("#sync-summary", Static).update(Text(summary))
        table = self.query_one("#sync-rejected", DataTable)
        table.clear()
        for item in rejected:
            action = action_label(item.type)
            number = format_for_reading(item.ticket_number) if item.ticket_number else "—"
            table.add_row(
                item.occurred_at[:19].replace("T", " "),
                safe_text(item.actor_id),
                action,
                number,
                safe_text(item.reason),
            )
        if not rejected:
            table.add_row("—", "", "", "", "没有被拒绝的事件")

    def action_sync_now(self) -> None:
        """Start a sync round now."""
        self.app.sync_now()
        self.notify("已开始同步。", markup=False)
        self.set_timer(1.5, self.load)
