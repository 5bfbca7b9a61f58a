"""The sample knowledge base: 江澄市's own Q&A entries, the starter synonym table, and the
national regulations agents answer from most (a slice of the shared law corpus, kept in
``scripts/data`` so the sample builds from this repository alone)."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from store.core.roles import Actor
from store.core.seat import Store
from store.directory import commands as directory
from store.kb import entries, importer, synonyms

DATA = Path(__file__).resolve().parent / "data"
QA = DATA / "kb-jiangcheng.jsonl"
LAWS = DATA / "kb-laws-hotline.jsonl.gz"

# National instruments on the hot topics; their articles go into the sample.
INSTRUMENTS = (
    "物业管理条例",
    "中华人民共和国噪声污染防治法",
    "中华人民共和国劳动合同法",
    "中华人民共和国劳动法",
    "中华人民共和国社会保险法",
    "中华人民共和国消费者权益保护法",
    "城市供水条例",
    "城镇燃气管理条例",
    "住房公积金管理条例",
    "失业保险条例",
    "保障农民工工资支付条例",
    "殡葬管理条例",
    "信访工作条例",
)


# Agents' feedback already given on the sample's entries (agent, entry, kind, note).
FEEDBACK = (
    ("a03", "KB-QA-0003", "outdated", "96390 已改为 0571-96390，条目未更新"),
    ("a07", "KB-QA-0003", "outdated", "停水公告已改在“江澄水务”App发布"),
    ("a05", "KB-QA-0018", "outdated", "市场监管所已合并为市场监管分局"),
    ("a02", "KB-QA-0005", "answered", ""),
)


def build_kb(store: Store) -> None:
    """Synonyms, the Q&A entries, then the regulations (as the system actor, like an import),
    and some feedback from agents so the editor's screen has something to act on."""
    actor = Actor.system()
    synonyms.install_starter(store, actor)
    importer.import_file(store, actor, QA)
    for agent_id, entry_id, kind, note in FEEDBACK:
        entries.give_feedback(
            store, directory.get_actor(store.conn, agent_id), entry_id, kind, note
        )
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "laws.jsonl"
        with gzip.open(LAWS, "rt", encoding="utf-8") as src, subset.open("w") as out:
            for line in src:
                if json.loads(line)["instrument"] in INSTRUMENTS:
                    out.write(line)
        importer.import_file(store, actor, subset)


def refs_for_topic(store: Store, topic: str) -> list[str]:
    """The Q&A entry an agent would cite for a call on ``topic`` (none if there is none)."""
    row = store.conn.execute(
        "SELECT id FROM kb_entries WHERE topic_code = ? ORDER BY id LIMIT 1", (topic,)
    ).fetchone()
    return [row[0]] if row else []
