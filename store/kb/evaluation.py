"""Measuring search against a set of queries with expected results.

Used by ``scripts/bench/kb_search.py`` on the 40,000-article corpus and by the test suite
on its fixture; an editor can run it after changing the synonym table. A query's expected
results are alternatives, each a ``+``-joined list of words that must all appear in the
hit (in its title, or in its title and answer).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from dataclasses import dataclass
from pathlib import Path

from store.kb.search import Scope, search


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  # two_char, multi_word, run_together, synonym, pinyin, typo
    text: str
    expect: tuple[str, ...]
    where: str  # "title" or "text"


@dataclass(frozen=True, slots=True)
class Outcome:
    query: Query
    found: bool  # a relevant entry among the first k
    elapsed_ms: float
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    outcomes: list[Outcome]

    @property
    def recall(self) -> float:
        """Share of queries with a relevant entry in the first k (recall@k, success form)."""
        return sum(o.found for o in self.outcomes) / len(self.outcomes)

    def percentile(self, p: float) -> float:
        times = sorted(o.elapsed_ms for o in self.outcomes)
        return statistics.quantiles(times, n=100, method="inclusive")[int(p) - 1]

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind → (found, asked)."""
        result: dict[str, tuple[int, int]] = {}
        for o in self.outcomes:
            found, asked = result.get(o.query.kind, (0, 0))
            result[o.query.kind] = (found + o.found, asked + 1)
        return result

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.found]


def load_queries(path: Path) -> list[Query]:
    return [
        Query(q["kind"], q["query"], tuple(q["expect"]), q.get("in", "text"))
        for q in json.loads(path.read_text(encoding="utf-8"))
    ]


def evaluate(
    conn: sqlite3.Connection, queries: list[Query], scope: Scope, k: int = 5
) -> Evaluation:
    outcomes = []
    for query in queries:
        results = search(conn, query.text, scope, limit=k)
        found = False
        for hit in results.hits:
            text = hit.title if query.where == "title" else hit.title + _answer(conn, hit.id)
            if any(all(w in text for w in alt.split("+")) for alt in query.expect):
                found = True
                break
        titles = tuple(h.title for h in results.hits)
        outcomes.append(Outcome(query, found, results.elapsed_ms, titles))
    return Evaluation(outcomes)


def _answer(conn: sqlite3.Connection, entry_id: str) -> str:
    return conn.execute("SELECT answer FROM kb_entries WHERE id = ?", (entry_id,)).fetchone()[0]
