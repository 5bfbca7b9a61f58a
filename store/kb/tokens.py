"""How knowledge-base text becomes search tokens, and a query becomes segments.

Chinese has no spaces, and callers' words are mostly two characters (噪声, 供水, 社保).
Every run of Chinese characters is indexed as its overlapping two-character pairs
(夜间施工 → 夜间 间施 施工), so any word of two or more characters is a phrase of pairs,
found without a dictionary. Latin letters and digits are indexed as lower-case words.
FTS5's own ``unicode61`` tokenizer then only has to split on the spaces we put in.
"""

from __future__ import annotations

import re
import unicodedata

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")

# Words a caller says around the matter itself; they name nothing in an entry.
FILLER_WORDS: tuple[str, ...] = (
    "怎么办",
    "怎么样",
    "怎么",
    "如何",
    "什么",
    "哪里",
    "哪儿",
    "哪个",
    "多少",
    "是否",
    "可以",
    "能不能",
    "能否",
    "有没有",
    "请问",
    "咨询",
    "一下",
    "为什么",
    "谁管",
)
# Particles: dropped at the end of a run; 的 also inside one (停车费的标准), except in
# the few words it belongs to (目的, 的士, 的确).
_FILLER = re.compile(
    "|".join(sorted(FILLER_WORDS, key=len, reverse=True))
    + r"|[了吗呢吧啊](?![\u4e00-\u9fff])|(?<!目)的(?![士确])"
)

# FTS5 query keywords: typed by an agent they are words, and as words they are noise.
_FTS_KEYWORDS = frozenset({"and", "or", "not", "near"})


def normalize(text: str) -> str:
    """Full-width to half-width, lower case: the form both index and query are made in."""
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(run: str) -> bool:
    return not run[0].isascii()


def pairs(run: str) -> list[str]:
    """Overlapping two-character tokens of a Chinese run; a lone character stays itself."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """The text FTS5 indexes for ``text``: pairs for Chinese, words for the rest."""
    tokens: list[str] = []
    for match in _RUNS.finditer(normalize(text)):
        run = match.group()
        tokens.extend(pairs(run) if is_cjk(run) else [run])
    return " ".join(tokens)


def segments(query: str) -> list[str]:
    """The runs of a query worth searching for, in order; whatever the agent typed.

    Quotes, brackets, ``*`` and FTS keywords never reach FTS5 as syntax: only the runs of
    Chinese, letters and digits survive, and filler words (怎么, 如何 …) are dropped.
    """
    text = _FILLER.sub(" ", normalize(query))
    runs = [m.group() for m in _RUNS.finditer(text)]
    return [r for r in runs if r not in _FTS_KEYWORDS]


def phrase(run: str) -> str:
    """An FTS5 phrase matching ``run`` exactly (as a substring of Chinese text)."""
    if is_cjk(run) and len(run) == 1:
        return f'"{run}"*'  # a lone character: any pair that starts with it
    return '"' + " ".join(pairs(run) if is_cjk(run) else [run]) + '"'
