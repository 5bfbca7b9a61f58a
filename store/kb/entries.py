"""Knowledge-base entries: their fields, their checks and the commands that change them.

An entry is written whole by ``kb.entry_saved`` (so an import, an edit and a sync all carry
the same shape); review status and agents' feedback are separate, smaller events.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from store.core import judging
from store.core.db import transaction
from store.core.errors import DomainError, InvalidInput, InvalidState, NotFound
from store.core.payloads import Key, OneOf, Schema, Text
from store.core.privacy import find_personal_numbers
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import NOTE_MAX, clean_text
from store.directory import commands as directory
from store.kb.permissions import require_answering, require_editor
from store.kb.tokens import normalize
from store.kb.vocabulary import ENTRY_ID, FEEDBACK, FIELDS, STATUS_MOVES, STATUSES, VISIBILITIES

TITLE_MAX = 200
ANSWER_MAX = 20_000
QUESTIONS_MAX = 20

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class Saved:
    entry_id: str
    outcome: Outcome


def validate(conn: sqlite3.Connection, raw: dict[str, Any]) -> dict[str, Any]:
    """Return the entry's fields cleaned, or raise ``InvalidInput`` naming every bad field."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}

    def check(name: str, fn) -> None:
        try:
            fields[name] = fn(raw.get(name))
        except DomainError as error:
            errors[name] = error.message

    check("id", _entry_id)
    check("title", lambda v: _text(v, "title", "标题", TITLE_MAX, required=True))
    check("questions", _questions)
    check("answer", lambda v: _text(v, "answer", "答案", ANSWER_MAX, required=True))
    check("topic_code", lambda v: _topic(conn, v))
    check("owner_unit", lambda v: _text(v, "owner_unit", "责任单位", 100))
    check("doc_no", lambda v: _text(v, "doc_no", "文号", 100))
    check("region", lambda v: _text(v, "region", "适用地区", 50))
    check("effective_from", lambda v: _date(v, "effective_from", "生效日期"))
    check("expires_on", lambda v: _date(v, "expires_on", "失效日期"))
    check("status", lambda v: _one_of(v or "draft", STATUSES, "status", "状态"))
    check("visibility", lambda v: _one_of(v or "internal", VISIBILITIES, "visibility", "可见范围"))
    check("last_verified", lambda v: _date(v, "last_verified", "核实日期"))
    check("metadata", _metadata)
    start, end = fields.get("effective_from"), fields.get("expires_on")
    if start and end and end < start:
        errors["expires_on"] = f"失效日期 {end} 早于生效日期 {start}。"
    if not errors:
        text = "\n".join([fields["title"], fields["answer"], *fields["questions"]])
        personal = [f for f in find_personal_numbers(text) if f.kind in ("phone", "id")]
        if personal:
            found = "、".join(f"{f.label}“{f.text}”" for f in personal)
            errors["answer"] = f"知识库条目不能含有个人信息，请删除：{found}。"
    if errors:
        raise InvalidInput.many(errors)
    return fields


def save_entry(store: Store, actor: Actor, raw: dict[str, Any]) -> Saved:
    """Add or replace an entry; an entry identical to the stored one writes nothing."""
    require_editor(actor)
    with transaction(store.conn):
        if not raw.get("id"):  # a new entry: numbered here, in the same transaction
            raw = {**raw, "id": new_entry_id(store.conn)}
        fields = validate(store.conn, raw)
        return _save(store, actor, fields)


def save_checked(store: Store, actor: Actor, fields: dict[str, Any]) -> Saved:
    """Save fields already returned by :func:`validate`; call inside a transaction."""
    require_editor(actor)
    return _save(store, actor, fields)


def _save(store: Store, actor: Actor, fields: dict[str, Any]) -> Saved:
    current = stored_fields(store.conn, fields["id"])
    if current == fields:
        return Saved(fields["id"], "unchanged")
    pinyin, initials = title_keys(fields["title"])
    payload = {**fields, "title_pinyin": pinyin, "title_initials": initials}
    store.emit(actor, "kb.entry_saved", payload, subject_id=fields["id"], stream="kb")
    return Saved(fields["id"], "added" if current is None else "updated")


