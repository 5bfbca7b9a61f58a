"""Deadlines: which limit applies to a clock, when it falls due, and its light.

A limit is ``<n>wd`` (working days on the city's calendar) or ``<n>h`` (natural hours,
which ignore the calendar). The due time is computed when a clock starts and stored in
the event, so a later change of rules or calendar never rewrites past deadlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from store.core.clock import CITY_TZ
from store.core.errors import InvalidInput
from store.directory.config import Config
from store.directory.workdays import WorkCalendar

_LIMIT = re.compile(r"^(\d+)(wd|h)$")
WORKDAY_END = time(17, 30)  # a deadline typed as a date alone ends then


def parse_due(text: str, field: str = "new_due") -> datetime:
    """A deadline as a person types it: ``2026-12-01 15:00``, or a date alone for the end of
    that working day (17:30); city time unless an offset is given."""
    value = text.strip()
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"期限格式不对：{text!r}，应为 2026-12-01 或 2026-12-01 17:30。", field=field
        ) from None
    if len(value) <= 10:
        when = datetime.combine(when.date(), WORKDAY_END)
    return when if when.tzinfo else when.replace(tzinfo=CITY_TZ)


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "正常", "yellow": "临期", "red": "超期"}[self.value]


@dataclass(frozen=True, slots=True)
class Limit:
    amount: int
    unit: str  # "wd" or "h"

    @classmethod
    def parse(cls, text: str) -> Limit:
        match = _LIMIT.match(text)
        if not match:
            raise InvalidInput(f"时限规则无效：{text!r}，应为如 5wd（工作日）或 24h（小时）。")
        return cls(int(match.group(1)), match.group(2))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        return f"{self.amount} 个工作日" if self.unit == "wd" else f"{self.amount} 小时"

    def due(self, start: datetime, calendar: WorkCalendar) -> datetime:
        if self.unit == "h":
            return start + timedelta(hours=self.amount)
        return calendar.add_workdays(start, self.amount)


def limit_for(config: Config, clock: str, ticket_type: str, urgency: str) -> Limit:
    """The limit of ``clock`` for a ticket of this type and urgency."""
    rules: dict[str, str] = config.deadlines[clock]
    for key in (f"{ticket_type}/{urgency}", urgency, ticket_type, "*"):
        if key in rules:
            return Limit.parse(rules[key])
    raise InvalidInput(f"时限规则缺少“{clock}”的默认值（*）。")


def light(
    config: Config, rule: str, started_at: datetime, due_at: datetime, now: datetime
) -> Light:
    """Green, yellow or red for an open clock at ``now`` (docs/domain.md §4)."""
    if now >= due_at:
        return Light.RED
    limit = Limit.parse(rule)
    fraction = config.yellow_fraction
    if limit.unit == "h":
        left = (due_at - now).total_seconds()
        total = (due_at - started_at).total_seconds()
        return Light.YELLOW if total > 0 and left < fraction * total else Light.GREEN
    calendar = config.calendar()
    left = calendar.working_seconds(now, due_at)
    total = calendar.working_seconds(started_at, due_at)
    threshold = fraction * total
    if limit.amount > config.yellow_workdays:
        threshold = max(threshold, config.yellow_workdays * 86400.0)
    return Light.YELLOW if left < threshold else Light.GREEN


def worst(lights: list[Light]) -> Light | None:
    """The light of a ticket: its most urgent open clock."""
    order = [Light.RED, Light.YELLOW, Light.GREEN]
    for candidate in order:
        if candidate in lights:
            return candidate
    return None
