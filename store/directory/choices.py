"""What the pickers offer: topics, districts and streets, handling units, desks, reasons —
filtered as the agent types, in Chinese, full pinyin or pinyin initials."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: str  # what the list shows, e.g. "城乡建设 › 物业管理"
    name: str  # the entry's own name, matched first
    pinyin: str
    initials: str
    group: str = ""  # parent: topic level 1, district of a street, parent unit


def topics(conn: sqlite3.Connection) -> list[Choice]:
    """Second-level topics (what a ticket is filed under), labelled with their parent."""
    rows = conn.execute(
        "SELECT t.code, t.name, t.pinyin, t.initials, p.name AS parent FROM topics t "
        "JOIN topics p ON p.code = t.parent_code ORDER BY t.code"
    )
    return [Choice(r[0], f"{r[4]} › {r[1]}", r[1], r[2], r[3], r[4]) for r in rows]


def areas(conn: sqlite3.Connection) -> list[Choice]:
    """Districts (code ``D``) and their streets (code ``D/S``), streets labelled with the district."""
    result = [
        Choice(r[0], r[1], r[1], r[2], r[3])
        for r in conn.execute("SELECT code, name, pinyin, initials FROM districts ORDER BY code")
    ]
    result += [
        Choice(f"{r[4]}/{r[0]}", f"{r[5]} › {r[1]}", r[1], r[2], r[3], r[5])
        for r in conn.execute(
            "SELECT s.code, s.name, s.pinyin, s.initials, s.district_code, d.name FROM streets s "
            "JOIN districts d ON d.code = s.district_code ORDER BY s.code"
        )
    ]
    return result


def units(conn: sqlite3.Connection) -> list[Choice]:
    """Active handling units, labelled with their level."""
    rows = conn.execute(
        "SELECT u.id, u.name, u.pinyin, u.initials, u.level, coalesce(p.name, '') FROM units u "
        "LEFT JOIN units p ON p.id = u.parent_id WHERE u.active = 1 ORDER BY u.level, u.id"
    )
    return [Choice(r[0], f"{r[1]}（{r[4]}级）", r[1], r[2], r[3], r[5]) for r in rows]


def unit_districts(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """The districts each unit covers (units with no area cover the whole city)."""
    covered: dict[str, set[str]] = {}
    for unit_id, district in conn.execute("SELECT unit_id, district_code FROM unit_areas"):
        covered.setdefault(unit_id, set()).add(district)
    return {unit: frozenset(districts) for unit, districts in covered.items()}


def reasons(conn: sqlite3.Connection) -> list[Choice]:
    rows = conn.execute("SELECT code, name, guidance FROM reasons ORDER BY code")
    return [Choice(r[0], f"{r[1]} — {r[2]}" if r[2] else r[1], r[1], "", "") for r in rows]


# How agents shorten department names: 住建局 for 住房和城乡建设局 …
ABBREVIATIONS: dict[str, str] = {
    "住建": "住房和城乡建设",
    "人社": "人力资源和社会保障",
    "卫健": "卫生健康",
    "市监": "市场监督管理",
    "城管": "城市管理",
    "生态": "生态环境",
    "环保": "生态环境",
    "自规": "自然资源和规划",
    "发改": "发展和改革",
    "交运": "交通运输",
    "农业": "农业农村",
    "应急": "应急管理",
    "医保": "医疗保障",
    "文旅": "文化广电和旅游",
    "退役": "退役军人事务",
    "工信": "工业和信息化",
    "政务办": "政务服务管理办公室",
    "交警": "交通警察",
}


def _variants(q: str) -> list[str]:
    out = [q]
    for short, full in ABBREVIATIONS.items():
        if short in q:
            out.append(q.replace(short, full))
    return out


def match(choices: list[Choice], query: str, limit: int = 50) -> list[Choice]:
    """Choices matching ``query``, best first.

    A query matches the name or label as typed (Chinese), the full pinyin, or the pinyin
    initials; matches at the start of the name rank above matches inside it, and the
    entry's own name above its parent's.
    """
    q = query.strip().lower().replace(" ", "")
    if not q:
        return choices[:limit]
    queries = _variants(q)
    scored = []
    for i, c in enumerate(choices):
        ranks = [r for r in (_rank(c, v) for v in queries) if r is not None]
        rank = min(ranks) if ranks else None
        if rank is not None:
            scored.append((rank, i, c))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [c for _, _, c in scored[:limit]]


def _rank(c: Choice, q: str) -> int | None:
    for rank, key in enumerate((c.name.lower(), c.initials, c.pinyin)):
        if key.startswith(q):
            return rank
    for rank, key in enumerate((c.name.lower(), c.initials, c.pinyin, c.label.lower()), start=3):
        if q in key:
            return rank
    # last resort, the characters in order: 东湖住建 → 东湖区住房和城乡建设局, dhqzj → its initials
    if len(q) >= 3 and (_in_order(q, c.label.lower()) or _in_order(q, c.initials)):
        return 7
    return None


def _in_order(q: str, key: str) -> bool:
    chars = iter(key)
    return all(ch in chars for ch in q)
