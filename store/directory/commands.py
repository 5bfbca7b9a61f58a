"""The directory: districts and streets, handling units in three levels, specialist desks,
the topic tree, not-accepted reason codes, agents — and the city configuration.

Changes are events on the ``directory`` stream (the central server will distribute them);
lookups read the projections.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from store.core.clock import to_text
from store.core.db import transaction
from store.core.errors import Forbidden, InvalidInput, NotFound
from store.core.events import Event
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.core.validation import clean_text
from store.directory.passwords import hash_password, login_key, sign_in_proof, verify_password
from store.directory.pinyin import search_keys

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_ADMINS = frozenset({Role.ADMIN, Role.SYSTEM})
UNIT_KINDS = {
    "department": "职能部门",
    "district": "区政府",
    "street": "街道/乡镇",
    "community": "社区/村",
    "enterprise": "公共企业",
    "other": "其他",
}


def _code(value: object, label: str, field: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidInput(
            f"{label}编码无效：{value!r}（字母、数字、点、横线、下划线，最长 40）。", field=field
        )
    return value


def _keyed(payload: dict[str, Any]) -> dict[str, Any]:
    """Add the pinyin search keys of ``payload["name"]``."""
    payload["pinyin"], payload["initials"] = search_keys(payload["name"])
    return payload


def _emit(
    store: Store,
    actor: Actor,
    event_type: str,
    subject: str,
    payload: dict[str, Any],
    stream: str = "directory",
) -> Event:
    if actor.role not in _ADMINS:
        raise Forbidden(f"{actor.role.label}不能维护目录和配置。")
    with transaction(store.conn):
        return store.emit(actor, event_type, payload, subject_id=subject, stream=stream)


def set_config(store: Store, actor: Actor, key: str, value: Any) -> Event:
    """Set one city setting (see ``store.directory.config.DEFAULTS`` for the keys)."""
    from store.directory.config import DEFAULTS

    if key not in DEFAULTS:
        raise InvalidInput(f"没有这个配置项：{key!r}", field="key")
    return _emit(store, actor, "config.set", key, {"key": key, "value": value}, stream="config")


def define_district(store: Store, actor: Actor, code: str, name: str) -> Event:
    code = _code(code, "区县", "code")
    name = clean_text(name, field="name", label="区县名称", required=True, limit=50)
    return _emit(store, actor, "district.defined", code, _keyed({"code": code, "name": name}))


def define_street(store: Store, actor: Actor, code: str, district_code: str, name: str) -> Event:
    code = _code(code, "街道", "code")
    name = clean_text(name, field="name", label="街道名称", required=True, limit=50)
    require_area(store.conn, district_code, "")
    return _emit(
        store,
        actor,
        "street.defined",
        code,
        _keyed({"code": code, "district_code": district_code, "name": name}),
    )


def define_unit(
    store: Store,
    actor: Actor,
    unit_id: str,
    name: str,
    level: int,
    *,
    parent_id: str | None = None,
    kind: str = "department",
    areas: list[tuple[str, str]] = (),
    active: bool = True,
) -> Event:
    """Define a handling unit; ``areas`` are (district, street or '') pairs it covers."""
    unit_id = _code(unit_id, "承办单位", "id")
    name = clean_text(name, field="name", label="单位名称", required=True, limit=80)
    if level not in (1, 2, 3):
        raise InvalidInput("单位级别只能是 1、2、3。", field="level")
    if kind not in UNIT_KINDS:
        raise InvalidInput(f"单位类型无效：{kind!r}", field="kind")
    if level == 1 and parent_id:
        raise InvalidInput("一级单位没有上级单位。", field="parent_id")
    if level > 1:
        parent = require_unit(store.conn, parent_id or "", field="parent_id", active_only=False)
        parent_level = store.conn.execute(
            "SELECT level FROM units WHERE id=?", (parent,)
        ).fetchone()[0]
        if parent_level != level - 1:
            raise InvalidInput(
                f"{level} 级单位的上级必须是 {level - 1} 级单位。", field="parent_id"
            )
    checked = [list(require_area(store.conn, d, s)) for d, s in areas]
    return _emit(
        store,
        actor,
        "unit.defined",
        unit_id,
        _keyed(
            {
                "id": unit_id,
                "name": name,
                "level": level,
                "parent_id": parent_id,
                "kind": kind,
                "areas": checked,
                "active": int(active),
            }
        ),
    )


def define_desk(
    store: Store,
    actor: Actor,
    desk_id: str,
    name: str,
    line: str = "",
    description: str = "",
    active: bool = True,
    *,
    topics: list[str] = (),
    business: bool = False,
) -> Event:
    """Define a specialist desk; ``topics`` (topic codes, either level) and ``business``
    (企业诉求) say which tickets it takes, for the transfer dialog's suggestion."""
    desk_id = _code(desk_id, "专席", "id")
    name = clean_text(name, field="name", label="专席名称", required=True, limit=50)
    for code in topics:
        if store.conn.execute("SELECT 1 FROM topics WHERE code = ?", (code,)).fetchone() is None:
            raise NotFound(f"诉求分类不存在：{code!r}", field="topics")
    return _emit(
        store,
        actor,
        "desk.defined",
        desk_id,
        _keyed(
            {
                "id": desk_id,
                "name": name,
                "line": clean_text(line, field="line", label="专线", limit=20),
                "description": clean_text(description, field="description", label="说明"),
                "active": int(active),
                "topics": list(topics),
                "business": int(bool(business)),
            }
        ),
    )


