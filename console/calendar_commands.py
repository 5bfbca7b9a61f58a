"""``hotline calendar …``: the working-day calendar — load a year's holiday arrangement,
see which years are known, list the open deadlines to review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.acting import acting
from console.paths import seat_db
from console.text import say
from store import DomainError, Store
from store.services import calendar, reference
from store.services.sync import Offline, Refused
from store.services.vocabulary import format_for_reading


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline calendar`` and its operations to the command line."""
    cal = sub.add_parser("calendar", help="工作日历：载入放假调休安排、查看、待复核的期限")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="操作", required=True)
    load = cal_sub.add_parser(
        "load", help="载入一年的放假调休安排（TOML 或 JSON：year、holidays、workdays）"
    )
    load.add_argument("path", type=Path, help="安排文件，格式见 docs/operations.md")
    load.add_argument("--as", dest="agent", metavar="工号", help="系统管理员工号")
    cal_sub.add_parser("show", help="日历已知哪些年份、哪些年份在按周一至周五估算")
    cal_sub.add_parser("review", help="列出与现行日历不符的未到期期限（供复核，不会自动改动）")


def run(args: argparse.Namespace) -> int:
    """Run ``hotline calendar …``; the exit status (0 done, 1 refused, 2 usage, 3 offline)."""
    command = args.calendar_command
    db = seat_db(args, write=command == "load")
    if db is None:
        return 2
    try:
        if command == "load":
            with Store.open(db) as store:
                return _load(store, args)
        with Store.open_readonly(db) as store:
            return _show(store) if command == "show" else _review(store)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 1
    except (Offline, Refused) as error:
        say(getattr(error, "message", str(error)), file=sys.stderr)
        return 3 if isinstance(error, Offline) else 1


def _load(store: Store, args: argparse.Namespace) -> int:
    plan = calendar.read_plan(args.path)
    who = acting(store, args.agent)
    if who is None:
        return 2
    actor, session = who
    change = {
        "plan": {
            "year": plan.year,
            "holidays": [d.isoformat() for d in plan.off],
            "workdays": [d.isoformat() for d in plan.on],
        }
    }
    reference.run(store, actor, "calendar.load", change, session)
    say(f"已载入 {plan.year} 年安排：放假 {len(plan.off)} 天，调休上班 {len(plan.on)} 天。")
    return _review(store)


def _show(store: Store) -> int:
    for year, source in calendar.known_years(store):
        say(f"{year} 年：{source}")
    gaps = calendar.warning(store)
    if gaps:
        say(gaps, file=sys.stderr)
    return 0


def _review(store: Store) -> int:
    items = calendar.to_review(store)
    if not items:
        say("没有与现行日历不符的未到期期限。")
        return 0
    say(f"以下 {len(items)} 个期限与现行日历不符（按原期限执行，请复核是否需要改派或延期）：")
    for item in items:
        say(
            f"  工单 {format_for_reading(item.number)}  {item.kind}（{item.rule}）  "
            f"原期限 {item.due_at:%Y-%m-%d %H:%M}  按现行日历 {item.by_calendar:%Y-%m-%d %H:%M}"
        )
    return 0
