"""Pinyin search keys for names, computed when an entry is defined (not at search time).

pypinyin takes about 0.3 s to import, so it is loaded only by the code that defines
directory entries; the console reads the stored keys and never imports it.
"""

from __future__ import annotations


def search_keys(text: str) -> tuple[str, str]:
    """Full pinyin and initials of ``text``, lower case, no spaces: 长乐街道 → changlejiedao, cljd."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, errors=lambda chars: list(chars))
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(syllables).lower(), "".join(initials).lower()
