"""``hotline catalogue …``: the dispatch catalogue (topic + district → suggested lead unit)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.acting import acting
from console.paths import seat_db
from console.text import say
from store import DomainError, Store
from store.services import reference
from store.services.sync import Offline, Refused


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline catalogue`` and its operations to the command line."""
    cat = sub.add_parser("catalogue", help="派单目录：诉求分类 + 区县 → 推荐主办单位")
    cat.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
    cat.add_argument(
        "--as",
        dest="agent",
        metavar="工号",
        help="以该值班长或管理员的身份修改（已连接中心服务器的座席必须指定，并联网办理）",
    )
    cat_sub = cat.add_subparsers(dest="catalogue_command", metavar="操作", required=True)
    cat_sub.add_parser("list", help="列出全部规则")
    add = cat_sub.add_parser("set", help="设置规则；单位写 @street 表示来电人所在街道办事处")
    add.add_argument("topic", help="诉求分类编号，如 0102（二级）或 01（一级）")
    add.add_argument("unit", help="单位编号，或 @street")
    add.add_argument("--district", default="", help="区县编号；不填为所有区县")
    rm = cat_sub.add_parser("remove", help="删除规则")
    rm.add_argument("topic")
    rm.add_argument("--district", default="")


def run(args: argparse.Namespace) -> int:
    """Run ``hotline catalogue …``; the exit status (0 done, 1 refused, 2 bad input, 3 offline)."""
    listing = args.catalogue_command == "list"
    db = seat_db(args, write=not listing)
    if db is None:
        return 2
    with Store.open_readonly(db) if listing else Store.open(db) as store:
        try:
            if args.catalogue_command == "list":
                for rule in reference.catalogue_rules(store):
                    say(
                        f"{rule.topic_code} {rule.topic_name}\t{rule.district_name}\t"
                        f"{rule.unit_id} {rule.unit_name}"
                    )
                return 0
            who = acting(store, args.agent)
            if who is None:
                return 2
            actor, session = who
            rule = {"topic_code": args.topic, "district_code": args.district}
            if args.catalogue_command == "set":
                change = {**rule, "unit_id": args.unit}
                reference.run(store, actor, "catalogue.set", change, session)
                say(f"已设置：{args.topic} {args.district or '全部区县'} → {args.unit}")
                return 0
            reference.run(store, actor, "catalogue.remove", rule, session)
            say(f"已删除：{args.topic} {args.district or '全部区县'}")
            return 0
        except DomainError as error:
            say(error.message, file=sys.stderr)
            return 2
        except (Offline, Refused) as error:
            say(getattr(error, "message", str(error)), file=sys.stderr)
            return 3 if isinstance(error, Offline) else 1
