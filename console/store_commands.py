"""``hotline store …``: maintenance of a seat database from the command line."""

from __future__ import annotations

import argparse
import sys
import time

from console.text import say
from store.db import connect, connect_readonly
from store.rebuild import check, rebuild
from store.schema import SCHEMA_VERSION, migrate
from store.summary import summarize


def run(args: argparse.Namespace) -> int:
    if not args.db.exists():
        say(f"数据库不存在：{args.db}", file=sys.stderr)
        return 2
    if args.store_command == "info" or args.check:
        return _read_only(args)
    conn = connect(args.db)
    try:
        migrate(conn)
        started = time.perf_counter()
        count = rebuild(conn)
        say(f"已从 {count} 个事件重建投影（{time.perf_counter() - started:.1f} 秒）。")
        return 0
    finally:
        conn.close()


def _read_only(args: argparse.Namespace) -> int:
    """``info`` and ``rebuild --check`` only read: the file is left byte for byte as it was."""
    conn = connect_readonly(args.db)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            say(
                f"数据库版本为 {version}，本程序为 {SCHEMA_VERSION}：请先用本程序打开一次以完成迁移。",
                file=sys.stderr,
            )
            return 2
        if args.store_command == "info":
            for label, value in summarize(conn).items():
                say(f"{label}：{value}")
            return 0
        started = time.perf_counter()
        differences = check(conn)
        if differences:
            say("重建结果与现有投影不一致：", file=sys.stderr)
            for diff in differences:
                say(diff.describe(), file=sys.stderr)
            return 1
        say(f"一致：全部投影与事件重放结果相同（{time.perf_counter() - started:.1f} 秒）。")
        return 0
    finally:
        conn.close()
