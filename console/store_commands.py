"""``hotline store …``: maintenance of a seat database from the command line.

``info``, ``check``, ``rebuild --check`` and ``query`` only read: the file is left byte for
byte as it was, and they work on a read-only file or mount. Each first asks SQLite whether the
file is sound (``info`` and ``query`` quickly, the others fully): a damaged file is never
summarised as if it were fine.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime
from pathlib import Path

from console.paths import seat_db
from console.progress import shown
from console.text import say, strip_controls
from store import DomainError
from store.services import maintenance


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline store`` and its operations to the command line."""
    store = sub.add_parser("store", help="座席数据库维护")
    store_sub = store.add_subparsers(dest="store_command", metavar="操作", required=True)
    rebuild_ = store_sub.add_parser("rebuild", help="从事件日志重建全部投影表")
    rebuild_.add_argument(
        "--check",
        action="store_true",
        help="只检查：重建结果与现有数据不同则列出差异并以非零状态退出",
    )
    store_sub.add_parser("info", help="显示数据库概况（先快速检查文件是否完好）")
    store_sub.add_parser("check", help="全面检查：文件完整性、投影与事件日志是否一致")
    recover = store_sub.add_parser(
        "recover", help="数据库损坏时：从中心服务器恢复到新文件，尽量保留未发送的工作"
    )
    recover.add_argument("--out", type=Path, help="新数据库文件（默认：原文件名加 .recovered）")
    query = store_sub.add_parser(
        "query", help="只读查询（一条 SELECT），结果中的电话、证件号一律隐去；供统计导出"
    )
    query.add_argument("sql", help='如 "SELECT state, count(*) AS n FROM tickets GROUP BY 1"')
    query.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="输出格式"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``hotline store …``; the exit status (0 sound, 1 damaged or different, 2 usage or
    refused)."""
    command = args.store_command
    if getattr(args, "db", None) is None:  # maintenance names its file: no default copy
        say("hotline store：请用 --db 指定数据库文件。", file=sys.stderr)
        return 2
    if command == "recover":
        return _recover(args)
    writing = command == "rebuild" and not args.check
    db = seat_db(args, write=writing)
    if db is None:
        return 2
    if not db.exists():
        say(f"数据库不存在：{db}", file=sys.stderr)
        return 2
    if writing:
        return _rebuild(db)
    try:
        if command == "query":
            return _query(db, args.sql, args.format)
        if command == "info":
            return _info(db)
        return _compare(db)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 2 if error.code in ("version", "invalid_input") else 1


def _info(db: Path) -> int:
    report = maintenance.inspect(db)
    for label, value in report.summary.items():
        say(f"{label}：{value}")
    say("各表行数：" + "，".join(f"{name} {n}" for name, n in report.tables.items()))
    if report.calendar_warning:
        say(f"注意：{report.calendar_warning}", file=sys.stderr)
    return 0


def _query(db: Path, sql: str, output: str) -> int:
    rows = maintenance.query(db, sql)
    if output == "json":
        for row in rows:
            say(json.dumps(row, ensure_ascii=False, default=str))
        return 0
    writer = csv.writer(sys.stdout, delimiter="," if output == "csv" else "\t")
    first = True
    for row in rows:
        if first:
            writer.writerow(row.keys())
            first = False
        writer.writerow([strip_controls(str(v)) if v is not None else "" for v in row.values()])
    if first:
        say("（没有结果）", file=sys.stderr)
    return 0


def _compare(db: Path) -> int:
    with shown() as progress:
        differences, seconds = maintenance.compare(db, progress)
    if differences:
        say("重建结果与现有投影不一致：", file=sys.stderr)
        for diff in differences:
            say(diff.describe(), file=sys.stderr)
        return 1
    say(f"一致：文件完好，全部投影与事件重放结果相同（{seconds:.1f} 秒）。")
    return 0


def _rebuild(db: Path) -> int:
    with shown() as progress:
        count, seconds = maintenance.rebuild_projections(db, progress)
    say(f"已从 {count} 个事件重建投影（{seconds:.1f} 秒）。")
    return 0


def _recover(args: argparse.Namespace) -> int:
    damaged = getattr(args, "db", None)  # not checked: it is damaged
    if damaged is None or not damaged.exists():
        say("请用 --db 指定要恢复的（损坏的）座席数据库。", file=sys.stderr)
        return 2
    out = args.out or damaged.with_name(f"{damaged.name}.recovered-{datetime.now():%Y%m%d%H%M}")
    try:
        done = maintenance.recover(damaged, out)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 1
    lost = "；部分未发送的工作已无法读取" if done.unreadable else ""
    say(
        f"已恢复到 {done.path}：带回未发送的事件 {done.unsent} 个{lost}，"
        f"从中心服务器取回 {done.pulled} 个事件。今后请用 hotline --db {done.path} 打开本座席。"
    )
    return 0
