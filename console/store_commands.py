"""``hotline store …``: maintenance of a seat database from the command line.

``info``, ``check`` and ``rebuild --check`` only read: the file is left byte for byte as it
was, and they work on a read-only file or mount. Each first asks SQLite whether the file is
sound (``info`` quickly, the others fully): a damaged file is never summarised as if it were
fine.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from console.paths import seat_db
from console.text import say
from store.core import health
from store.core.db import connect, connect_readonly
from store.core.errors import DomainError
from store.core.migrations import SCHEMA_VERSION, migrate
from store.core.rebuild import check, rebuild
from store.core.seat import Store
from store.sync import recovery
from store.tickets import calendar_years
from store.tickets.read.summary import summarize


def add_parser(sub: argparse._SubParsersAction) -> None:
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


def run(args: argparse.Namespace) -> int:
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
    conn = connect_readonly(db)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            say(
                f"数据库版本为 {version}，本程序为 {SCHEMA_VERSION}：请先用本程序打开一次以完成迁移。",
                file=sys.stderr,
            )
            return 2
        problem = (health.quick_check if command == "info" else health.full_check)(conn)
        if problem:
            say(health.StoreFailure.damaged(db, problem).message, file=sys.stderr)
            return 1
        if command == "info":
            for label, value in summarize(conn).items():
                say(f"{label}：{value}")
            with Store.open_readonly(db) as store:
                gaps = calendar_years.warning(calendar_years.unknown_years(store))
            if gaps:
                say(f"注意：{gaps}", file=sys.stderr)
            return 0
        return _compare(conn)
    finally:
        conn.close()


def _compare(conn) -> int:
    started = time.perf_counter()
    differences = check(conn)
    if differences:
        say("重建结果与现有投影不一致：", file=sys.stderr)
        for diff in differences:
            say(diff.describe(), file=sys.stderr)
        return 1
    say(f"一致：文件完好，全部投影与事件重放结果相同（{time.perf_counter() - started:.1f} 秒）。")
    return 0


def _rebuild(db: Path) -> int:
    conn = connect(db)
    try:
        migrate(conn)
        started = time.perf_counter()
        count = rebuild(conn)
        say(f"已从 {count} 个事件重建投影（{time.perf_counter() - started:.1f} 秒）。")
        return 0
    finally:
        conn.close()


def _recover(args: argparse.Namespace) -> int:
    damaged = getattr(args, "db", None)  # not checked: it is damaged
    if damaged is None or not damaged.exists():
        say("请用 --db 指定要恢复的（损坏的）座席数据库。", file=sys.stderr)
        return 2
    out = args.out or damaged.with_name(f"{damaged.name}.recovered-{datetime.now():%Y%m%d%H%M}")
    try:
        done = recovery.recover(damaged, out)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 1
    lost = "；部分未发送的工作已无法读取" if done.unreadable else ""
    say(
        f"已恢复到 {done.path}：带回未发送的事件 {done.unsent} 个{lost}，"
        f"从中心服务器取回 {done.pulled} 个事件。今后请用 hotline --db {done.path} 打开本座席。"
    )
    return 0
