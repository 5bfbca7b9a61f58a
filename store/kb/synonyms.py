"""The knowledge base's synonym table: callers' everyday words for official terms.

The table belongs to the knowledge base: editors change it (``kb.synonym_set`` /
``kb.synonym_removed`` events, synced like entries), and search expands a query from the
everyday word to the official term (噪音 also searches 噪声).
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from store.core.db import transaction
from store.core.errors import InvalidInput
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import clean_text
from store.kb.permissions import require_editor
from store.kb.tokens import normalize

# The vocabulary of everyday words and official terms (``everyday.txt`` beside this module:
# where each group came from, and how it was checked, is in its header). A new store starts
# with it; editors change it from there.
VOCABULARY = "everyday.txt"


def read_vocabulary(text: str) -> list[tuple[str, str]]:
    """The (everyday, official) pairs of a vocabulary file's text, in file order: each line
    ``official | everyday everyday …``; ``#`` starts a comment line."""
    found: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.startswith("#") or "|" not in line:
            continue
        official, words = (part.strip() for part in line.split("|", 1))
        found += [(normalize(word), official) for word in words.split()]
    return found


def _starter() -> tuple[tuple[str, str], ...]:
    text = resources.files("store.kb").joinpath(VOCABULARY).read_text(encoding="utf-8")
    return tuple(read_vocabulary(text))


STARTER: tuple[tuple[str, str], ...] = _starter()


def pairs(conn: sqlite3.Connection) -> dict[str, str]:
    """The table as it stands: term → canonical."""
    return dict(conn.execute("SELECT term, canonical FROM kb_synonyms").fetchall())


def expansions(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each everyday word → the official terms it is also searched as.

    One way only: an official term is what entries are written in, and widening it to
    every everyday word that points at it (噪声 → 广场舞) would bury the entries about it.
    """
    result: dict[str, set[str]] = {}
    for term, canonical in pairs(conn).items():
        if term != canonical:
            result.setdefault(term, set()).add(canonical)
    return result


def set_synonym(store: Store, actor: Actor, term: str, canonical: str) -> None:
    """Add or change one pair of the table."""
    require_editor(actor)
    term = _word(term, "term", "日常用语")
    canonical = _word(canonical, "canonical", "规范用语")
    with transaction(store.conn):
        if pairs(store.conn).get(term) == canonical:
            return  # unchanged: no event
        store.emit(
            actor,
            "kb.synonym_set",
            {"term": term, "canonical": canonical},
            subject_id=term,
            stream="kb",
        )


def remove_synonym(store: Store, actor: Actor, term: str) -> None:
    """Remove one pair; removing a word that is not in the table is an error."""
    require_editor(actor)
    term = _word(term, "term", "日常用语")
    with transaction(store.conn):
        if term not in pairs(store.conn):
            raise InvalidInput(f"同义词表中没有“{term}”。", field="term")
        store.emit(actor, "kb.synonym_removed", {"term": term}, subject_id=term, stream="kb")


def install_starter(store: Store, actor: Actor) -> None:
    """Install the vocabulary (idempotent: pairs already there write nothing), in one
    transaction: a new store gets all of it or none."""
    with transaction(store.conn):
        for term, canonical in STARTER:
            if term != canonical:
                set_synonym(store, actor, term, canonical)


def _word(value: object, field: str, label: str) -> str:
    word = normalize(clean_text(value, field=field, label=label, required=True, limit=20))
    if any(ch.isspace() for ch in word):
        raise InvalidInput(f"{label}不能含有空格。", field=field)
    return word
