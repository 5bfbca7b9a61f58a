"""Learning from what agents cite (the 热线百科 update loop).

When an agent searches with some words and cites an entry, that pair is evidence; when a
call's search ends with nothing cited, that is evidence too — of what the knowledge base
is missing. Both are ``kb.search_outcome`` events on the ``kb`` stream, so they sync like
any agent's feedback, and every seat counts them the same way (``kb_evidence``).

When the same words led to the same entry :data:`THRESHOLD` times, they are proposed to the
editor as an alternative question of that entry. The editor accepts (the words join the
entry's questions, which the search weighs next to the title: every seat ranks the entry
higher for them once it has synced) or refuses (never proposed again). Both are recorded
as ``kb.proposal_decided``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from store.core import judging
from store.core.db import transaction
from store.core.errors import InvalidInput
from store.core.events import Event
from store.core.payloads import Flag, Key, Schema, Text
from store.core.privacy import find_personal_numbers
from store.core.projector import handles, table
from store.core.roles import Actor
from store.core.seat import Store
from store.kb import entries
from store.kb.entries import QUESTIONS_MAX
from store.kb.permissions import require_answering, require_editor
from store.kb.tokens import normalize

THRESHOLD = 3  # the same words citing the same entry this often make a proposal
QUERY_MAX = 40
_SPACES = re.compile(r"\s+")

table("kb_evidence")
table("kb_proposal_decisions")


@dataclass(frozen=True, slots=True)
class Proposal:
    query: str
    entry_id: str
    title: str
    hits: int
    last_at: str


@dataclass(frozen=True, slots=True)
class Miss:
    query: str
    hits: int
    last_at: str


def words_of(query: str) -> str:
    """The words of a search as evidence keeps them: NFKC, lower case, single spaces; ''
    for words too long to be a question, or holding a phone or ID number (a caller's
    number typed into the search box never leaves the seat)."""
    text = _SPACES.sub(" ", normalize(query)).strip()
    if not text or len(text) > QUERY_MAX:
        return ""
    if any(f.kind in ("phone", "id") for f in find_personal_numbers(text)):
        return ""
    return text


def _answering(store: Store, actor: Actor, event: Event, payload: dict) -> None:
    require_answering(actor)
    if payload.get("entry_id"):
        entries.require_entry(store.conn, payload["entry_id"])


def _editing(store: Store, actor: Actor, event: Event, payload: dict) -> None:
    require_editor(actor)
    entries.require_entry(store.conn, payload["entry_id"])


judging.declare(
    "kb.search_outcome",
    Schema(
        {"query": Text("检索词", QUERY_MAX, required=True), "entry_id": Key("条目", optional=True)}
    ),
    stream="kb",
    subject=_answering,
)
judging.declare(
    "kb.proposal_decided",
    Schema(
        {
            "query": Text("检索词", QUERY_MAX, required=True),
            "entry_id": Key("条目"),
            "accepted": Flag("采纳"),
        }
    ),
    stream="kb",
    subject=_editing,
)


def record(store: Store, actor: Actor, query: str, entry_id: str | None) -> Event | None:
    """An agent's search ended citing ``entry_id`` (None: nothing was cited). Writes nothing
    for words that are empty, too long, or hold a personal number."""
    require_answering(actor)
    words = words_of(query)
    if not words:
        return None
    with transaction(store.conn):
        if entry_id:
            entries.require_entry(store.conn, entry_id)
        subject = store.new_id()
        context = judging.Context(store, actor, subject, None, store.now())
        payload = judging.prepare(
            context, "kb.search_outcome", {"query": words, "entry_id": entry_id or None}
        )
        return store.emit(actor, "kb.search_outcome", payload, subject_id=subject, stream="kb")


def proposals(conn: sqlite3.Connection, threshold: int = THRESHOLD) -> list[Proposal]:
    """Words that led to the same entry at least ``threshold`` times, not yet decided and
    not already within the entry's title or one of its questions; most frequent first."""
    rows = conn.execute(
        "SELECT v.query, v.entry_id, k.title, k.questions, v.hits, v.last_at"
        " FROM kb_evidence v JOIN kb_entries k ON k.id = v.entry_id"
        " WHERE v.entry_id != '' AND v.hits >= ? AND NOT EXISTS (SELECT 1 FROM"
        "  kb_proposal_decisions d WHERE d.query = v.query AND d.entry_id = v.entry_id)"
        " ORDER BY v.hits DESC, v.last_at DESC LIMIT 200",
        (threshold,),
    ).fetchall()
    out = []
    for r in rows:
        # Words the title or a question already holds find the entry as they are.
        said = [normalize(t) for t in (r["title"], *_questions(r["questions"]))]
        if not any(r["query"].replace(" ", "") in t for t in said):
            out.append(Proposal(r["query"], r["entry_id"], r["title"], r["hits"], r["last_at"]))
    return out


def misses(conn: sqlite3.Connection, limit: int = 100) -> list[Miss]:
    """Searches that ended with nothing cited (and never led to a citation), most
    frequent first: what the knowledge base is missing."""
    rows = conn.execute(
        "SELECT query, hits, last_at FROM kb_evidence v WHERE entry_id = ''"
        " AND NOT EXISTS (SELECT 1 FROM kb_evidence c WHERE c.query = v.query"
        "  AND c.entry_id != '') ORDER BY hits DESC, last_at DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [Miss(r["query"], r["hits"], r["last_at"]) for r in rows]


def decide(store: Store, actor: Actor, query: str, entry_id: str, accept: bool) -> None:
    """The editor's decision on a proposal: accepted words become one of the entry's
    questions (a new version of the entry), in the same transaction as the decision."""
    require_editor(actor)
    words = words_of(query)
    if not words:
        raise InvalidInput("检索词无效。", field="query")
    with transaction(store.conn):
        fields = entries.stored_fields(store.conn, entry_id)
        if fields is None:
            entries.require_entry(store.conn, entry_id)  # raises NotFound
            return
        if accept and words not in {words_of(q) for q in fields["questions"]}:
            if len(fields["questions"]) >= QUESTIONS_MAX:
                raise InvalidInput(
                    f"条目已有 {QUESTIONS_MAX} 个相似问法，请先在条目中删去不用的再采纳。"
                )
            entries.save_entry(store, actor, {**fields, "questions": [*fields["questions"], words]})
        context = judging.Context(store, actor, entry_id, None, store.now())
        raw = {"query": words, "entry_id": entry_id, "accepted": accept}
        payload = judging.prepare(context, "kb.proposal_decided", raw)
        store.emit(actor, "kb.proposal_decided", payload, subject_id=entry_id, stream="kb")


def _questions(text: str) -> list[str]:
    value = json.loads(text or "[]")
    return value if isinstance(value, list) else []


@handles("kb.search_outcome")
def _outcome(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "INSERT INTO kb_evidence (query, entry_id, hits, last_at) VALUES (?, ?, 1, ?)"
        " ON CONFLICT (query, entry_id) DO UPDATE SET hits = hits + 1,"
        " last_at = max(last_at, excluded.last_at)",
        (e.payload["query"], e.payload.get("entry_id") or "", e.occurred_at),
    )


@handles("kb.proposal_decided")
def _decided(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO kb_proposal_decisions"
        " (query, entry_id, accepted, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
        (
            e.payload["query"],
            e.payload["entry_id"],
            int(e.payload["accepted"]),
            e.actor_id,
            e.occurred_at,
        ),
    )