def define_topic(
    store: Store, actor: Actor, code: str, name: str, parent_code: str | None = None
) -> Event:
    code = _code(code, "诉求分类", "code")
    name = clean_text(name, field="name", label="分类名称", required=True, limit=50)
    level = 1
    if parent_code:
        row = store.conn.execute(
            "SELECT level FROM topics WHERE code = ?", (parent_code,)
        ).fetchone()
        if row is None:
            raise NotFound(f"上级分类不存在：{parent_code}", field="parent_code")
        if row[0] != 1:
            raise InvalidInput("诉求分类只有两级。", field="parent_code")
        level = 2
    return _emit(
        store,
        actor,
        "topic.defined",
        code,
        _keyed({"code": code, "name": name, "parent_code": parent_code or None, "level": level}),
    )


def define_reason(store: Store, actor: Actor, code: str, name: str, guidance: str = "") -> Event:
    code = _code(code, "不予受理原因", "code")
    return _emit(
        store,
        actor,
        "reason.defined",
        code,
        {
            "code": code,
            "name": clean_text(name, field="name", label="原因", required=True, limit=50),
            "guidance": clean_text(guidance, field="guidance", label="告知口径", limit=500),
        },
    )


def define_agent(
    store: Store,
    actor: Actor,
    agent_id: str,
    name: str,
    role: Role | str,
    password: str,
    *,
    unit_id: str | None = None,
    desk_id: str | None = None,
    active: bool = True,
    salt_seed: str | None = None,
) -> Event:
    """Create or update an agent; the password is stored only as an argon2 hash."""
    agent_id = _code(agent_id, "工号", "id")
    name = clean_text(name, field="name", label="姓名", required=True, limit=50)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"角色无效：{role!r}", field="role") from None
    if role is Role.SYSTEM:
        raise InvalidInput("不能创建系统角色的账号。", field="role")
    if not isinstance(password, str) or len(password) < 6:
        raise InvalidInput("密码至少 6 位。", field="password")
    if role is Role.LIAISON:
        unit_id = require_unit(store.conn, unit_id or "", field="unit_id")
    elif unit_id:
        raise InvalidInput("只有承办单位联络员属于承办单位。", field="unit_id")
    if desk_id:
        desk_id = require_desk(store.conn, desk_id)
    return _emit(
        store,
        actor,
        "agent.defined",
        agent_id,
        {
            "id": agent_id,
            "name": name,
            "role": str(role),
            "unit_id": unit_id,
            "desk_id": desk_id,
            "password_hash": hash_password(password, salt_seed=salt_seed),
            "login_key": login_key(agent_id, password),
            "active": int(active),
        },
    )


def set_password(store: Store, actor: Actor, agent_id: str, password: str) -> Event:
    """Give an agent a new password (an administrator's command)."""
    agent = get_actor(store.conn, agent_id)
    if not isinstance(password, str) or len(password) < 6:
        raise InvalidInput("密码至少 6 位。", field="password")
    return _emit(
        store,
        actor,
        "agent.password_set",
        agent.id,
        {
            "id": agent.id,
            "password_hash": hash_password(password),
            "login_key": login_key(agent.id, password),
        },
    )


def authenticate(conn: sqlite3.Connection, agent_id: str, password: str) -> Actor:
    """Log an agent in; the same message for an unknown id and a wrong password."""
    row = conn.execute("SELECT * FROM agents WHERE id = ? AND active = 1", (agent_id,)).fetchone()
    if row is None or not verify_password(row["password_hash"], password):
        raise Forbidden("工号或密码错误。")
    return actor_of(row)


