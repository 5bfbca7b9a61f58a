"""Searching the knowledge base the way an agent types mid-call.

A query is tried in tiers, each only when the ones before found fewer than asked for, and
the results are listed tier by tier (exact before near):

1. every segment as an exact phrase, or as any of its synonyms (噪音 → 噪声);
2. the same with homophone typos corrected, where the knowledge base rarely has a pair of
   the query and often has one that sounds the same (燥声 → 噪声, 公基金 → 公积金);
3. run-together words split where the knowledge base never (or rarely) has the pair
   (失业金怎么领 → 失业金 + 领), each piece with its synonyms; then the pairs of each piece in any order
   (夜间施工噪声 where an entry says 夜间施工产生的噪声);
4. titles by pinyin or initials, when the query is Latin letters (zaosheng, wygl); then
   the pinyin as the likely Chinese words, for any words (gongjijin tiqu → 公积金 提取);
5. any of the pieces, best first (bm25 rewards entries holding more of them).

Within a tier, entries whose title (or the ways callers ask) matches come first (see
``_Run.match``); then FTS5's bm25 ranks, title worth most, questions next, body least.

The city's own answers come before everything else: when the scope names the city, the
tiers (but the loosest) run first over the city's Q&A entries — what an agent reads to the
caller — and then over every entry, so national and provincial articles follow below.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.kb import pinyin_words, synonyms, typos
from store.kb.entries import in_force_sql
from store.kb.tokens import is_cjk, pairs, phrase, segments

WEIGHTS = (10.0, 6.0, 1.0)  # bm25 weights: title, questions, body
_RANK = "bm25(kb_fts, {}, {}, {})".format(*WEIGHTS)
SNIPPET_CHARS = 60
MAX_VARIANTS = 8
SPLIT_RATIO = 10  # a pair this many times rarer than both its neighbours splits a word
MAX_OR_CHARS = 8  # longer words are not split into an OR of pairs: too broad, too slow
# The city's own answer: a Q&A entry (they alone are in kb_answers_fts) of the city.
OWN_ANSWER = "e.region = :city"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which entries a search looks at. Agents see published entries in force ``today``."""

    today: date
    everything: bool = False  # drafts, entries in review, withdrawn and expired ones too
    topic: str | None = None  # a topic code; a first-level code takes its children too
    region: str | None = None  # entries for this region and national ones (全国)
    city: str | None = None  # the city whose own Q&A entries come first


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    title: str
    snippet: str
    score: float
    status: str
    region: str


@dataclass(slots=True)
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    elapsed_ms: float = 0.0
    terms: list[str] = field(default_factory=list)  # words to highlight in a preview
    corrected: str | None = None  # the query as searched, when a typo was corrected

    def as_json(self) -> dict[str, Any]:
        """The ``hotline kb search --json`` object."""
        return {
            "query": self.query,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "corrected": self.corrected,
            "results": [
                {"id": h.id, "title": h.title, "snippet": h.snippet, "score": h.score}
                for h in self.hits
            ],
        }


def search(conn: sqlite3.Connection, query: str, scope: Scope, limit: int = 10) -> Results:
    """Entries matching ``query``, best first. Any text is a query; none is a syntax error."""
    started = time.perf_counter()
    run = _Run(conn, scope, limit, synonyms.expansions(conn))
    words = _worth_searching(segments(query))
    if words and scope.city:
        run.own_only = True
        run.tiers(words, loosest=False)
        run.own_only = False
    if words and not run.full():
        run.tiers(words)
    results = Results(
        query=query,
        hits=[_hit(row, score, run.terms) for row, score in run.found.values()],
        terms=sorted(run.terms, key=len, reverse=True),
        corrected=run.corrected,
    )
    results.elapsed_ms = (time.perf_counter() - started) * 1000
    return results


