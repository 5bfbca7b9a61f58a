"""Pinyin typed for any words — an agent who did not switch the input method types
``gongjijin tiqu`` for 公积金提取 — turned into the likely Chinese words, chosen from the
knowledge base's own character pairs.

Each typed word is split into syllables (``gongjijin`` → gong ji jin); each syllable may be
any of the knowledge base's characters read that way; the sequences whose neighbouring
pairs stand together more than chance would have it (and appear in the city's answers)
come first (the pairs' counts come from FTS5's vocabularies, two queries a word); a few
such readings per word are checked as whole words, and in combination, against the city's
answers and then every entry. A word that is not pinyin, or whose characters never stand next to
each other in any entry, gives nothing.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from functools import cache

from store.kb import typos
from store.kb.tokens import phrase

CANDIDATES = 40  # characters tried per syllable: the knowledge base's most frequent
ANSWERS_BONUS = 3.0  # weight of a pair's use in the city's Q&A entries
BEAM = 60  # partial readings kept while a word is read syllable by syllable
READINGS = 3  # readings kept per word, checked together against the entries
JOINED_WORDS = 3  # more words than this: each word's best reading, unchecked
WHOLE_CHECKS = 8  # a word's likeliest readings, checked as whole words
LONGEST_SYLLABLE = 6  # zhuang, shuang …


@cache
def _syllables() -> frozenset[str]:
    readings, by_reading = typos.readings()
    return frozenset(by_reading)


def split(word: str) -> list[str] | None:
    """``word`` as pinyin syllables, longest first (``xian`` stays one), or None."""
    word = word.lower().replace("v", "u")  # lv → lü, as input methods take it
    valid = _syllables()

    def rest(start: int) -> list[str] | None:
        if start == len(word):
            return []
        for end in range(min(len(word), start + LONGEST_SYLLABLE), start, -1):
            if word[start:end] in valid:
                tail = rest(end)
                if tail is not None:
                    return [word[start:end], *tail]
        return None

    return rest(0)


def to_chinese(conn: sqlite3.Connection, words: list[str]) -> list[str] | None:
    """The likely Chinese for each typed pinyin word, or None if any word is not one. Of each
    word's likeliest readings, the combination the city's answers, then all entries, hold
    together most often wins (shebao bujiao → 社保 补缴, though 不缴 is the commoner pair)."""
    readings = []
    for word in words:
        found = _word(conn, word)
        if not found:
            return None
        readings.append(found)
    if len(readings) == 1 or len(readings) > JOINED_WORDS:
        return [r[0] for r in readings]
    combinations = [list(c) for c in itertools.product(*readings)]
    return max(
        combinations,
        key=lambda c: (
            _together(conn, c, "kb_answers_fts"),
            _together(conn, c),
            -combinations.index(c),
        ),
    )


def _together(conn: sqlite3.Connection, words: list[str], index: str = "kb_fts") -> int:
    """How many entries (up to 100) of ``index`` hold every one of ``words``."""
    query = " AND ".join(phrase(w) for w in words)
    return conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ? LIMIT 100)",
        (query,),
    ).fetchone()[0]


def _word(conn: sqlite3.Connection, word: str) -> list[str]:
    """A typed word's likeliest Chinese readings, best first (at most :data:`READINGS`)."""
    syllables = split(word)
    if not syllables:
        return []
    frequency = typos.kb_character_counts(conn)
    _, by_reading = typos.readings()
    options = [
        sorted(by_reading.get(s, frozenset()) & frequency.keys(), key=lambda c: -frequency[c])[
            :CANDIDATES
        ]
        for s in syllables
    ]
    if not all(options):
        return []
    if len(options) == 1:
        return options[0][:READINGS]  # one syllable: the commonest characters
    neighbours = zip(options, options[1:], strict=False)
    pairs = sorted({a + b for x, y in neighbours for a in x for b in y})
    counts = typos.document_counts(conn, pairs)
    in_answers = typos.document_counts(conn, pairs, "kb_answers_vocab")
    # A beam search over the syllables. A pair scores by how much more often its characters
    # stand together than their own frequency would have it (公积 beats 工基, whose
    # characters are everywhere), and more if the city's answers use it: they are written
    # in callers' words (低保, not 的保).
    weight = {c: 0.5 * math.log(frequency[c]) for column in options for c in column}
    paths = [(0.0, c) for c in options[0]]
    for column in options[1:]:
        paths = sorted(
            (
                (
                    score
                    + math.log(counts[path[-1] + c])
                    - weight[path[-1]]
                    - weight[c]
                    + ANSWERS_BONUS * math.log1p(in_answers.get(path[-1] + c, 0)),
                    path + c,
                )
                for score, path in paths
                for c in column
                if counts.get(path[-1] + c)
            ),
            reverse=True,
        )[:BEAM]
        if not paths:
            return []  # no entry holds these sounds side by side
    # The likeliest readings checked as whole words, in the city's answers first — they are
    # written in callers' words (shiyejin: 失业金, though 事业进 fills a thousand articles).
    whole = paths[:WHOLE_CHECKS]
    paths = sorted(
        whole,
        key=lambda sp: (
            _together(conn, [sp[1]], "kb_answers_fts"),
            _together(conn, [sp[1]]),
            sp[0],
        ),
        reverse=True,
    )
    return [path for _score, path in paths[:READINGS]]
