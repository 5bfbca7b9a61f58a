"""The ``hotline`` command line. Imports stay lazy: ``hotline store …`` never loads Textual."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="12345 政务服务便民热线座席控制台。不带子命令时打开控制台。",
    )
    parser.add_argument("--db", type=Path, help="座席数据库文件（默认：用户目录下的示例数据副本）")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    console = sub.add_parser("console", help="打开座席控制台（默认）")
    console.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")

    store = sub.add_parser("store", help="座席数据库维护")
    store_sub = store.add_subparsers(dest="store_command", metavar="操作", required=True)
    rebuild = store_sub.add_parser("rebuild", help="从事件日志重建全部投影表")
    rebuild.add_argument("--db", type=Path, required=True, help="数据库文件")
    rebuild.add_argument(
        "--check",
        action="store_true",
        help="只检查：重建结果与现有数据不同则列出差异并以非零状态退出",
    )
    info = store_sub.add_parser("info", help="显示数据库概况")
    info.add_argument("--db", type=Path, required=True, help="数据库文件")

    from central import cli as central_cli
    from console import catalogue_commands, kb_commands, sync_commands, unit_commands

    kb_commands.add_parser(sub)
    unit_commands.add_parser(sub)
    catalogue_commands.add_parser(sub)
    sync_commands.add_parser(sub)
    central_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "store":
        from console import store_commands

        return store_commands.run(args)
    if args.command == "central":
        from central import cli as central_cli

        return central_cli.run(args)
    from console.paths import default_db

    try:
        db = args.db or default_db()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "kb":
        from console import kb_commands

        return kb_commands.run(args, db)
    if args.command == "unit":
        from console import unit_commands

        return unit_commands.run(args, db)
    if args.command == "sync":
        from console import sync_commands

        return sync_commands.run(args, db)
    if args.command == "catalogue":
        from console import catalogue_commands

        return catalogue_commands.run(args, db)
    from console.app import HotlineApp

    HotlineApp(db).run()
    return 0


def run() -> int:
    """Entry point: ``main`` with a quiet exit when the output pipe closes (``| head``)."""
    try:
        return main()
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(run())