def sign_in(store: Store, agent_id: str, password: str) -> Actor:
    """Log an agent in at this seat, and keep the proof for the central server.

    The proof is the agent's signature over this seat's device id and the time, made with
    the key their password gives (see ``store.directory.passwords``): the server accepts work done
    at a seat only by agents who proved they logged in there.
    """
    actor = authenticate(store.conn, agent_id, password)
    at = to_text(store.now())
    proof = sign_in_proof(actor.id, password, store.device_id, at)
    with transaction(store.conn):
        store.conn.execute(
            "INSERT INTO sign_ins (agent_id, device_id, at, proof) VALUES (?, ?, ?, ?)",
            (actor.id, store.device_id, at, proof),
        )
    return actor


def actor_of(row: sqlite3.Row) -> Actor:
    return Actor(
        id=row["id"],
        role=Role(row["role"]),
        name=row["name"],
        unit_id=row["unit_id"],
        desk_id=row["desk_id"],
    )


# Roles whose work a hotline seat pushes to the central server. Liaisons work through the
# unit API; administrators and the system change the directory online, never by a push.
SEAT_ROLES = frozenset(
    {Role.AGENT, Role.DESK, Role.CALLBACK, Role.SUPERVISOR, Role.TRAINEE, Role.TRAINER, Role.EDITOR}
)


def acting_agent(conn: sqlite3.Connection, agent_id: str, claimed_role: str) -> Actor:
    """The agent an event says acted, as this directory knows them: active, of the role the
    event claims, and of a role whose work comes from a seat."""
    row = conn.execute("SELECT * FROM agents WHERE id = ? AND active = 1", (agent_id,)).fetchone()
    if row is None:
        raise Forbidden(f"工号 {agent_id[:20]} 不存在或已停用。")
    actor = actor_of(row)
    if str(actor.role) != claimed_role:
        raise Forbidden(f"工号 {actor.id} 的角色是{actor.role.label}，与事件不符。")
    if actor.role is Role.LIAISON:
        raise Forbidden("承办单位的操作须通过单位接口办理，不能由座席提交。")
    if actor.role not in SEAT_ROLES:
        raise Forbidden(f"{actor.role.label}的操作须联网办理，不能由座席提交。")
    return actor


def get_actor(conn: sqlite3.Connection, agent_id: str) -> Actor:
    row = conn.execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone()
    if row is None:
        raise NotFound(f"工号不存在：{agent_id}")
    return actor_of(row)


# Lookups used by the commands ---------------------------------------------------------


def require_unit(
    conn: sqlite3.Connection, unit_id: str, *, field: str = "unit", active_only: bool = True
) -> str:
    row = conn.execute("SELECT active FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise NotFound(f"承办单位不存在：{unit_id!r}", field=field)
    if active_only and not row[0]:
        raise InvalidInput(f"承办单位已停用：{unit_id}", field=field)
    return unit_id


def require_desk(conn: sqlite3.Connection, desk_id: str) -> str:
    row = conn.execute("SELECT active FROM desks WHERE id = ?", (desk_id,)).fetchone()
    if row is None:
        raise NotFound(f"专席不存在：{desk_id!r}", field="desk")
    if not row[0]:
        raise InvalidInput(f"专席已停用：{desk_id}", field="desk")
    return desk_id


def require_topic(conn: sqlite3.Connection, code: str) -> str:
    if not code:
        raise InvalidInput("请选择诉求分类。", field="topic_code")
    if conn.execute("SELECT 1 FROM topics WHERE code = ?", (code,)).fetchone() is None:
        raise NotFound(f"诉求分类不存在：{code!r}", field="topic_code")
    return code


def require_reason(conn: sqlite3.Connection, code: str) -> str:
    if conn.execute("SELECT 1 FROM reasons WHERE code = ?", (code,)).fetchone() is None:
        raise NotFound(f"不予受理原因代码不存在：{code!r}", field="reason_code")
    return code


def require_area(conn: sqlite3.Connection, district: str, street: str) -> tuple[str, str]:
    """Check a district (may be empty) and a street of that district (may be empty)."""
    district, street = district or "", street or ""
    if (
        district
        and conn.execute("SELECT 1 FROM districts WHERE code=?", (district,)).fetchone() is None
    ):
        raise NotFound(f"区县不存在：{district!r}", field="district_code")
    if street:
        row = conn.execute("SELECT district_code FROM streets WHERE code=?", (street,)).fetchone()
        if row is None:
            raise NotFound(f"街道不存在：{street!r}", field="street_code")
        if district and row[0] != district:
            raise InvalidInput("所选街道不属于所选区县。", field="street_code")
        district = row[0]
    return district, street
