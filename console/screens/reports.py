"""Reports (报表) for supervisors: pick a day, a week, a month or a range, read the bulletin's
tables, export them to an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from console.text import safe_text
from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import reports
from store.services.reports import Bulletin, Row

KINDS = [("月报", "month"), ("周报", "week"), ("日报", "day"), ("区间", "range")]
HINTS = {"month": "年-月，如 2026-10", "week": "年-W周，如 2026-W43", "day": "年-月-日"}


def _change(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    return Text(f"{value:+.1%}", style="red" if value > 0 else "green")


class ReportsScreen(Screen):
    """The bulletin of a period on screen, and its export."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="reports.back"),
        Binding("f5", "run", "统计", id="reports.run"),
        Binding("f8", "export", "导出 Excel", id="reports.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.made: Bulletin | None = None

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Horizontal(id="report-period"):
            yield Select(KINDS, value="month", allow_blank=False, id="report-kind", compact=True)
            yield Input(placeholder=HINTS["month"], id="report-value", compact=True)
            yield Input(placeholder="截止 年-月-日", id="report-last", compact=True)
        yield Static("", id="report-status")
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-tables")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report-last", Input).display = False
        self.query_one("#report-value", Input).focus()
        self.open_this_month()

    @work(exclusive=True, group="report")
    async def open_this_month(self) -> None:
        """Start on the month so far: what a supervisor asks for most."""
        wanted = await self.app.backend.call(reports.this_month)
        self.query_one("#report-value", Input).value = f"{wanted.first:%Y-%m}"
        self._status(f"正在统计 {wanted.label}…", "dim")
        await self._show(wanted)

    @on(Select.Changed, "#report-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        value = self.query_one("#report-value", Input)
        value.placeholder = HINTS.get(kind, "起始 年-月-日")
        self.query_one("#report-last", Input).display = kind == "range"

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        """Count the period typed (F5)."""
        kind = str(self.query_one("#report-kind", Select).value)
        value = self.query_one("#report-value", Input).value
        last = self.query_one("#report-last", Input).value
        try:
            wanted = reports.period(kind, value, first=value, last=last)
        except DomainError as exc:
            self._status(exc.message, "bold red")
            return
        self._status(f"正在统计 {wanted.label}…", "dim")
        self.run_report(wanted)

    @work(exclusive=True, group="report")
    async def run_report(self, wanted: reports.Period) -> None:
        """Make the bulletin on the store's thread and show it."""
        await self._show(wanted)

    async def _show(self, wanted: reports.Period) -> None:
        self.made = await self.app.backend.call(reports.make, wanted)
        if self.made.empty:
            self._status(f"{wanted.label}没有受理工单。", "bold yellow")
        else:
            self._status(f"{wanted.label} · 截至 {self.made.now:%Y-%m-%d %H:%M} · F8 导出", "dim")
        self.query_one("#report-tables", Static).update(_render(self.made))

    @work(exclusive=True, group="report-export")
    async def action_export(self) -> None:
        """Export the bulletin on screen to an .xlsx file (F8), asking where."""
        from console.screens.outcomes import TextDialog

        if self.made is None:
            self.app.notify("请先按 F5 统计。", severity="warning", markup=False)
            return
        default = str(
            Path.home() / f"12345报表-{self.made.period.first}-{self.made.period.last}.xlsx"
        )
        answer = await self.app.push_screen_wait(
            TextDialog("导出 Excel：保存到", "文件路径，以 .xlsx 结尾", default, required=True)
        )
        if answer is None:
            return
        path = Path(answer).expanduser()
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            saved = await self.app.backend.call(reports.save_workbook, self.made, path)
        except OSError as error:
            self.app.notify(f"无法写入 {path}：{error.strerror}", severity="error", markup=False)
            return
        self.app.notify(f"已导出到 {saved}", title="已导出", markup=False)

    def _status(self, message: str, style: str) -> None:
        self.query_one("#report-status", Static).update(Text(message, style=style))


def _calls_by_hour(b: Bulletin) -> Table:
    table = Table(title="话务（按小时）", title_justify="left", box=None)
    for column in ("时段", "来电", "接通", "放弃", "接通率", "15秒接通率", "平均等待（秒）"):
        table.add_column(column, justify="left" if column == "时段" else "right")
    for hour, c in enumerate(b.calls_by_hour):
        if c.offered:
            table.add_row(
                f"{hour:02d}时",
                str(c.offered),
                str(c.answered),
                str(c.abandoned),
                reports.rate_text(c.answer_rate, 1),
                reports.rate_text(c.answered_within_15s_rate, 1),
                reports.indicator_text("mean_wait_seconds", c.mean_wait_seconds),
            )
    return table


def _render(b: Bulletin) -> Group:
    h = b.headline
    head = Text(f"{b.period.label}：受理 {h.registered} 件（环比 ", style="bold")
    head.append_text(_change(h.change))
    head.append("，同比 ")
    head.append_text(_change(h.change_year))
    head.append(
        f"）；直接答复 {h.answered_directly} 件，派单 {h.dispatched} 件，转专席 {h.to_desk} 件，"
        f"转110等 {h.transferred} 件，不予受理 {h.not_accepted} 件，并单 {h.merged} 件。"
    )
    indicators = Table(title="指标", title_justify="left", box=None)
    indicators.add_column("指标")
    indicators.add_column("数值", justify="right")
    for key, label in reports.LABELS.items():
        indicators.add_row(label, reports.indicator_text(key, getattr(h.indicators, key)))
    parts = [head, Text(reports.calls_text(h.calls)), Text(""), indicators, _calls_by_hour(b)]
    for title, rows in (
        ("来源渠道", b.by_channel),
        ("诉求类型", b.by_type),
        ("诉求分类（一级）", b.by_topic),
        ("热点问题", b.hot_topics),
    ):
        parts.append(_breakdown(title, rows))
    league = Table(title="责任单位", title_justify="left", box=None)
    for column in ("分组", "责任单位", "工单总量", "超期未办", "按期办结率", "回访满意率"):
        league.add_column(column, justify="left" if column in ("分组", "责任单位") else "right")
    for u in b.units:
        league.add_row(
            u.group,
            safe_text(u.name, 20),
            str(u.total),
            Text(str(u.overdue_open), style="bold red" if u.overdue_open else ""),
            reports.rate_text(u.on_time_rate),
            reports.rate_text(u.satisfaction_rate),
        )
    parts.append(league)
    overdue = Table(title="超期未办（按受理月份）", title_justify="left", box=None)
    overdue.add_column("责任单位")
    for month in b.overdue.months:
        overdue.add_column(month, justify="right")
    for _unit, name, by_month in b.overdue.rows:
        overdue.add_row(safe_text(name, 20), *(str(by_month.get(m, 0)) for m in b.overdue.months))
    parts.append(overdue)
    e = b.exchange
    parts.append(
        Text(
            f"企业诉求 {b.business[0]} 件，满意率 {reports.rate_text(b.business[1])}；"
            f"12345 转 110 {e.to_110} 件，110 转入 {e.from_110} 件"
            f"（按期办结率 {reports.rate_text(e.from_110_on_time_rate)}，满意率 "
            f"{reports.rate_text(e.from_110_satisfaction_rate)}）。"
        )
    )
    if b.cases:
        cases = Table(title="典型案例（超期未办）", title_justify="left", box=None)
        for column in ("工单号", "受理", "分类", "诉求", "承办单位", "期限"):
            cases.add_column(column)
        for c in b.cases:
            cases.add_row(c.number, c.registered, c.topic, safe_text(c.content, 40), c.unit, c.due)
        parts.append(cases)
    return Group(*(p for part in parts for p in (part, Text(""))))


def _breakdown(title: str, rows: list[Row]) -> Table:
    table = Table(title=title, title_justify="left", box=None)
    for column in ("名称", "件数", "占比", "环比", "同比"):
        table.add_column(column, justify="left" if column == "名称" else "right")
    for r in rows:
        table.add_row(
            safe_text(r.name, 16),
            str(r.count),
            reports.rate_text(r.share),
            _change(r.change),
            _change(r.change_year),
        )
    return table
