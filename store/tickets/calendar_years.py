"""A year's holiday arrangement (放假调休安排), loaded by the city, and the deadlines to look at
when the calendar lacks a year.

The State Council publishes next year's arrangement late each year; the holiday package in
a seat learns it only with a new release. A city loads it from a small file the day it is
published (``hotline calendar load``); it travels to every seat as configuration.

Deadlines already set are never recomputed by a calendar change: a deadline is a fact the
unit and the caller were told (see docs/decisions.md). Those that a known calendar would
set differently are listed for a supervisor to review (``hotline calendar review``).
"""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from store.core.clock import read_time
from store.core.errors import DomainError, InvalidInput
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.directory.commands import set_config
from store.tickets.deadlines import Limit


@dataclass(frozen=True, slots=True)
class YearPlan:
    year: int
    off: tuple[date, ...]  # holidays, weekends inside them included
    on: tuple[date, ...]  # weekend days worked instead (调休上班)


def read_plan(path: Path) -> YearPlan:
    """Read ``year``, ``holidays`` (or ``off``) and ``workdays`` (or ``on``) from a TOML or
    JSON file; every mistake named in Chinese."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"无法读取文件 {path}：{error}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"文件 {path} 格式不对：{error}") from None
    return plan_of(data)


def plan_of(data: Any) -> YearPlan:
    """Check an arrangement given as a mapping (from a file, or a reference command)."""
    if not isinstance(data, dict):
        raise InvalidInput("节假日安排应为键值对：year、holidays、workdays。")
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(f"year 应为年份，如 2027（收到 {year!r}）。", field="year")
    off = _days(data.get("holidays", data.get("off", [])), year, "holidays")
    on = _days(data.get("workdays", data.get("on", [])), year, "workdays")
    if not off:
        raise InvalidInput("holidays 不能为空：请列出当年全部放假日期（含假期中的周末）。")
    both = sorted(set(off) & set(on))
    if both:
        raise InvalidInput(f"{both[0]} 同时列为放假和调休上班。")
    weekdays = [d for d in on if d.weekday() < 5]
    if weekdays:
        raise InvalidInput(
            f"调休上班日应为周末：{weekdays[0]} 是周{'一二三四五'[weekdays[0].weekday()]}。"
        )
    if len(off) > 60 or len(on) > 20:
        raise InvalidInput("放假或调休日期过多，请核对文件。")
    return YearPlan(year, tuple(sorted(off)), tuple(sorted(on)))


def load_year(store: Store, actor: Actor, plan: YearPlan) -> Event:
    """Make ``plan`` the city's arrangement for its year (an administrator's command)."""
    calendar = dict(store.config().calendar_plan)
    years = dict(calendar.get("years", {}))
    years[str(plan.year)] = {
        "off": [d.isoformat() for d in plan.off],
        "on": [d.isoformat() for d in plan.on],
    }
    calendar["years"] = years
    return set_config(store, actor, "calendar", calendar)


def unknown_years(store: Store) -> list[int]:
    """Years the calendar guesses (Monday–Friday) though an open deadline falls in them, or
    a deadline set in the next weeks could."""
    calendar = store.config().calendar()
    now = store.now()
    years = {now.year, (now + timedelta(days=45)).year}
    for (year,) in store.conn.execute(
        "SELECT DISTINCT substr(due_at, 1, 4) FROM clocks WHERE stopped_at IS NULL"
    ):
        if year and year.isdigit():
            years.add(int(year))
    return sorted(y for y in years if not calendar.knows_year(y))


def warning(years: list[int]) -> str:
    """The sentence a seat shows while ``years`` are unknown ('' if none)."""
    if not years:
        return ""
    named = "、".join(f"{y} 年" for y in years)
    return (
        f"工作日历缺少 {named}的放假调休安排：这些年份的期限暂按周一至周五计算。"
        "请管理员载入国务院公布的安排（hotline calendar load）。"
    )


@dataclass(frozen=True, slots=True)
class ToReview:
    ticket_id: str
    number: str
    kind: str
    rule: str
    due_at: datetime
    by_calendar: datetime  # what the calendar as it stands gives


def to_review(store: Store) -> list[ToReview]:
    """Open deadlines the calendar as it stands would set differently (set while a year was
    unknown, or before a city changed its days): for review, never changed silently."""
    calendar = store.config().calendar()
    out = []
    for row in store.conn.execute(
        "SELECT c.ticket_id, t.number, c.kind, c.rule, c.started_at, c.due_at FROM clocks c"
        " JOIN tickets t ON t.id = c.ticket_id WHERE c.stopped_at IS NULL AND c.rule LIKE '%wd'"
        " ORDER BY c.due_at"
    ):
        started, due = read_time(row["started_at"]), read_time(row["due_at"])
        if started is None or due is None:
            continue
        try:
            expected = Limit.parse(row["rule"]).due(started, calendar)
        except DomainError:
            continue
        if expected == due or (row["kind"] == "handle" and _extended(store.conn, row[0])):
            continue  # as the calendar gives it, or moved on purpose by an extension
        out.append(ToReview(row[0], row[1], row[2], row[3], due, expected))
    return out


def _extended(conn: sqlite3.Connection, ticket_id: str) -> bool:
    row = conn.execute("SELECT extension_count FROM tickets WHERE id = ?", (ticket_id,))
    found = row.fetchone()
    return bool(found and found[0])


def _days(value: Any, year: int, name: str) -> list[date]:
    if not isinstance(value, list):
        raise InvalidInput(f"{name} 应为日期列表。", field=name)
    days = []
    for item in value:
        try:
            day = item if isinstance(item, date) else date.fromisoformat(str(item))
        except ValueError:
            raise InvalidInput(
                f"{name} 中的 {item!r} 不是日期（应为 {year}-01-01 这样）。"
            ) from None
        if day.year != year:
            raise InvalidInput(f"{name} 中的 {day} 不在 {year} 年。", field=name)
        days.append(day)
    return days
