"""The caller's history: earlier tickets of the number, open ones first, with lights."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from console.text import safe_text
from console.widgets.lights import light_text
from store.services.intake import CallerHistory
from store.services.vocabulary import OPEN, format_for_reading


class HistoryPanel(Vertical):
    """Shows one caller's tickets; the highlighted one is what "merge" merges into."""

    _contents: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("输入来电号码后显示历史工单", style="dim"), id="history-title")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-preview")

    def on_mount(self) -> None:
        # The light early: on a narrow screen the last columns are the ones cut.
        self.query_one(DataTable).add_columns("工单号", "时效", "状态", "受理时间", "诉求内容")

    def show(self, history: CallerHistory | None) -> None:
        """Show a caller's history (None: nothing typed yet), open tickets first."""
        table = self.query_one(DataTable)
        table.clear()
        self._contents = {t.id: t.content for t in history.tickets} if history else {}
        self.query_one("#history-preview", Static).update("")
        title = self.query_one("#history-title", Static)
        if history is None:
            title.update(Text("输入来电号码后显示历史工单", style="dim"))
            return
        heading = Text(
            f"历史工单 {len(history.tickets)} 件，"
            f"近 {history.window_days} 天 {history.recent_count} 件"
        )
        if history.is_repeat_caller:
            heading.append("  重复来电", style="bold white on red")
        title.update(heading)
        ordered = sorted(
            history.tickets, key=lambda t: t.state not in OPEN
        )  # stable: newest first within
        for t in ordered:
            table.add_row(
                format_for_reading(t.number),
                light_text(t.light),
                Text(t.state.label, style="bold" if t.state in OPEN else "dim"),
                t.registered_at.strftime("%m-%d %H:%M"),
                safe_text(t.content, 40),
                key=t.id,
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted ticket's whole text: the table only has room for its start."""
        content = self._contents.get(event.row_key.value, "")
        self.query_one("#history-preview", Static).update(safe_text(content, 400))

    @property
    def selected_ticket(self) -> str | None:
        """The id of the highlighted earlier ticket, or None."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
