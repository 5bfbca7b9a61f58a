"""One ticket: its fields, units, clocks with lights, and the full timeline (who, when, what, why)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from console.text import safe_text, strip_controls
from console.widgets.lights import light_text
from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import session, tickets
from store.services.tickets import TicketDetail
from store.services.vocabulary import CLOCK_KINDS, format_for_reading, limit_label, mask_phone


class DetailScreen(Screen):
    """One ticket: its fields, clocks with lights, and the whole timeline; notes and, for the
    roles allowed, the caller's number."""

    BINDINGS = [
        Binding("escape", "back", "返回", id="detail.back"),
        Binding("f4", "note", "添加备注", id="detail.note"),
        Binding("f6", "reveal", "查看号码", id="detail.reveal"),
    ]

    def __init__(self, ticket_id: str):
        super().__init__()
        self.ticket_id = ticket_id
        self.detail: TicketDetail | None = None

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with VerticalScroll(id="detail"):
            yield Static("正在读取…", id="detail-head")
            yield Static("", id="detail-fields")
            yield Label(Text("时限", style="bold"))
            yield DataTable(id="clocks", cursor_type="none")
            yield Label(Text("流转记录（↑↓ 选中一条，下方显示全文）", style="bold"))
            yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
            yield Static("", id="timeline-full")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#clocks", DataTable).add_columns(
            "时限", "规则", "开始", "期限", "结束", "状态"
        )
        self.query_one("#timeline", DataTable).add_columns("时间", "人员", "角色", "动作", "内容")
        self.load()

    @work(exclusive=True, group="detail")
    async def load(self) -> None:
        """Read the ticket and show it (a ticket that cannot be read is said so)."""
        try:
            detail = await self.app.backend.call(tickets.detail, self.ticket_id)
        except DomainError as exc:
            self.query_one("#detail-head", Static).update(Text(exc.message, style="bold red"))
            return
        self.detail = detail
        self._show(detail)

    def _show(self, d: TicketDetail, phone: str | None = None) -> None:
        head = Text.assemble(
            (f"工单 {format_for_reading(d.number)}  ", "bold"),
            (d.state.label, "bold reverse"),
            "  ",
            light_text(d.light),
            f"  受理 {d.registered_at:%Y-%m-%d %H:%M} {d.registered_by}  来电 ",
            (phone or mask_phone(d.caller_phone), "bold" if phone else ""),
        )
        self.query_one("#detail-head", Static).update(head)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for label, value in d.fields:
            grid.add_row(label, Text(strip_controls(value)))
        for role, unit in d.units:
            grid.add_row(f"{role}单位", Text(unit))
        self.query_one("#detail-fields", Static).update(grid)
        clocks = self.query_one("#clocks", DataTable)
        clocks.clear()
        for c in d.clocks:
            clocks.add_row(
                CLOCK_KINDS.get(c.kind, c.kind),
                limit_label(c.rule),
                f"{c.started_at:%m-%d %H:%M}",
                f"{c.due_at:%m-%d %H:%M}",
                f"{c.stopped_at:%m-%d %H:%M}" if c.stopped_at else "",
                _clock_state(c),
            )
        timeline = self.query_one("#timeline", DataTable)
        timeline.clear()
        for i, e in enumerate(d.timeline):
            timeline.add_row(
                f"{e.at:%m-%d %H:%M}",
                safe_text(e.actor_name, 12),
                e.actor_role,
                e.action,
                safe_text(e.detail, 90),
                key=str(i),
            )

    @on(DataTable.RowHighlighted, "#timeline")
    def _full_entry(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted entry's whole text: the table has room for its start only."""
        if self.detail is None or event.row_key.value is None:
            return
        entry = self.detail.timeline[int(event.row_key.value)]
        text = Text.assemble((f"{entry.at:%m-%d %H:%M} {entry.action}：", "bold"))
        text.append_text(safe_text(entry.detail))
        self.query_one("#timeline-full", Static).update(text)

    def action_back(self) -> None:
        """Back to the list the ticket was opened from."""
        self.app.pop_screen()

    @work(exclusive=True, group="write")
    async def action_note(self) -> None:
        """Ask for a note (F4) and add it to the ticket's timeline."""
        from console.screens.outcomes import TextDialog

        text = await self.app.push_screen_wait(
            TextDialog("添加备注", "如 来电人下午再次来电询问进度")
        )
        if text is None:
            return
        try:
            await self.app.backend.call(tickets.note, self.app.actor, self.ticket_id, text)
        except DomainError as exc:
            self.app.notify(exc.message, title="备注未保存", severity="error", markup=False)
            return
        self.load()

    @work(exclusive=True, group="write")
    async def action_reveal(self) -> None:
        """Ask why (F6), reveal the caller's number (the reveal is logged) and show it here."""
        from console.screens.outcomes import TextDialog

        reason = await self.app.push_screen_wait(
            TextDialog("查看完整号码：请说明理由（将被记录）", "如 回访拨号")
        )
        if reason is None or self.detail is None:
            return
        try:
            phone = await self.app.backend.call(
                tickets.reveal_caller, self.app.actor, self.ticket_id, reason
            )
        except DomainError as exc:
            self.app.notify(exc.message, title="不能查看", severity="error", markup=False)
            return
        self.detail = await self.app.backend.call(tickets.detail, self.ticket_id)
        self._show(self.detail, phone)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "reveal":
            return self.app.actor is not None and session.may_reveal(self.app.actor)
        return True


def _clock_state(clock) -> Text:
    """A clock's light, or that a window (the return window) has lapsed: not overdue work."""
    if clock.light is None:
        return Text("已结束", style="dim")
    if clock.lapsed:
        return Text("已过，不能再退单", style="dim")
    return light_text(clock.light)
