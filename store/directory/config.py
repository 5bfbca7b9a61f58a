"""City configuration: deadlines, satisfaction scale, calendar overrides, limits.

Where the nation sets no number, cities differ (docs/domain.md §9), so these are settings
with defaults, changed by ``config.set`` events like everything else.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from store.core.seat import configuration_from
from store.directory.workdays import WorkCalendar

FIVE_LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
THREE_LEVELS = ["满意", "基本满意", "不满意"]

DEFAULTS: dict[str, Any] = {
    "city": "江澄市",
    # Clock → rule key → limit. Keys are tried most specific first:
    # "<type>/<urgency>", "<urgency>", "<type>", "*". Limits: "<n>wd" working days, "<n>h" hours.
    "deadlines": {
        "sign": {"*": "1wd", "urgent": "2h", "critical": "1h"},
        "contact": {"*": "3h"},
        "handle": {"*": "5wd", "consult": "3wd", "urgent": "24h", "critical": "2h"},
        "return": {"*": "2wd"},
        "callback": {"*": "1wd"},
    },
    "satisfaction_scale": FIVE_LEVELS,
    "satisfied_levels": ["非常满意", "满意", "基本满意"],
    # Yellow light: less than this share of the limit left, or (for limits longer than
    # one working day) less than this many working days left.
    "yellow_fraction": 0.2,
    "yellow_workdays": 1,
    "extension_max_workdays": 10,
    "max_returns": 3,
    # A caller not reached is tried again this many hours later, unless the agent says when.
    "callback_retry_hours": 2,
    # The editor's screen lists published entries whose last day in force is this near.
    "kb_expiry_days": 30,
    # Days off and on of the city's own, and national arrangements loaded for years the
    # holiday package does not know: "years": {"2027": {"off": [...], "on": [...]}}.
    "calendar": {"extra_off": [], "extra_on": [], "years": {}},
}


@dataclass(frozen=True)
class Config:
    """The settings in force, the defaults overlaid with the city's own values (see
    :data:`DEFAULTS` for what each means)."""

    city: str
    deadlines: dict[str, dict[str, str]]  # clock → rule key → limit ("5wd", "24h")
    satisfaction_scale: list[str]
    satisfied_levels: list[str]  # of the scale, those that count as satisfied
    yellow_fraction: float
    yellow_workdays: int
    extension_max_workdays: int
    max_returns: int
    callback_retry_hours: int
    kb_expiry_days: int
    calendar_plan: dict[str, Any]  # the "calendar" setting: the city's days and loaded years

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Config:
        """The typed settings from the stored values (keys as in :data:`DEFAULTS`)."""
        return cls(
            city=str(values["city"]),
            deadlines=values["deadlines"],
            satisfaction_scale=list(values["satisfaction_scale"]),
            satisfied_levels=list(values["satisfied_levels"]),
            yellow_fraction=float(values["yellow_fraction"]),
            yellow_workdays=int(values["yellow_workdays"]),
            extension_max_workdays=int(values["extension_max_workdays"]),
            max_returns=int(values["max_returns"]),
            callback_retry_hours=int(values["callback_retry_hours"]),
            kb_expiry_days=int(values["kb_expiry_days"]),
            calendar_plan=values["calendar"],
        )

    def calendar(self) -> WorkCalendar:
        """The working-day calendar these settings make."""
        cal = self.calendar_plan
        years = {
            int(year): (
                frozenset(date.fromisoformat(d) for d in days.get("off", [])),
                frozenset(date.fromisoformat(d) for d in days.get("on", [])),
            )
            for year, days in cal.get("years", {}).items()
        }
        return WorkCalendar(
            extra_off=[date.fromisoformat(d) for d in cal.get("extra_off", [])],
            extra_on=[date.fromisoformat(d) for d in cal.get("extra_on", [])],
            years=years,
        )

    @property
    def unsatisfied_levels(self) -> list[str]:
        """The levels of the scale that count as unsatisfied (a redo may follow)."""
        return [x for x in self.satisfaction_scale if x not in self.satisfied_levels]


def load_config(conn: sqlite3.Connection) -> Config:
    """Read the configuration projection over the defaults."""
    values = copy.deepcopy(DEFAULTS)
    for key, raw in conn.execute("SELECT key, value FROM config"):
        values[key] = json.loads(raw)
    return Config.from_values(values)


configuration_from(load_config)  # Store.config() reads it so
