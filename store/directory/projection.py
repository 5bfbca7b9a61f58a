"""The directory's projections: configuration, districts and streets, units and their areas,
desks, topics, reasons, agents (with who is on duty) and the dispatch catalogue's rules.

Desks and agents changed shape once: version 2 of ``desk.defined`` carries the desk's topics
and whether it handles business matters, version 2 of ``agent.defined`` and
``agent.password_set`` the key an agent's sign-in proofs are checked against. Events written
before read as version 2 through the steps below.
"""

from __future__ import annotations

import json

from store.core.events import Event
from store.core.projector import handles, table, upsert
from store.core.upcasting import upcaster

table("config", key=("key",))
table("districts", key=("code",), made_by="district.defined")
table("streets", key=("code",), made_by="street.defined")
table("units", key=("id",), made_by="unit.defined")
table("unit_areas", key=("unit_id", "district_code", "street_code"))
table("desks", key=("id",), made_by="desk.defined")
table("topics", key=("code",), made_by="topic.defined")
table("reasons", key=("code",), made_by="reason.defined")
table("agents", key=("id",), made_by="agent.defined")
table("dispatch_rules", key=("topic_code", "district_code"))


@upcaster("desk.defined", 1)
def _desk_v2(payload: dict) -> dict:
    # Desks defined before topics were routed to them serve no topic and no business line
    # (some seats wrote the fields before the version was raised: theirs are kept).
    return {"topics": [], "business": 0, **payload}


@upcaster("agent.defined", 1)
def _agent_v2(payload: dict) -> dict:
    # Agents defined before sign-in proofs have no key: they sign in once online to get one.
    return {"login_key": "", **payload}


@upcaster("agent.password_set", 1)
def _password_v2(payload: dict) -> dict:
    return {"login_key": "", **payload}


@handles("config.set")
def _config_set(conn, e):
    upsert(
        conn,
        "config",
        {
            "key": e.payload["key"],
            "value": json.dumps(e.payload["value"], ensure_ascii=False, sort_keys=True),
        },
    )


_KEYS = ("pinyin", "initials")


def _fields(e: Event, *names: str) -> dict:
    """The named payload fields plus the pinyin search keys."""
    return {k: e.payload[k] for k in (*names, *_KEYS)}


@handles("district.defined")
def _district(conn, e):
    upsert(conn, "districts", _fields(e, "code", "name"))


@handles("street.defined")
def _street(conn, e):
    upsert(conn, "streets", _fields(e, "code", "district_code", "name"))


@handles("unit.defined")
def _unit(conn, e):
    p = e.payload
    upsert(conn, "units", _fields(e, "id", "name", "level", "parent_id", "kind", "active"))
    conn.execute("DELETE FROM unit_areas WHERE unit_id = ?", (p["id"],))
    for district, street in p["areas"]:
        upsert(
            conn,
            "unit_areas",
            {"unit_id": p["id"], "district_code": district, "street_code": street},
        )


@handles("desk.defined")
def _desk(conn, e):
    row = _fields(e, "id", "name", "line", "description", "active")
    row["topics"] = json.dumps(e.payload["topics"])
    row["business"] = int(e.payload["business"])
    upsert(conn, "desks", row)


@handles("topic.defined")
def _topic(conn, e):
    upsert(conn, "topics", _fields(e, "code", "name", "parent_code", "level"))


@handles("reason.defined")
def _reason(conn, e):
    upsert(conn, "reasons", {k: e.payload[k] for k in ("code", "name", "guidance")})


@handles("agent.defined")
def _agent(conn, e):
    keys = ("id", "name", "role", "unit_id", "desk_id", "password_hash", "login_key", "active")
    upsert(conn, "agents", {k: e.payload[k] for k in keys})


@handles("agent.password_set")
def _agent_password(conn, e):
    conn.execute(
        "UPDATE agents SET password_hash = ?, login_key = ? WHERE id = ?",
        (e.payload["password_hash"], e.payload["login_key"], e.payload["id"]),
    )


@handles("dispatch_rule.set")
def _dispatch_rule_set(conn, e):
    upsert(
        conn,
        "dispatch_rules",
        {k: e.payload[k] for k in ("topic_code", "district_code", "unit_id")},
    )


@handles("dispatch_rule.removed")
def _dispatch_rule_removed(conn, e):
    conn.execute(
        "DELETE FROM dispatch_rules WHERE topic_code = ? AND district_code = ?",
        (e.payload["topic_code"], e.payload["district_code"]),
    )


@handles("desk.duty_set")
def _duty(conn, e):
    conn.execute(
        "UPDATE agents SET on_duty = ? WHERE id = ?", (int(e.payload["on_duty"]), e.subject_id)
    )