def set_status(
    store: Store,
    actor: Actor,
    entry_id: str,
    status: str,
    note: str = "",
    verified_on: date | str | None = None,
) -> None:
    """Move an entry through review: draft → review → published → withdrawn. Publishing
    needs a verification date: the entry's own, or ``verified_on`` (the editor checked the
    content against its source that day)."""
    require_editor(actor)
    status = _one_of(status, STATUSES, "status", "状态")
    note = clean_text(note, field="note", label="说明", limit=NOTE_MAX)
    verified = _date(verified_on, "verified_on", "核实日期")
    with transaction(store.conn):
        entry = require_entry(store.conn, entry_id)
        current = entry["status"]
        if status not in STATUS_MOVES[current]:
            route = "须先提交审核" if status == "published" else ""
            raise InvalidState(
                f"条目当前为“{STATUSES[current]}”，不能直接改为“{STATUSES[status]}”{route}。"
            )
        if status == "published" and not (verified or entry["last_verified"]):
            raise InvalidInput(
                "发布前须填写核实日期（最近一次对照依据核实内容的日期）。", field="verified_on"
            )
        payload: dict[str, Any] = {"status": status, "note": note}
        if verified:
            payload["verified_on"] = verified
        store.emit(actor, "kb.status_changed", payload, subject_id=entry_id, stream="kb")


def _feedback_subject(store: Store, actor: Actor, event: Any, payload: dict) -> sqlite3.Row:
    require_answering(actor)
    return require_entry(store.conn, event.subject_id or "")


judging.declare(
    "kb.feedback",
    Schema(
        {
            "kind": OneOf("反馈类型", tuple(FEEDBACK)),
            "note": Text("反馈说明", NOTE_MAX),
            "ticket_id": Key("工单", optional=True),
        },
        optional=frozenset({"ticket_id"}),
    ),
    stream="kb",
    subject=_feedback_subject,
)


def give_feedback(
    store: Store,
    actor: Actor,
    entry_id: str,
    kind: str,
    note: str = "",
    ticket_id: str | None = None,
) -> None:
    """An agent's word on an entry: it answered the caller, or it is outdated."""
    require_answering(actor)
    kind = _one_of(kind, FEEDBACK, "kind", "反馈类型")
    raw: dict[str, Any] = {"kind": kind, "note": note}
    if ticket_id:
        raw["ticket_id"] = ticket_id
    with transaction(store.conn):
        entry = require_entry(store.conn, entry_id)
        context = judging.Context(store, actor, entry_id, entry, store.now())
        payload = judging.prepare(context, "kb.feedback", raw)
        store.emit(actor, "kb.feedback", payload, subject_id=entry_id, stream="kb")


def new_entry_id(conn: sqlite3.Connection) -> str:
    """The next Q&A id, in the knowledge base's own series: ``KB-QA-0025``. Taken inside the
    transaction that saves the entry (on the central server for a registered seat), so two
    editors never get the same one."""
    numbers = [
        int(row[0][6:])
        for row in conn.execute("SELECT id FROM kb_entries WHERE id GLOB 'KB-QA-[0-9]*'")
        if row[0][6:].isdigit()
    ]
    return f"KB-QA-{max(numbers, default=0) + 1:04d}"


# Reading ------------------------------------------------------------------------------


