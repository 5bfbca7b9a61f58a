"""Near matches for mistyped queries: the homophone an input method put in (燥声 → 噪声).

Almost every Chinese typo at a hotline seat comes from a pinyin input method, so it sounds
like the right word. When a query's character pair never occurs in the knowledge base but
a pair that sounds the same occurs often, the pair is corrected. The readings come from a
small file made from pypinyin's table (``scripts/make_readings.py``), read on the first
correction in a few milliseconds; the characters the knowledge base holds, from the
``kb_characters`` projection.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator, KeysView, Mapping
from functools import cache
from pathlib import Path

from store.kb.tokens import is_cjk

# A pair is suspect below this many entries, and replaced only by one found in at least
# RATIO times as many (and MIN_FOUND) entries: rare true words stay as they were typed.
SUSPECT_BELOW = 30
RATIO = 10
MIN_FOUND = 20  # … in a knowledge base of 10,000 entries or more; fewer in a smaller one
CONTEXT_CHECKS = 4  # most likely corrections of a pair checked against its neighbours


def warm(conn: sqlite3.Connection | None = None) -> None:
    """Load the reading tables (and this knowledge base's characters) now, so the first
    correction costs nothing."""
    readings()
    if conn is not None:
        _kb_characters(conn)


def correct(conn: sqlite3.Connection, segments: list[str]) -> list[str] | None:
    """The segments with suspect pairs replaced by homophones, or None if nothing changed."""
    changed = False
    result = []
    for segment in segments:
        fixed = _correct_run(conn, segment) if is_cjk(segment) and len(segment) > 1 else segment
        changed |= fixed != segment
        result.append(fixed)
    return result if changed else None


def document_counts(
    conn: sqlite3.Connection, terms: list[str], vocabulary: str = "kb_vocab"
) -> dict[str, int]:
    """How many entries hold each token (FTS5's vocabulary, any column); with
    ``kb_answers_vocab``, how many of the Q&A entries."""
    counts: dict[str, int] = {}
    for start in range(0, len(terms), 500):
        chunk = terms[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        counts.update(
            conn.execute(f"SELECT term, doc FROM {vocabulary} WHERE term IN ({marks})", chunk)
        )
    return counts


def _correct_run(conn: sqlite3.Connection, run: str) -> str:
    chars = list(run)
    own = document_counts(conn, [run[i : i + 2] for i in range(len(run) - 1)])
    weak = [i for i in range(len(chars) - 1) if own.get(chars[i] + chars[i + 1], 0) < SUSPECT_BELOW]
    if not weak:
        return run  # every pair is common: nothing to correct, no tables to load
    known = _kb_characters(conn)
    entries = conn.execute("SELECT count(*) FROM kb_entries").fetchone()[0]
    enough = max(1, min(MIN_FOUND, entries // 500))
    suspects: dict[int, set[str]] = {}
    for i in weak:
        pair = chars[i] + chars[i + 1]
        candidates = {h + chars[i + 1] for h in homophones(chars[i]) & known}
        candidates |= {chars[i] + h for h in homophones(chars[i + 1]) & known}
        suspects[i] = candidates - {pair}
    if not suspects:
        return run
    # One lookup for every candidate of every suspect pair.
    counts = document_counts(conn, sorted(set().union(*suspects.values())))
    for i, candidates in suspects.items():
        found = own.get(chars[i] + chars[i + 1], 0)
        likely = sorted(
            ((counts[c], c) for c in candidates if counts.get(c, 0) >= max(enough, RATIO * found)),
            reverse=True,
        )[:CONTEXT_CHECKS]
        if likely:
            # The pair that fits its neighbours: 公基金 → 公积金, not 工基金 (工基 is common
            # in 职工基本, but no entry says 工基金).
            chars[i], chars[i + 1] = max(
                likely, key=lambda cp: (_in_context(conn, chars, i, cp[1]), cp)
            )[1]
    return "".join(chars)


def _in_context(conn: sqlite3.Connection, chars: list[str], i: int, pair: str) -> int:
    """How many entries (up to 100) hold the run with ``pair`` at ``i``, as typed around it."""
    start, end = max(0, i - 1), min(len(chars), i + 3)
    run = "".join(chars[start:i]) + pair + "".join(chars[i + 2 : end])
    query = '"' + " ".join(run[j : j + 2] for j in range(len(run) - 1)) + '"'
    return conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH ? LIMIT 100)", (query,)
    ).fetchone()[0]


_characters: dict[tuple[str, int], dict[str, int]] = {}


def kb_character_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Each character of this knowledge base's pairs, with the entries its pairs occur in
    (summed): the only useful corrections, the likeliest first. Kept by the projection in
    ``kb_characters``; read once a process until entries are added."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    key = (path, conn.execute("SELECT coalesce(max(n), 0) FROM kb_entries").fetchone()[0])
    if key not in _characters:
        _characters.clear()
        _characters[key] = dict(conn.execute("SELECT char, entries FROM kb_characters"))
    return _characters[key]


def _kb_characters(conn: sqlite3.Connection) -> KeysView[str]:
    return kb_character_counts(conn).keys()


def homophones(char: str) -> frozenset[str]:
    """Common characters read like ``char`` in any of its readings, tones ignored."""
    of_char, by_reading = readings()
    result: set[str] = set()
    for reading in of_char.get(char, ()):
        result |= by_reading[reading]
    result.discard(char)
    return frozenset(result)


READINGS_FILE = Path(__file__).with_name("readings.txt")  # scripts/make_readings.py


class _ReadingsOf(Mapping[str, tuple[str, ...]]):
    """Each character's readings, worked out when a character is first asked about: a
    search asks about a handful, and building all 28,000 took half a cold search."""

    def __init__(self, by_reading: dict[str, frozenset[str]]):
        self._by_reading = by_reading
        self._known: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, char: str) -> tuple[str, ...]:
        if char not in self._known:
            found = tuple(r for r, chars in self._by_reading.items() if char in chars)
            if not found:
                raise KeyError(char)
            self._known[char] = found
        return self._known[char]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set().union(*self._by_reading.values())))

    def __len__(self) -> int:
        return len(set().union(*self._by_reading.values()))


@cache
def readings() -> tuple[Mapping[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """Each common character's toneless readings, and the characters of each reading —
    from the file made from pypinyin's table, about a millisecond to read."""
    by_reading: dict[str, frozenset[str]] = {}
    for line in READINGS_FILE.read_text(encoding="utf-8").splitlines():
        reading, chars = line.split("\t")
        by_reading[reading] = frozenset(chars)
    return _ReadingsOf(by_reading), by_reading


def readings_from_pypinyin() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """The same tables from pypinyin itself (0.2 s to import): what the file is made from."""
    from pypinyin.pinyin_dict import pinyin_dict

    of_char: dict[str, tuple[str, ...]] = {}
    by_reading: dict[str, set[str]] = {}
    for code, value in pinyin_dict.items():
        if not 0x4E00 <= code <= 0x9FFF:
            continue  # the common block: rarer characters are not what a seat types
        char = chr(code)
        toneless = tuple(dict.fromkeys(_toneless(r) for r in value.split(",")))
        of_char[char] = toneless
        for reading in toneless:
            by_reading.setdefault(reading, set()).add(char)
    return of_char, {k: frozenset(v) for k, v in by_reading.items()}


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