class _Run:
    """One search's state: what is found so far (in order) and which words matched."""

    def __init__(
        self, conn: sqlite3.Connection, scope: Scope, limit: int, expansions: dict[str, set[str]]
    ):
        self.conn = conn
        self.scope = scope
        self.limit = limit
        self.expansions = expansions
        self.found: dict[str, tuple[sqlite3.Row, float]] = {}
        self.terms: set[str] = set()
        self.corrected: str | None = None
        self.own_only = False  # only the city's own Q&A entries (the first pass)
        self.loosest = False  # running the loosest tier (any of the pieces)
        self._memo: dict[tuple[str, ...], Any] = {}  # what both passes would work out

    def tiers(self, words: list[str], loosest: bool = True) -> None:
        """Run the tiers of the module docstring until ``limit`` entries are found (without
        the loosest, any of the pieces, unless ``loosest``)."""
        self.match(" AND ".join(self.group(w) for w in words))
        if self.full():
            return
        # A homophone typo comes before splitting: split at the typo, the pieces left
        # (公基金 → 基金) would fill the list with the wrong matter.
        corrected = self.correct(words)
        if corrected is not None:
            before = len(self.found)
            self.exact_and_split(corrected)
            if len(self.found) > before:
                self.corrected = " ".join(corrected)
        if not self.full():
            self.exact_and_split(words, exact_done=True)
        if not self.full() and _looks_like_pinyin(words):
            self.by_title_keys("".join(words))
            # Reading pinyin as words costs tens of milliseconds: only when the titles'
            # pinyin does not answer the query already (it does for zaosheng, wygl).
            wanted = not self.full() and not self.titles_answer("".join(words))
            chinese = self.from_pinyin(words) if wanted else None
            if chinese:
                before = len(self.found)
                self.exact_and_split(chinese)
                if len(self.found) > before:
                    self.corrected = " ".join(chinese)
        if loosest and not self.full():
            self.loosest = True  # the city's answers that hold a piece are welcome here
            self.any_piece(corrected or words)
            self.loosest = False

    def exact_and_split(self, words: list[str], exact_done: bool = False) -> None:
        """Exact phrases, then run-together words split, then their pairs in any order."""
        if not exact_done:
            self.match(" AND ".join(self.group(w) for w in words))
        pieces = self.pieces(words)
        if not self.full() and pieces != words:
            self.match(" AND ".join(self.group(p) for p in pieces))
        if not self.full() and any(is_cjk(p) and len(p) > 2 for p in pieces):
            self.match(" AND ".join(self.loose(p) for p in pieces))

    def full(self) -> bool:
        return len(self.found) >= self.limit

    def any_piece(self, words: list[str]) -> None:
        """Entries holding some of the pieces (or, for one long word, of its pairs), ranked
        by bm25 alone: a title holding one piece is no better than a body holding three."""
        pieces = self.pieces(words)
        if len(pieces) > 1:
            self.match_in(" OR ".join(self.group(p) for p in pieces))
        elif pieces and is_cjk(pieces[0]) and 2 < len(pieces[0]) <= MAX_OR_CHARS:
            self.match_in(" OR ".join(phrase(p) for p in pairs(pieces[0])))

    def loose(self, word: str) -> str:
        """A word's pairs in any order (夜间施工噪声 where an entry says 夜间施工的噪声),
        or those of any of its synonyms."""
        if not is_cjk(word) or len(word) <= 2:
            return self.group(word)
        variants = self.variants(word)
        return "(" + " OR ".join(" AND ".join(phrase(p) for p in pairs(v)) for v in variants) + ")"

    def correct(self, words: list[str]) -> list[str] | None:
        """The words with homophone typos corrected (None if none), worked out once a run."""
        key = ("correct", *words)
        if key not in self._memo:
            cjk = any(is_cjk(w) for w in words)
            fixed = typos.correct(self.conn, words) if cjk else None
            # Callers' words the vocabulary knows are not typos (公租房 is not 公告房, 看病
            # not 看并): a correction that changes one is not made.
            if fixed is not None and self._changes_known(words, fixed):
                fixed = None
            self._memo[key] = fixed
        return self._memo[key]

    def _changes_known(self, words: list[str], fixed: list[str]) -> bool:
        for word, new in zip(words, fixed, strict=False):
            for term in self.expansions:
                at = word.find(term) if len(term) > 1 else -1
                if at >= 0 and new[at : at + len(term)] != term:
                    return True
        return False

    def titles_answer(self, letters: str) -> bool:
        """Whether enough titles, of any entry, hold ``letters`` as pinyin or initials."""
        key = ("titles", letters)
        if key not in self._memo:
            found = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM kb_title_keys WHERE kb_title_keys MATCH ?"
                " LIMIT ?)",
                (f'"{letters}"', self.limit),
            ).fetchone()[0]
            self._memo[key] = found >= self.limit
        return self._memo[key]

    def from_pinyin(self, words: list[str]) -> list[str] | None:
        """Pinyin typed for any words as the likely Chinese words (gongjijin tiqu → 公积金
        提取), worked out once a run."""
        key = ("pinyin", *words)
        if key not in self._memo:
            self._memo[key] = pinyin_words.to_chinese(self.conn, words)
        return self._memo[key]

    def pieces(self, words: list[str]) -> list[str]:
        """Run-together words split between words: where a pair of characters occurs in no
        entry, or in far fewer than the pairs beside it (解除劳动合同经济补偿: 同经 is rare
        next to 合同 and 经济, so 解除劳动合同 + 经济补偿). Worked out once a run."""
        key = ("pieces", *words)
        if key not in self._memo:
            self._memo[key] = self._split(words)
        return self._memo[key]

    def _split(self, words: list[str]) -> list[str]:
        cjk_pairs = sorted({p for w in words if is_cjk(w) and len(w) > 2 for p in pairs(w)})
        counts = typos.document_counts(self.conn, cjk_pairs) if cjk_pairs else {}
        result: list[str] = []
        for word in words:
            if not is_cjk(word) or len(word) <= 2:
                result.append(word)
                continue
            found = [counts.get(p, 0) for p in pairs(word)]
            piece = word[0]
            for i in range(1, len(word)):
                if _splits(found, i - 1):
                    result.append(piece)
                    piece = ""
                piece += word[i]
            result.append(piece)
        return _worth_searching(result)

    def group(self, word: str) -> str:
        """FTS5 expression for a word or any of its synonyms."""
        return "(" + " OR ".join(phrase(v) for v in self.variants(word)) + ")"

    def variants(self, word: str) -> list[str]:
        """The word and the word with each everyday term in it replaced by its official one."""
        variants = [word]
        for term, alternatives in self.expansions.items():
            if term in word and (len(term) > 1 or term == word):
                variants += [word.replace(term, alt) for alt in sorted(alternatives)]
                self.terms.update(alternatives)  # 暖气不热 highlights 供热 in an answer
        variants = list(dict.fromkeys(variants))[:MAX_VARIANTS]
        self.terms.update(variants)
        return variants

    def match(self, expression: str) -> None:
        """Entries matching ``expression``, in three passes: in the title (or the ways
        callers ask) and the body; in the title only; anywhere. bm25 alone lets a title
        match lose to a short body, and ranks a title with a one-line body (本条例自…起施行)
        above the article that is about the matter."""
        head = f"{{title questions}} : ({expression})"
        self.match_in(f"{head} AND {{body}} : ({expression})")
        if len(self.found) < self.limit:
            self.match_in(head)
        if len(self.found) < self.limit:
            self.match_in(expression)

    def match_in(self, expression: str) -> None:
        index = "kb_answers_fts" if self.own_only else "kb_fts"
        rank = _RANK.replace("kb_fts", index)
        sql = (
            f"SELECT e.id, e.title, e.answer, e.status, e.region, {rank} AS rank"
            f" FROM {index} JOIN kb_entries e ON e.n = {index}.rowid"
            f" WHERE {index} MATCH :q {self.filters()} ORDER BY rank LIMIT :limit"
        )
        self.collect(sql, {"q": expression}, lambda row: round(-row["rank"], 3))

    def by_title_keys(self, letters: str) -> None:
        sql = (
            "SELECT e.id, e.title, e.answer, e.status, e.region, e.use_count"
            " FROM kb_title_keys k JOIN kb_entries e ON e.n = k.rowid"
            f" WHERE kb_title_keys MATCH :q {self.filters()}"
            " ORDER BY e.use_count DESC, length(e.title), e.n LIMIT :limit"
        )
        self.terms.add(letters)
        self.collect(sql, {"q": f'"{letters}"'}, lambda row: 1.0)

    def filters(self) -> str:
        parts = [] if self.scope.everything else [in_force_sql("e")]
        if self.scope.topic:
            parts.append("(e.topic_code = :topic OR e.topic_code LIKE :topic || '__')")
        if self.scope.region:
            parts.append("e.region IN (:region, '全国')")
        if self.own_only:
            parts.append(OWN_ANSWER)
        elif self.scope.city and not self.loosest:
            # The city's answers had their own pass: one it did not find is not about the
            # matter (a word in passing), and must not sit among the articles — except at
            # the loosest tier, the last resort, where nothing better was found.
            parts.append(f"NOT ({OWN_ANSWER} AND e.n IN (SELECT rowid FROM kb_answers_fts))")
        return "".join(f" AND {p}" for p in parts)

    def collect(self, sql: str, params: dict[str, Any], score) -> None:
        params = {
            **params,
            "limit": self.limit + len(self.found),
            "today": self.scope.today.isoformat(),
            "topic": self.scope.topic,
            "region": self.scope.region,
            "city": self.scope.city,
        }
        for row in self.conn.execute(sql, params):
            if len(self.found) >= self.limit:
                break
            key = row["id"]
            if key not in self.found:
                self.found[key] = (row, score(row))


def _splits(found: list[int], i: int) -> bool:
    """Is pair ``i`` (of a word's pairs, with these entry counts) a gap between words?"""
    if found[i] == 0:
        return True
    beside = [found[j] for j in (i - 1, i + 1) if 0 <= j < len(found)]
    return found[i] * SPLIT_RATIO < min(beside)


def _worth_searching(words: list[str]) -> list[str]:
    """Lone characters are noise beside real words (but a lone word is searched)."""
    longer = [w for w in words if len(w) > 1]
    return longer or words[:1]


def _looks_like_pinyin(words: list[str]) -> bool:
    letters = "".join(words)
    return len(letters) >= 3 and letters.isascii() and letters.isalpha()


def _hit(row: sqlite3.Row, score: float, terms: set[str]) -> Hit:
    return Hit(
        id=row["id"],
        title=row["title"],
        snippet=snippet(row["answer"], terms),
        score=score,
        status=row["status"],
        region=row["region"],
    )


def snippet(text: str, terms: set[str] | list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around the first of ``terms`` it holds."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    positions = [p for p in (lowered.find(t) for t in terms if t) if p >= 0]
    start = max(0, min(positions) - width // 4) if positions else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")
