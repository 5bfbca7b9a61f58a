"""The fixed vocabularies of a knowledge-base entry: codes stored, Chinese labels shown."""

from __future__ import annotations

import re

ENTRY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

STATUSES: dict[str, str] = {
    "draft": "草稿",
    "review": "待审核",
    "published": "已发布",
    "withdrawn": "已撤回",
}
# Review workflow: which status an entry may move to from each status. Nothing is published
# without review (an import states its rows' status itself).
STATUS_MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"review", "withdrawn"}),
    "review": frozenset({"draft", "published", "withdrawn"}),
    "published": frozenset({"review", "withdrawn"}),
    "withdrawn": frozenset({"draft", "review"}),
}
VISIBILITIES: dict[str, str] = {"internal": "内部", "public": "公开"}
FEEDBACK: dict[str, str] = {"answered": "解答了来电人的问题", "outdated": "内容已过时"}

# The fields of a saved entry, in the order exports write them.
FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "questions",
    "answer",
    "topic_code",
    "owner_unit",
    "doc_no",
    "region",
    "effective_from",
    "expires_on",
    "status",
    "visibility",
    "last_verified",
    "metadata",
)
