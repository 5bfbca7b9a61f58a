"""The shell's tables: rich tables that measure Chinese by terminal cells, people's words as
data (never markup, no control sequences), lights as 超期/临期/正常 and ticket numbers
grouped for reading aloud, as in the console."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from console.text import due_text, safe_text
from store.services.vocabulary import CLOCK_KINDS, Light, State, format_for_reading

LIGHT_STYLES = {Light.RED: "bold red", Light.YELLOW: "yellow", Light.GREEN: "green"}


def light(value: Light | None) -> Text:
    """超期 / 临期 / 正常, or — without a running clock."""
    if value is None:
        return Text("—", style="dim")
    return Text(value.label, style=LIGHT_STYLES[value])


def number(value: str) -> Text:
    """A ticket number grouped for reading aloud."""
    return Text(format_for_reading(value), style="bold")


def state(value: State | str) -> str:
    """A state's Chinese label."""
    return State(value).label if value in State._value2member_map_ else str(value)


def when(value: datetime | None) -> str:
    """A time as lists show it."""
    return f"{value:%m-%d %H:%M}" if value else "—"


FLEXIBLE = ("内容", "说明", "标题", "承办单位")  # columns that give way on a narrow terminal


def table(*columns: str, title: str = "") -> Table:
    """A plain table with ``columns``; on a narrow terminal the text columns (内容 …) give
    way first and end in an ellipsis (fill them with :func:`words`), the others keep their
    width."""
    grid = Table(title=title or None, title_justify="left", box=None, pad_edge=False)
    for name in columns:
        grid.add_column(name, no_wrap=name not in FLEXIBLE)
    return grid


def words(value: str, max_cells: int = 200) -> Text:
    """People's words for a flexible column: one line, cut with an ellipsis to fit."""
    text = safe_text(value, max_cells)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def tickets(rows: Iterable, *, title: str = "", empty: str = "没有工单。") -> RenderableType:
    """Tickets as found by a search or a history (number, state, light, time, words)."""
    rows = list(rows)
    if not rows:
        return Text(empty, style="dim")
    grid = table("工单号", "状态", "时效", "受理时间", "内容", title=title)
    for r in rows:
        grid.add_row(
            number(r.number),
            state(r.state),
            light(r.light),
            when(r.registered_at),
            words(r.content),
        )
    return grid


def queue(rows: Iterable, *, title: str, empty: str) -> RenderableType:
    """A work queue: number, state, light, deadline, caller (masked), unit, what it is about."""
    rows = list(rows)
    if not rows:
        return Text(f"{title}：{empty}", style="dim")
    grid = table("工单号", "状态", "时效", "期限", "来电人", "承办单位", "说明", title=title)
    for r in rows:
        grid.add_row(
            number(r.number),
            state(r.state),
            light(r.light),
            due_text(r.due_at) if r.due_at else "—",
            safe_text(r.caller, 16),
            words(r.unit, 24),
            words(r.note or r.content),
        )
    return grid


def detail(d) -> RenderableType:
    """One ticket: its fields, units, clocks with lights, and the whole timeline."""
    head = Text()
    head.append(format_for_reading(d.number), style="bold")
    head.append(f"  {state(d.state)}  ")
    head.append_text(light(d.light))
    fields = table("项目", "内容")
    for label, value in d.fields:
        fields.add_row(label, safe_text(value, 400))
    for role, name in d.units:
        fields.add_row(role, safe_text(name, 40))
    clocks = table("时限", "起算", "期限", "时效", title="时限")
    for c in d.clocks:
        clocks.add_row(
            CLOCK_KINDS.get(c.kind, c.kind),
            when(c.started_at),
            due_text(c.due_at),
            Text("已停止", style="dim") if c.stopped_at else light(c.light),
        )
    timeline = table("时间", "操作人", "操作", "说明", title="办理过程")
    for e in d.timeline:
        who = safe_text(f"{e.actor_name}（{e.actor_role}）", 20)
        timeline.add_row(when(e.at), who, e.action, safe_text(e.detail, 400))
    return Group(head, fields, clocks, timeline)
