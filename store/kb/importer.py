"""Importing entries from files and exporting them, with a report a person can act on.

Import is idempotent on the entry's id: a row equal to the stored entry writes nothing, a
changed one writes one ``kb.entry_saved``. A bad row is reported with its number and the
reason, and never stops the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from store.core.db import transaction
from store.core.errors import DomainError, InvalidInput
from store.core.progress import SILENT, Progress
from store.core.roles import Actor
from store.core.seat import Store
from store.kb import entries, formats
from store.kb.permissions import require_editor
from store.kb.vocabulary import FIELDS

BATCH = 500  # rows per transaction: each row's event is whole, and 40,000 rows stay fast

# Column names that mean one of our fields without a mapping: corpora call the answer
# "body" or "content", and our own spreadsheets may carry Chinese headers.
ALIASES: dict[str, str] = {
    "body": "answer",
    "content": "answer",
    "question": "questions",
    "编号": "id",
    "标题": "title",
    "常见问法": "questions",
    "答案": "answer",
    "正文": "answer",
    "主题分类": "topic_code",
    "责任单位": "owner_unit",
    "文号": "doc_no",
    "适用地区": "region",
    "生效日期": "effective_from",
    "失效日期": "expires_on",
    "状态": "status",
    "可见范围": "visibility",
    "核实日期": "last_verified",
}


@dataclass(slots=True)
class Report:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, reason

    def merge(self, other: Report) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [list(r) for r in self.rejected],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        rejected = [(int(n), str(i), str(r)) for n, i, r in data.get("rejected", [])]
        return cls(int(data["added"]), int(data["updated"]), int(data["unchanged"]), rejected)

    def summary(self) -> str:
        return (
            f"新增 {self.added} 条，更新 {self.updated} 条，未变 {self.unchanged} 条，"
            f"拒绝 {len(self.rejected)} 行"
        )


def parse_mapping(text: str) -> dict[str, str]:
    """``title=name,answer=content`` → {source column: our field}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        ours, _, theirs = part.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if ours not in FIELDS or not theirs:
            raise InvalidInput(
                f"字段对应写法不对：{part!r}。应为 我们的字段=文件中的列，"
                f"我们的字段有：{', '.join(FIELDS)}。",
                field="mapping",
            )
        mapping[theirs] = ours
    return mapping


Rows = list[tuple[int, dict[str, Any]]]


def import_file(
    store: Store,
    actor: Actor,
    path: Path,
    mapping: dict[str, str] | None = None,
    status: str = "published",
    save: Callable[[Rows], Report] | None = None,
    progress: Progress = SILENT,
) -> Report:
    """Import every row of ``path``; ``status`` applies to rows that do not give one.

    ``save`` takes each batch of rows (numbered, in our field names) and reports on it: by
    default :func:`save_rows` on this store; a seat registered with the central server
    sends them there instead (``store.services.reference``).
    """
    require_editor(actor)
    report = Report()
    rows = formats.read_rows(path)
    progress.begin("导入条目", None)
    while True:
        batch = list(islice(rows, BATCH))
        if not batch:
            return report
        progress.advance(len(batch))
        good: Rows = []
        for number, row in batch:
            if isinstance(row, str):  # a line the file format could not read
                report.rejected.append((number, "", row))
            else:
                good.append((number, to_fields(row, mapping or {}, status)))
        saved = save(good) if save else save_rows(store, actor, good)
        report.merge(saved)


def save_rows(store: Store, actor: Actor, rows: Rows) -> Report:
    """Validate and save numbered rows in one transaction; a bad row is reported, not saved."""
    require_editor(actor)
    report = Report()
    with transaction(store.conn):
        for number, raw in rows:
            _save_row(store, actor, number, raw, report)
    return report


def _save_row(store: Store, actor: Actor, number: int, raw: dict[str, Any], report: Report) -> None:
    if not isinstance(raw, dict):
        report.rejected.append((number, "", "这一行不是键值对。"))
        return
    try:
        fields = entries.validate(store.conn, raw)
    except DomainError as error:
        reasons = "；".join(error.errors.values()) or error.message
        report.rejected.append((number, str(raw.get("id") or ""), reasons))
        return
    outcome = entries.save_checked(store, actor, fields).outcome
    setattr(report, outcome, getattr(report, outcome) + 1)


def to_fields(row: dict[str, Any], mapping: dict[str, str], status: str) -> dict[str, Any]:
    """A file's row in our field names; columns that are not ours go to ``metadata``."""
    raw: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for column, value in row.items():
        ours = mapping.get(column) or (column if column in FIELDS else ALIASES.get(column))
        if ours is None:
            extra[column] = value
        elif ours not in raw:  # a mapped column wins over an alias of the same field
            raw[ours] = value
    if isinstance(raw.get("metadata"), str) and raw["metadata"].strip():
        with suppress(ValueError):  # if not JSON, validation reports it as not key-value pairs
            raw["metadata"] = json.loads(raw["metadata"])
    if extra:
        if isinstance(raw.get("metadata"), dict):
            raw["metadata"] = {**extra, **raw["metadata"]}
        elif not raw.get("metadata"):
            raw["metadata"] = extra
    if raw.get("id") is not None and not isinstance(raw["id"], str):
        raw["id"] = str(raw["id"])
    raw.setdefault("status", status)
    if raw["status"] in ("", None):
        raw["status"] = status
    return raw


def export_file(store: Store, path: Path, everything: bool = True) -> int:
    """Write the entries (all of them, or only published ones) in the format of ``path``."""
    where = "" if everything else "WHERE status = 'published'"
    cursor = store.conn.execute(f"SELECT id FROM kb_entries {where} ORDER BY n")
    rows = (entries.stored_fields(store.conn, entry_id) for (entry_id,) in cursor.fetchall())
    return formats.write_rows(path, FIELDS, rows)
