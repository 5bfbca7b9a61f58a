"""Applying knowledge-base events to ``kb_entries``, the feedback log, the synonym table and
the two search indexes. Pure replay, like every projection (see :mod:`store.core.projector`).

A ticket answered directly counts a use of each entry it cites: this context subscribes to
``ticket.answered`` itself, beside the tickets' own handler.
"""

from __future__ import annotations

import json
import sqlite3

from store.core.events import Event
from store.core.projector import handles, table, upsert
from store.kb.tokens import index_text
from store.kb.vocabulary import FIELDS

table("kb_entries", made_by="kb.entry_saved")
table("kb_feedback")
table("kb_synonyms", key=("term",))
table("kb_characters", key=("char",))  # what the typo correction and pinyin reading know
# Search indexes over kb_entries: cleared and refilled with it, not compared row by row.
table("kb_fts", index=True)
table("kb_answers_fts", index=True)
table("kb_title_keys", index=True)


@handles("kb.entry_saved")
def _saved(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    row = {name: p.get(name) for name in FIELDS}
    row["questions"] = json.dumps(p["questions"], ensure_ascii=False)
    row["metadata"] = json.dumps(p["metadata"], ensure_ascii=False, sort_keys=True)
    row.update(
        title_pinyin=p["title_pinyin"],
        title_initials=p["title_initials"],
        updated_at=e.occurred_at,
        updated_by=e.actor_id,
    )
    before = conn.execute(
        "SELECT title, questions, answer FROM kb_entries WHERE id = ?", (p["id"],)
    ).fetchone()
    if before is not None:
        _count_characters(conn, (before[0], " ".join(json.loads(before[1])), before[2]), -1)
    _count_characters(conn, (p["title"], " ".join(p["questions"]), p["answer"]), 1)
    n = conn.execute("SELECT n FROM kb_entries WHERE id = ?", (p["id"],)).fetchone()
    if n is None:
        cols = ", ".join(row)
        marks = ", ".join(f":{c}" for c in row)
        n = conn.execute(f"INSERT INTO kb_entries ({cols}) VALUES ({marks})", row).lastrowid
    else:
        n = n[0]
        sets = ", ".join(f"{c} = :{c}" for c in row)
        # An edit answers the agents' "outdated" flags: they no longer stand against it
        # (the feedback itself stays in kb_feedback).
        conn.execute(
            f"UPDATE kb_entries SET {sets}, outdated_count = 0 WHERE n = :n", {**row, "n": n}
        )
        conn.execute("DELETE FROM kb_fts WHERE rowid = ?", (n,))
        conn.execute("DELETE FROM kb_answers_fts WHERE rowid = ?", (n,))
        conn.execute("DELETE FROM kb_title_keys WHERE rowid = ?", (n,))
    indexed = (
        n,
        index_text(p["title"]),
        index_text(" ".join(p["questions"])),
        index_text(p["answer"]),
    )
    conn.execute("INSERT INTO kb_fts (rowid, title, questions, body) VALUES (?, ?, ?, ?)", indexed)
    if "instrument" not in p["metadata"]:  # an answer, not an article of a law: indexed twice
        conn.execute(
            "INSERT INTO kb_answers_fts (rowid, title, questions, body) VALUES (?, ?, ?, ?)",
            indexed,
        )
    conn.execute(
        "INSERT INTO kb_title_keys (rowid, pinyin, initials) VALUES (?, ?, ?)",
        (n, p["title_pinyin"].replace(" ", ""), p["title_initials"].replace(" ", "")),
    )


def _count_characters(conn: sqlite3.Connection, texts: tuple[str, ...], sign: int) -> None:
    """Add (or, with ``sign`` -1, take away) one entry's share of ``kb_characters``: each
    character once for every distinct Chinese pair of the entry it is in — what FTS5's
    vocabulary would give, summed per character."""
    found = {t for text in texts for t in index_text(text).split()}
    shares: dict[str, int] = {}
    for token in found:
        if len(token) == 2 and not token.isascii():
            for char in token:
                shares[char] = shares.get(char, 0) + sign
    conn.executemany(
        "INSERT INTO kb_characters (char, entries) VALUES (?, ?)"
        " ON CONFLICT (char) DO UPDATE SET entries = entries + excluded.entries",
        shares.items(),
    )
    if sign < 0:
        conn.execute("DELETE FROM kb_characters WHERE entries <= 0")


@handles("kb.status_changed")
def _status(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE kb_entries SET status = ?, updated_at = ?, updated_by = ?,"
        " last_verified = coalesce(?, last_verified) WHERE id = ?",
        (
            e.payload["status"],
            e.occurred_at,
            e.actor_id,
            e.payload.get("verified_on"),
            e.subject_id,
        ),
    )


@handles("kb.feedback")
def _feedback(conn: sqlite3.Connection, e: Event) -> None:
    kind = e.payload["kind"]
    conn.execute(
        "INSERT INTO kb_feedback (event_id, entry_id, agent_id, at, kind, note, ticket_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            e.id,
            e.subject_id,
            e.actor_id,
            e.occurred_at,
            kind,
            e.payload["note"],
            e.payload.get("ticket_id"),
        ),
    )
    column = {"answered": "answered_count", "outdated": "outdated_count"}[kind]
    conn.execute(f"UPDATE kb_entries SET {column} = {column} + 1 WHERE id = ?", (e.subject_id,))


@handles("kb.synonym_set")
def _synonym_set(conn: sqlite3.Connection, e: Event) -> None:
    upsert(conn, "kb_synonyms", {"term": e.payload["term"], "canonical": e.payload["canonical"]})


@handles("kb.synonym_removed")
def _synonym_removed(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute("DELETE FROM kb_synonyms WHERE term = ?", (e.payload["term"],))


@handles("ticket.answered")
def _cited(conn: sqlite3.Connection, e: Event) -> None:
    """A direct answer cited these entries: each counts one more use."""
    conn.executemany(
        "UPDATE kb_entries SET use_count = use_count + 1 WHERE id = ?",
        [(i,) for i in e.payload["kb_refs"]],
    )
