"""A short account of what a seat database holds (``hotline store info``, the status screen)."""

from __future__ import annotations

import sqlite3

from store.tickets.states import State


def summarize(conn: sqlite3.Connection) -> dict[str, str]:
    """Counts a person checks first: events, unsent events, tickets by state, directory."""

    def count(sql: str) -> int:
        return conn.execute(sql).fetchone()[0]

    out = {
        "事件": str(count("SELECT count(*) FROM events")),
        "待同步事件": str(count("SELECT count(*) FROM outbox WHERE state = 'pending'")),
        "工单": str(count("SELECT count(*) FROM tickets")),
    }
    for state, n in conn.execute(
        "SELECT state, count(*) FROM tickets GROUP BY state ORDER BY 2 DESC"
    ):
        out[f"  {State(state).label}"] = str(n)
    out["承办单位"] = str(count("SELECT count(*) FROM units"))
    out["专席"] = str(count("SELECT count(*) FROM desks"))
    out["诉求分类"] = str(count("SELECT count(*) FROM topics"))
    out["座席人员"] = str(count("SELECT count(*) FROM agents"))
    return out
