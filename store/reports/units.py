"""Handling units as a bulletin groups them: each unit answers to its responsible unit at the
top of its tree (a district government for its streets, communities and district offices; a
city department; a utility), and the league lists those in groups."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# The league's groups, in the order a bulletin prints them, by the top unit's kind.
GROUPS: dict[str, str] = {
    "district": "区县",
    "department": "市直部门",
    "enterprise": "公共服务企业",
}
OTHER = "其他单位"


@dataclass(frozen=True)
class UnitTree:
    """Every unit's parent, name and kind."""

    parents: dict[str, str | None]
    names: dict[str, str]
    kinds: dict[str, str]

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> UnitTree:
        """The directory's units as they stand."""
        rows = conn.execute("SELECT id, parent_id, name, kind FROM units").fetchall()
        return cls(
            parents={r[0]: r[1] for r in rows},
            names={r[0]: r[2] for r in rows},
            kinds={r[0]: r[3] for r in rows},
        )

    def responsible(self, unit_id: str | None) -> str:
        """The unit at the top of ``unit_id``'s tree (itself if it has no parent)."""
        seen: set[str] = set()
        current = unit_id or ""
        while self.parents.get(current) and current not in seen:  # a cycle ends the walk
            seen.add(current)
            current = self.parents[current] or current
        return current

    def name(self, unit_id: str | None) -> str:
        """The unit's name, or its id if the directory does not know it."""
        return self.names.get(unit_id or "", unit_id or "（未知单位）")

    def group_of(self, unit_id: str) -> str:
        """The league group of a responsible unit."""
        return GROUPS.get(self.kinds.get(unit_id, ""), OTHER)

    @staticmethod
    def group_rank(group: str) -> int:
        """Where a group comes in the league."""
        order = list(GROUPS.values())
        return order.index(group) if group in order else len(order)
