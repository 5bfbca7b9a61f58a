"""``hotline kb …``: import, export and search the knowledge base, edit its synonym table.

Imports and synonym edits are written as the system actor (a batch job, not a person at a
seat); each still becomes events like every other change.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from console.acting import acting
from console.paths import seat_db
from console.progress import shown
from console.text import say
from store import DomainError, Store
from store.services import kb, reference
from store.services.kb import Scope, UnreadableFile
from store.services.sync import Offline, Refused


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline kb`` and its operations to the command line."""
    kb = sub.add_parser("kb", help="知识库：导入、导出、检索、同义词表")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="操作", required=True)

    imp = kb_sub.add_parser("import", help="导入条目（.jsonl/.jsonl.gz/.csv/.xlsx），按编号幂等")
    imp.add_argument("path", type=Path, help="要导入的文件")
    imp.add_argument(
        "--map",
        default="",
        metavar="字段=列,…",
        help="字段对应，如 title=名称,answer=内容；未对应的列存入附加信息",
    )
    imp.add_argument(
        "--status",
        default="published",
        help="文件未给出状态的行采用的状态（默认 published 已发布）",
    )

    exp = kb_sub.add_parser("export", help="导出条目，格式由文件名决定")
    exp.add_argument("path", type=Path, help="导出到的文件（.jsonl/.jsonl.gz/.csv/.xlsx）")
    exp.add_argument("--published-only", action="store_true", help="只导出已发布的条目")

    find = kb_sub.add_parser("search", help="检索知识库")
    find.add_argument("query", help="检索词：中文、拼音或拼音首字母")
    find.add_argument("--limit", type=int, default=10, help="最多返回条数（默认 10）")
    find.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    find.add_argument("--all", action="store_true", help="包括草稿、待审核、已撤回和已失效条目")
    find.add_argument("--topic", help="只看该诉求分类（一级分类含其下级）")
    find.add_argument("--region", help="只看该地区及全国适用的条目")
    find.add_argument("--date", type=date.fromisoformat, help="按该日期判断是否有效（默认今天）")

    syn = kb_sub.add_parser("synonyms", help="查看或修改同义词表")
    syn.add_argument("action", choices=("list", "add", "remove"), help="list | add | remove")
    syn.add_argument("words", nargs="*", help="add: 日常用语 规范用语；remove: 日常用语")

    learn = kb_sub.add_parser(
        "learning", help="检索反馈：坐席检索后引用条目形成的建议，和没有引用任何条目的检索"
    )
    learn.add_argument("--accept", nargs=2, metavar=("检索词", "条目"), help="采纳为相似问法")
    learn.add_argument("--refuse", nargs=2, metavar=("检索词", "条目"), help="不采纳")

    for parser in (imp, exp, find, syn, learn):
        parser.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
    for parser in (imp, syn, learn):
        parser.add_argument(
            "--as",
            dest="agent",
            metavar="工号",
            help="以该编辑的身份修改（已连接中心服务器的座席必须指定，并联网办理）",
        )


def run(args: argparse.Namespace) -> int:
    """Run ``hotline kb …``; the exit status (0 done, 1 refused online, 2 bad input, 3 offline)."""
    deciding = args.kb_command == "learning" and (args.accept or args.refuse)
    # A search, an export and a look at the proposals write nothing.
    reading = args.kb_command in ("search", "export", "learning") and not deciding
    db = seat_db(args, write=not reading)
    if db is None:
        return 2
    try:
        with Store.open_readonly(db) if reading else Store.open(db) as store:
            return _COMMANDS[args.kb_command](args, store)
    except (DomainError, UnreadableFile) as error:  # an older file read-only too
        say(getattr(error, "message", str(error)), file=sys.stderr)
        return 2
    except (Offline, Refused) as error:
        say(getattr(error, "message", str(error)), file=sys.stderr)
        return 3 if isinstance(error, Offline) else 1


def _import(args: argparse.Namespace, store: Store) -> int:
    if not args.path.exists():
        say(f"文件不存在：{args.path}", file=sys.stderr)
        return 2
    mapping = kb.parse_mapping(args.map)
    who = acting(store, args.agent)
    if who is None:
        return 2
    actor, session = who
    with shown() as progress:
        report = reference.import_kb(
            store, actor, args.path, mapping, args.status, session, progress
        )
    say(report.summary())
    for number, entry_id, reason in report.rejected:
        say(f"  第 {number} 行{f'（{entry_id}）' if entry_id else ''}：{reason}")
    return 1 if report.rejected else 0


def _export(args: argparse.Namespace, store: Store) -> int:
    count = kb.export_file(store, args.path, everything=not args.published_only)
    say(f"已导出 {count} 条到 {args.path}")
    return 0


def _search(args: argparse.Namespace, store: Store) -> int:
    if args.limit < 1:
        say("--limit 必须大于 0。", file=sys.stderr)
        return 2
    scope = Scope(
        today=args.date or store.now().date(),
        everything=args.all,
        topic=args.topic,
        region=args.region,
    )
    results = kb.find(store, args.query, scope, limit=args.limit)
    if args.json:
        say(json.dumps(results.as_json(), ensure_ascii=False))
        return 0
    if results.corrected:
        say(f"已按“{results.corrected}”检索")
    if not results.hits:
        say("没有找到条目。")
    for hit in results.hits:
        say(f"{hit.id}  {hit.title}\n    {hit.snippet}")
    say(f"（{len(results.hits)} 条，{results.elapsed_ms:.1f} 毫秒）")
    return 0


def _synonyms(args: argparse.Namespace, store: Store) -> int:
    if args.action == "list":
        for term, canonical in sorted(kb.synonym_pairs(store).items()):
            say(f"{term}\t{canonical}")
        return 0
    expected = 2 if args.action == "add" else 1
    if len(args.words) != expected:
        say("用法：synonyms add 日常用语 规范用语 | synonyms remove 日常用语", file=sys.stderr)
        return 2
    who = acting(store, args.agent)
    if who is None:
        return 2
    actor, session = who
    if args.action == "add":
        term, canonical = args.words
        change = {"term": term, "canonical": canonical}
        reference.run(store, actor, "kb.synonym_set", change, session)
        say(f"已设置：{term} → {canonical}")
    else:
        reference.run(store, actor, "kb.synonym_remove", {"term": args.words[0]}, session)
        say(f"已删除：{args.words[0]}")
    return 0


def _learning(args: argparse.Namespace, store: Store) -> int:
    decision = args.accept or args.refuse
    if decision:
        who = acting(store, args.agent)
        if who is None:
            return 2
        actor, session = who
        words, entry_id = decision
        change = {"query": words, "entry_id": entry_id, "accept": bool(args.accept)}
        reference.run(store, actor, "kb.proposal_decide", change, session)
        say(f"{'已采纳' if args.accept else '已不采纳'}：{words} → {entry_id}")
        return 0
    say("检索建议（多次用这些词检索后引用了同一条目）：")
    for p in kb.proposals(store):
        say(f"  {p.query}\t{p.hits} 次\t{p.entry_id} {p.title}")
    say("没有引用任何条目的检索：")
    for m in kb.misses(store):
        say(f"  {m.query}\t{m.hits} 次\t最近 {m.last_at[:16].replace('T', ' ')}")
    return 0


_COMMANDS = {
    "import": _import,
    "export": _export,
    "search": _search,
    "synonyms": _synonyms,
    "learning": _learning,
}
