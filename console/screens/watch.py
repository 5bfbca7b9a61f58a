"""The supervisor's watch (值班监控): what is open and how late, the urgent tickets, the desks,
the queues waiting for a supervisor, today against yesterday and last week, the indicators of
the shift, the day and the month, the units worst first, and the shift handover.

The figures that move refresh every few seconds on the store's thread; the slower ones (the
comparison and the indicators) every minute. Enter on a unit lists its tickets, where urging,
supervision and escalation work as on every list.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from console.screens.queues import QueueScreen
from console.text import safe_text
from console.widgets.seat_header import SeatHeader
from store import DomainError, Store
from store.services import reports, watch
from store.services.vocabulary import URGENCIES, State, format_for_reading
from store.services.watch import QueueRow

NOW_SECONDS = 10
SLOW_SECONDS = 60
LIGHTS = (
    ("red", "超期", "bold red"),
    ("yellow", "临期", "bold yellow"),
    ("green", "正常", "green"),
)
STATE_NAMES = {
    "return_requested": "退单待审",
    "returned": "待改派",
    "extension_requested": "延期待审",
    "replied": "答复待审",
}


def _age(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时"
    return f"{minutes // 1440} 天"


class WatchScreen(Screen):
    """The night-shift supervisor's home."""

    BINDINGS = [
        Binding("f2", "intake", "接听来电", id="watch.intake"),
        Binding(
            "f4", "hand_over", "交班", tooltip="交接班：写交班摘要和事项", id="watch.hand_over"
        ),
        Binding(
            "f5", "acknowledge", "接班", tooltip="确认接班（他人的交班）", id="watch.acknowledge"
        ),
        Binding("f6", "reports", "报表", id="watch.reports"),
        Binding("f12", "refresh", "刷新", id="watch.refresh"),
        Binding("ctrl+t", "focus_units", "单位", tooltip="承办单位矩阵", id="watch.units"),
    ]

    loaded = False  # the first figures are on the screen (tests and the header wait on it)

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with VerticalScroll(id="watch"):
            with Horizontal(classes="watch-row"):
                yield Static("正在读取…", id="watch-lights", classes="watch-panel")
                yield Static("", id="watch-queues", classes="watch-panel")
                yield Static("", id="watch-handover", classes="watch-panel")
            with Horizontal(classes="watch-row"):
                with Vertical(classes="watch-panel wide"):
                    yield Label(
                        Text(
                            "承办单位（超期多的在前；Ctrl+T 到这里，回车看单位工单）", style="bold"
                        )
                    )
                    yield DataTable(id="watch-units", cursor_type="row", zebra_stripes=True)
                yield Static("", id="watch-desks", classes="watch-panel")
            with Horizontal(classes="watch-row"):
                yield Static("", id="watch-urgent", classes="watch-panel wide")
                with Vertical(classes="watch-panel"):
                    yield Static("", id="watch-days")
                    yield Static("", id="watch-calls-hour")
                    yield Label("今日每小时受理（灰：昨日）", classes="watch-caption")
                    yield Sparkline([], id="watch-hours")
                    yield Static("", id="watch-hour-mark")
                    yield Sparkline([], id="watch-hours-yesterday")
                yield Static("", id="watch-indicators", classes="watch-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#watch-units", DataTable).add_columns(
            "承办单位", "在办", "超期", "临期", "退单/待改派", "超时未签收"
        )
        self.action_refresh()
        self.set_interval(NOW_SECONDS, self.load_now)
        self.set_interval(SLOW_SECONDS, self.load_slow)

    def action_refresh(self) -> None:
        """Read everything again now (F12)."""
        self.load_now()
        self.load_slow()

    @work(exclusive=True, group="watch-now")
    async def load_now(self) -> None:
        """The figures that move: lights, queues, desks, urgent tickets, units, handover."""
        figures, handover, seen = await self.app.backend.call(
            lambda store: (watch.now(store), watch.last_handover(store), watch.seats_seen(store))
        )
        self._show_now(figures, seen)
        self._show_handover(handover)
        self.loaded = True

    @work(exclusive=True, group="watch-slow")
    async def load_slow(self) -> None:
        """The comparison of days and the indicators (a minute apart is soon enough)."""
        days, spans = await self.app.backend.call(
            lambda store: (watch.days(store), watch.spans(store))
        )
        self._show_days(days)
        self._show_indicators(spans)

    # panels ----------------------------------------------------------------------------

    def _show_now(self, n: watch.Now, seen: watch.SeatsSeen | None) -> None:
        grid = Table(title="在办时效", title_justify="left", expand=True, box=None)
        grid.add_column("紧急程度")
        for _key, label, style in LIGHTS:
            grid.add_column(Text(label, style=style), justify="right")
        for code, label in URGENCIES.items():
            by = n.by_light.get(code, {})
            grid.add_row(label, *(str(by.get(key, 0)) for key, _l, _s in LIGHTS))
        grid.add_row(
            Text("合计", style="bold"),
            *(Text(str(n.count(key)), style="bold") for key, _l, _s in LIGHTS),
        )
        self.query_one("#watch-lights", Static).update(grid)

        queues = Text("待办队列\n", style="bold")
        for state, label in STATE_NAMES.items():
            queues.append(f"{label} {n.review.get(state, 0)}  ", style="")
        if n.review_oldest is not None:
            queues.append(f"\n最早一件已等 {_age((n.at - n.review_oldest).total_seconds())}")
        queues.append(f"\n待回访 {n.callbacks_due}  ")
        queues.append(
            f"回访超期 {n.callbacks_overdue}", style="bold red" if n.callbacks_overdue else ""
        )
        queues.append(f"  未接通待重拨 {n.callbacks_not_reached}")
        queues.append(
            f"\n同步被拒事件 {n.rejected_events}", style="bold red" if n.rejected_events else ""
        )
        if seen is None:
            queues.append("  中心所见座席：未连中心", style="dim")
        else:
            when = f"（{seen.at:%H:%M}）" if seen.at else ""
            queues.append(f"  中心所见座席：5 分钟内 {seen.count} 个{when}")
        self.query_one("#watch-queues", Static).update(queues)

        desks = Table(title="专席", title_justify="left", expand=True, box=None)
        for column in ("专席", "在岗", "排队", "最久"):
            desks.add_column(column, justify="left" if column == "专席" else "right")
        for d in n.desks:
            oldest = _age((n.at - d.oldest_since).total_seconds()) if d.oldest_since else "—"
            on_duty = Text(f"{d.on_duty}/{d.specialists}", style="" if d.on_duty else "dim")
            waiting = Text(str(d.waiting), style="bold red" if d.waiting and not d.on_duty else "")
            desks.add_row(safe_text(d.name, 12), on_duty, waiting, oldest)
        self.query_one("#watch-desks", Static).update(desks)

        urgent = Table(title="紧急、特急在办", title_justify="left", expand=True, box=None)
        for column in ("工单号", "紧急", "状态", "已过", "承办单位"):
            urgent.add_column(column)
        for u in n.urgent:
            style = "bold red" if u.urgency == "critical" else ""
            urgent.add_row(
                format_for_reading(u.number),
                Text(URGENCIES.get(u.urgency, u.urgency), style=style),
                State(u.state).label if u.state in State._value2member_map_ else u.state,
                _age((n.at - u.registered_at).total_seconds()),
                safe_text(u.unit, 14),
            )
        if not n.urgent:
            urgent.add_row(Text("没有紧急、特急在办工单", style="dim"), "", "", "", "")
        self.query_one("#watch-urgent", Static).update(urgent)

        table = self.query_one("#watch-units", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for u in n.units:
            table.add_row(
                safe_text(u.name, 24),
                str(u.open),
                Text(str(u.red), style="bold red" if u.red else "dim"),
                Text(str(u.yellow), style="bold yellow" if u.yellow else "dim"),
                str(u.returned),
                Text(str(u.sign_overdue), style="bold red" if u.sign_overdue else "dim"),
                key=u.unit_id,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _show_days(self, days: list[watch.DayFigures]) -> None:
        grid = Table(title="今日与昨日、上周同日（同一时刻）", title_justify="left", box=None)
        grid.add_column("", no_wrap=True)
        for label, day in zip(("今日", "昨日", "上周同日"), days, strict=False):
            grid.add_column(f"{label}\n{day.day[5:]}", justify="right", no_wrap=True)
        for key, label, _sql in watch.FLOW:
            grid.add_row(label, *(str(day.figures[key]) for day in days))
        grid.add_row("来电", *(str(day.calls.offered) for day in days))
        grid.add_row("放弃", *(str(day.calls.abandoned) for day in days))
        grid.add_row(
            "15秒接通率", *(reports.rate_text(d.calls.answered_within_15s_rate, 1) for d in days)
        )
        self.query_one("#watch-days", Static).update(grid)
        if days:
            self._show_hour(days[0])
        if days:
            self.query_one("#watch-hours", Sparkline).data = days[0].per_hour
            self._mark_hour(days[0].until.hour)
        if len(days) > 1:
            self.query_one("#watch-hours-yesterday", Sparkline).data = days[1].per_hour

    def _show_hour(self, today: watch.DayFigures) -> None:
        """This hour's calls: the figure a supervisor moves seats for."""
        hour = today.until.hour
        c = today.calls_per_hour[hour]
        text = Text(f"本小时（{hour}时）来电 {c.offered}", style="bold")
        text.append(
            f" · 接通率 {reports.rate_text(c.answer_rate, 1)}"
            f" · 15秒接通率 {reports.rate_text(c.answered_within_15s_rate, 1)}"
            f" · 放弃 {c.abandoned}"
        )
        self.query_one("#watch-calls-hour", Static).update(text)

    def _mark_hour(self, hour: int) -> None:
        """A ▲ under the current hour's bar of today's chart (24 bars across its width)."""
        width = self.query_one("#watch-hours", Sparkline).size.width or 24
        at = min(width - 1, int((hour + 0.5) * width / 24))
        label = f"▲ {hour}时"
        if at + cell_len(label) <= width:
            text = " " * at + label
        else:  # near the right edge: the words before the mark
            words = f"{hour}时 ▲"
            text = " " * max(0, at - cell_len(words) + 1) + words
        self.query_one("#watch-hour-mark", Static).update(Text(text, style="bold"))

    def _show_indicators(self, spans: watch.Spans) -> None:
        grid = Table(
            title=f"指标（本班自 {spans.shift_since:%H:%M} 起；等待以秒、时长以小时计）",
            title_justify="left",
            box=None,
            expand=True,
        )
        grid.add_column("", no_wrap=True)
        for column in ("本班", "今日", "本月"):
            grid.add_column(column, justify="right", no_wrap=True)
        for key, label in watch.LABELS.items():
            values = (getattr(s, key) for s in (spans.shift, spans.day, spans.month))
            shown = (reports.indicator_text(key, v, digits=1) for v in values)
            grid.add_row(label.removesuffix("（小时）").removesuffix("（秒）"), *shown)
        self.query_one("#watch-indicators", Static).update(grid)

    def _show_handover(self, h: watch.Handover | None) -> None:
        text = Text("交接班\n", style="bold")
        if h is None:
            text.append("还没有交接记录。F4 写交班摘要。", style="dim")
        else:
            when = f"{h.at:%m-%d %H:%M}" if h.at else "—"
            text.append(f"{h.by} 于 {when} 交班")
            if h.acknowledged_at:
                text.append(
                    f"，{h.acknowledged_by} 已于 {h.acknowledged_at:%m-%d %H:%M} 接班",
                    style="green",
                )
            else:
                text.append("，尚未确认接班（F5 接班）", style="bold yellow")
            if h.notes:
                text.append("\n交接事项：", style="bold")
                text.append(safe_text(h.notes, 300))
            if h.ack_note:
                text.append("\n接班意见：", style="bold")
                text.append(safe_text(h.ack_note, 200))
        self.query_one("#watch-handover", Static).update(text)

    # actions ---------------------------------------------------------------------------

    def action_intake(self) -> None:
        """Take a call (F2): the intake screen over the watch; F1 comes back to the watch."""
        from console.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen())

    def action_reports(self) -> None:
        """Open the reports screen (F6)."""
        from console.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen())

    def action_focus_units(self) -> None:
        """Move to the units matrix."""
        self.query_one("#watch-units", DataTable).focus()

    @on(DataTable.RowSelected, "#watch-units")
    def _open_unit(self, event: DataTable.RowSelected) -> None:
        name = str(event.data_table.get_row(event.row_key)[0])
        self.app.push_screen(UnitTicketsScreen(event.row_key.value, name))

    @work(exclusive=True, group="watch-write")
    async def action_hand_over(self) -> None:
        """Write the handover (F4): the shift's figures go with it, the notes are asked."""
        from console.screens.outcomes import TextDialog

        notes = await self.app.push_screen_wait(
            TextDialog(
                "交班：需要下一班跟进的事项",
                "如 南浦区住建局 3 件超期已电话催办，明早再催",
                required=True,
                context=Text("本班的受理、超期、待审、待回访等数字会自动写入交班摘要。"),
            )
        )
        if notes is not None:
            await self._write(
                watch.hand_over, notes, failed="未交班", done="已交班，等待下一班值班长确认。"
            )

    @work(exclusive=True, group="watch-write")
    async def action_acknowledge(self) -> None:
        """Acknowledge the last handover (F5): another supervisor's, once."""
        from console.screens.outcomes import TextDialog

        handover = await self.app.backend.call(watch.last_handover)
        if handover is None or handover.acknowledged_at is not None:
            self.app.notify("没有待确认的交班。", severity="warning", markup=False)
            return
        if handover.by_id == self.app.actor.id:
            self.app.notify(
                "这是您自己的交班，请由下一班值班长确认。", severity="warning", markup=False
            )
            return
        note = await self.app.push_screen_wait(
            TextDialog(
                "接班意见（可空）",
                "如 已知悉，继续跟进",
                context=Text(f"{handover.by} 交班：{handover.notes[:200]}"),
            )
        )
        if note is not None:
            await self._write(
                watch.acknowledge,
                handover.id,
                note,
                failed="未接班",
                done=f"已确认接班（{handover.by} 的交班）。",
            )

    async def _write(self, command, *args, failed: str, done: str) -> None:
        """Run a handover command as the supervisor; say what happened, show the result."""
        try:
            await self.app.backend.call(command, self.app.actor, *args)
        except DomainError as exc:
            self.app.notify(exc.message, title=failed, severity="error", markup=False)
            return
        self.app.notify(done, markup=False)
        self.load_now()


class UnitTicketsScreen(QueueScreen):
    """One handling unit's open tickets, from the watch's matrix: urge, supervise or escalate
    the highlighted one; Enter opens it."""

    TITLE = "单位在办工单"
    EMPTY = "该单位没有在办工单。"
    BINDINGS = [Binding("escape", "app.pop_screen", "返回", id="unit_tickets.back")]

    def __init__(self, unit_id: str, name: str):
        super().__init__()
        self.unit_id = unit_id
        self.unit_name = name

    def heading(self, store: Store) -> str:
        """The unit's name over its list."""
        return f"{self.unit_name} · 在办工单"

    def fetch(self, store: Store) -> tuple[list[QueueRow], ...]:
        """The unit's open tickets."""
        return (watch.unit_tickets(store, self.unit_id),)
