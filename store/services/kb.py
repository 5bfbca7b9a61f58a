"""The knowledge base (热线百科) as the seats use it: the live search beside a call, an entry
to read and cite, feedback on it, and the editors' view (what needs attention, what expires).
Changing entries is reference data: see :mod:`store.services.reference`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from store.core.db import connect_readonly
from store.core.roles import Actor
from store.core.seat import Store
from store.directory import choices
from store.directory.choices import Choice
from store.kb import entries, importer, learning, synonyms, typos
from store.kb.entries import give_feedback
from store.kb.formats import UnreadableFile
from store.kb.learning import Miss, Proposal
from store.kb.search import Results, Scope, search

__all__ = [
    "PANEL_RESULTS",
    "EditorView",
    "Lookup",
    "Miss",
    "Proposal",
    "Results",
    "Scope",
    "UnreadableFile",
    "editor_view",
    "entry",
    "entry_for_editing",
    "export_file",
    "find",
    "give_feedback",
    "lookup",
    "misses",
    "proposals",
    "record_search",
    "parse_mapping",
    "synonym_pairs",
    "topics",
    "warm",
]

PANEL_RESULTS = 12  # hits beside a call: what fits on screen without scrolling
EDITOR_SEARCH = 100  # hits an editor's filter lists
EDITOR_ROWS = 300  # entries the editor's list shows

export_file = importer.export_file
parse_mapping = importer.parse_mapping


@dataclass(frozen=True, slots=True)
class Lookup:
    """A search beside a call: the hits and, in the same trip, the first entry in full (its
    preview is on screen with the list)."""

    results: Results
    first: dict[str, Any] | None


def record_search(
    store: Store, actor: Actor, queries: str | tuple[str, ...], entry_id: str | None
) -> int:
    """What an agent's searches of a call ended in: the entry cited, or (None) nothing —
    one piece of evidence for each of the words searched. How many were kept (words empty,
    too long or holding a personal number are not)."""
    words = (queries,) if isinstance(queries, str) else queries
    return sum(learning.record(store, actor, w, entry_id) is not None for w in words)


def proposals(store: Store) -> list[Proposal]:
    """Words agents searched with and then cited one entry for, again and again: to add as
    one of its questions (the editor decides through ``reference``: kb.proposal_decide)."""
    return learning.proposals(store.conn)


def misses(store: Store) -> list[Miss]:
    """Searches that ended with nothing cited: what the knowledge base may be missing."""
    return learning.misses(store.conn)


def lookup(store: Store, query: str) -> Lookup:
    """Published entries in force today matching ``query`` (Chinese, pinyin or initials)."""
    scope = Scope(today=store.now().date(), city=store.config().city)
    results = search(store.conn, query, scope, limit=PANEL_RESULTS)
    first = entry(store, results.hits[0].id) if results.hits else None
    return Lookup(results, first)


def find(store: Store, query: str, scope: Scope, limit: int = 10) -> Results:
    """A search with an explicit scope (the command line, the editors); the city's own
    answers first unless the scope names another city."""
    if scope.city is None:
        scope = replace(scope, city=store.config().city)
    return search(store.conn, query, scope, limit=limit)


def entry(store: Store, entry_id: str) -> dict[str, Any]:
    """One entry's stored row; an unknown id is refused."""
    return dict(entries.require_entry(store.conn, entry_id))


@dataclass(frozen=True, slots=True)
class EditorView:
    """The editors' list: the entries shown, those expiring soon, how many of each status."""

    rows: list[dict[str, Any]]
    expiring: list[dict[str, Any]]
    counts: dict[str, int]
    expiry_days: int  # the city's horizon for "expiring soon"


def editor_view(store: Store, text: str = "", status: str | None = None) -> EditorView:
    """Entries matching the editor's filter (``text`` searched among every status), those
    needing attention first; and the published ones expiring within the city's horizon."""
    ids = None
    today = store.now().date()
    if text.strip():
        scope = Scope(today=today, everything=True)
        ids = [h.id for h in search(store.conn, text, scope, limit=EDITOR_SEARCH).hits]
    days = store.config().kb_expiry_days
    return EditorView(
        rows=[dict(r) for r in entries.browse(store.conn, status, ids, limit=EDITOR_ROWS)],
        expiring=[dict(r) for r in entries.expiring(store.conn, today, days)],
        counts=entries.status_counts(store.conn),
        expiry_days=days,
    )


def entry_for_editing(
    store: Store, entry_id: str
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """An entry's saved fields and the agents' feedback on it, newest first."""
    said = [dict(r) for r in entries.feedback(store.conn, entry_id)]
    return entries.stored_fields(store.conn, entry_id), said


def topics(store: Store) -> list[Choice]:
    """The topic tree, for an entry's topic picker."""
    return choices.topics(store.conn)


def synonym_pairs(store: Store) -> dict[str, str]:
    """Everyday words and the wording the entries use for them."""
    return synonyms.pairs(store.conn)


def warm(path: Path) -> None:
    """Load the homophone tables and the knowledge base's characters now, on a read-only
    connection of the caller's thread, so the first typo costs nothing."""
    conn = connect_readonly(path)
    try:
        typos.warm(conn)
    finally:
        conn.close()