def require_entry(conn: sqlite3.Connection, entry_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM kb_entries WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NotFound(f"知识库条目不存在：{entry_id}")
    return row


def stored_fields(conn: sqlite3.Connection, entry_id: str) -> dict[str, Any] | None:
    """The entry's saved fields in the shape :func:`validate` returns, or None."""
    row = conn.execute("SELECT * FROM kb_entries WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        return None
    fields = {name: row[name] for name in FIELDS}
    fields["questions"] = json.loads(row["questions"])
    fields["metadata"] = json.loads(row["metadata"])
    return fields


def in_force_sql(alias: str = "e") -> str:
    """SQL condition: published and in force on the date bound to ``:today``."""
    return (
        f"{alias}.status = 'published'"
        f" AND ({alias}.effective_from IS NULL OR {alias}.effective_from <= :today)"
        f" AND ({alias}.expires_on IS NULL OR {alias}.expires_on >= :today)"
    )


def browse(
    conn: sqlite3.Connection,
    status: str | None = None,
    ids: list[str] | None = None,
    limit: int = 300,
) -> list[sqlite3.Row]:
    """Entries for the editor's list: the given ids in that order (a search's hits), or
    those needing attention first (flagged outdated, in review, drafts), then the most
    recently changed; either way of one status if asked."""
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if ids is not None:
        if not ids:
            return []
        where.append(f"id IN ({', '.join('?' for _ in ids)})")
        params += ids
    sql = "SELECT * FROM kb_entries" + (" WHERE " + " AND ".join(where) if where else "")
    # What needs an editor first: entries agents flagged, then those waiting for review.
    order = (
        "outdated_count DESC,"
        " CASE status WHEN 'review' THEN 0 WHEN 'draft' THEN 1 WHEN 'published' THEN 2 ELSE 3 END,"
        " updated_at DESC, n DESC"
    )
    rows = conn.execute(f"{sql} ORDER BY {order} LIMIT ?", (*params, limit))
    rows = rows.fetchall()
    if ids is not None:
        order = {entry_id: i for i, entry_id in enumerate(ids)}
        rows.sort(key=lambda r: order[r["id"]])
    return rows


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many entries in each review status."""
    return dict(conn.execute("SELECT status, count(*) FROM kb_entries GROUP BY 1").fetchall())


def feedback(conn: sqlite3.Connection, entry_id: str) -> list[sqlite3.Row]:
    """Agents' feedback on an entry, newest first."""
    return conn.execute(
        "SELECT f.*, coalesce(a.name, f.agent_id) AS agent_name FROM kb_feedback f"
        " LEFT JOIN agents a ON a.id = f.agent_id WHERE f.entry_id = ? ORDER BY f.at DESC",
        (entry_id,),
    ).fetchall()


def expiring(conn: sqlite3.Connection, today: date, days: int = 30) -> list[sqlite3.Row]:
    """Published entries whose last day in force falls within ``days`` from ``today``."""
    return conn.execute(
        "SELECT * FROM kb_entries WHERE status = 'published'"
        " AND expires_on BETWEEN ? AND ? ORDER BY expires_on, id",
        (today.isoformat(), (today + timedelta(days=days)).isoformat()),
    ).fetchall()


def title_keys(title: str) -> tuple[str, str]:
    """Pinyin and initials of a title, cached per word: 40,000 articles share few names."""
    parts = [_word_keys(word) for word in normalize(title).split()]
    return " ".join(p for p, _ in parts), " ".join(i for _, i in parts)


@lru_cache(maxsize=8192)
def _word_keys(word: str) -> tuple[str, str]:
    from store.directory.pinyin import search_keys

    return search_keys(word)


# Field checks -------------------------------------------------------------------------


def _entry_id(value: object) -> str:
    if not isinstance(value, str) or not ENTRY_ID.match(value.strip()):
        raise InvalidInput(
            "条目编号必须是 1–64 位字母、数字或 . _ : -，且以字母或数字开头。", field="id"
        )
    return value.strip()


def _text(value: object, field: str, label: str, limit: int, required: bool = False) -> str:
    return clean_text(value, field=field, label=label, required=required, limit=limit)


def _questions(value: object) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # one question a line, as a spreadsheet cell holds them
        value = value.split("\n")
    if not isinstance(value, list) or len(value) > QUESTIONS_MAX:
        raise InvalidInput(f"常见问法必须是不超过 {QUESTIONS_MAX} 条的列表。", field="questions")
    cleaned = [_text(q, "questions", "常见问法", TITLE_MAX) for q in value]
    return [q for q in cleaned if q]


def _topic(conn: sqlite3.Connection, value: object) -> str:
    code = _text(value, "topic_code", "主题分类", 20)
    return directory.require_topic(conn, code) if code else ""


def _date(value: object, field: str, label: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(
            f"{label}格式不对（收到 {value!r}）：格式应为 年-月-日，例如 2026-11-22。", field=field
        ) from None


def _one_of(value: object, allowed: dict[str, str], field: str, label: str) -> str:
    if value in allowed:
        return str(value)
    reverse = {v: k for k, v in allowed.items()}  # the Chinese label works as well
    if value in reverse:
        return reverse[value]
    names = "、".join(allowed.values())
    raise InvalidInput(f"{label}只能是：{names}（收到 {value!r}）。", field=field)


def _metadata(value: object) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("附加信息必须是键值对。", field="metadata")
    try:
        return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True))
    except (TypeError, ValueError):
        raise InvalidInput("附加信息只能含文字、数字和真假值。", field="metadata") from None
