"""City configuration: deadlines, satisfaction scale, calendar overrides, limits.

Where the nation sets no number, cities differ (domain.md), so these are settings with
defaults, changed by ``config.set`` events like everything else.
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
    """The settings in force, defaults overlaid with the city's own values."""

    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def calendar(self) -> WorkCalendar:
        cal = self.values["calendar"]
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
        return [
            x for x in self.values["satisfaction_scale"] if x not in self.values["satisfied_levels"]
        ]


def load_config(conn: sqlite3.Connection) -> Config:
    """Read the configuration projection over the defaults."""
    values = copy.deepcopy(DEFAULTS)
    for key, raw in conn.execute("SELECT key, value FROM config"):
        values[key] = json.loads(raw)
    return Config(values)


configuration_from(load_config)  # Store.config() reads it so
