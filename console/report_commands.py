"""``hotline report daily|weekly|monthly|range``: a center's bulletin for a period, as text,
as JSON (``--json``) or as an Excel workbook (``--out FILE.xlsx``), from a seat's database."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from console.paths import seat_db
from console.text import say
from store import DomainError, Store
from store.services import reports


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline report`` and its periods to the command line."""
    report = sub.add_parser(
        "report", help="报表：日报、周报、月报、任意区间（文本、JSON 或 Excel）"
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="周期", required=True)
    for name, option, text in (
        ("daily", "--date", "日报，如 --date 2026-11-20"),
        ("weekly", "--week", "周报，如 --week 2026-W43"),
        ("monthly", "--month", "月报，如 --month 2026-10"),
    ):
        kind = kinds.add_parser(name, help=text)
        kind.add_argument(option, dest="value", required=True)
    ranged = kinds.add_parser("range", help="任意区间，如 --from 2026-10-01 --to 2026-10-15")
    ranged.add_argument("--from", dest="first", required=True)
    ranged.add_argument("--to", dest="last", required=True)
    for kind in kinds.choices.values():
        kind.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
        kind.add_argument("--json", action="store_true", help="以 JSON 输出全部数字")
        kind.add_argument("--out", type=Path, help="写入 Excel 工作簿（.xlsx）")


_KINDS = {"daily": "day", "weekly": "week", "monthly": "month", "range": "range"}


def run(args: argparse.Namespace) -> int:
    """Run ``hotline report …``; the exit status (0 done, 2 bad period or file)."""
    db = seat_db(args, write=False)
    if db is None:
        return 2
    try:
        wanted = reports.period(
            _KINDS[args.report_kind],
            getattr(args, "value", ""),
            first=getattr(args, "first", ""),
            last=getattr(args, "last", ""),
        )
        with Store.open_readonly(db) as store:
            made = reports.make(store, wanted)
            if args.out:
                out = (
                    args.out
                    if args.out.suffix.lower() == ".xlsx"
                    else args.out.with_suffix(".xlsx")
                )
                reports.save_workbook(store, made, out)
                say(f"已写入 {out}", file=sys.stderr)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 2
    except OSError as error:
        say(f"无法写入 {args.out}：{error.strerror}", file=sys.stderr)
        return 2
    if args.json:
        say(json.dumps(reports.as_json(made), ensure_ascii=False))
    elif not args.out:
        print_bulletin(made)
    return 0


def print_bulletin(b: reports.Bulletin, write: Callable[[str], None] = say) -> None:
    """The bulletin as lines of text (``write`` prints one; the shell passes its own)."""
    h = b.headline
    if b.empty:
        write(f"{b.period.label}：没有受理工单。")
        return
    write(
        f"{b.period.label} 受理 {h.registered} 件，环比 {reports.rate_text(h.change)}，同比 {reports.rate_text(h.change_year)}。"
    )
    write(
        f"直接答复 {h.answered_directly} 件，派单 {h.dispatched} 件，转专席 {h.to_desk} 件，"
        f"转110等 {h.transferred} 件，不予受理 {h.not_accepted} 件，并单 {h.merged} 件。"
    )
    write(reports.calls_text(h.calls))
    for key, label in reports.LABELS.items():
        write(f"  {label}：{reports.indicator_text(key, getattr(h.indicators, key))}")
    write("责任单位：")
    for u in b.units:
        write(
            f"  {u.group}  {u.name}  总量 {u.total}  超期未办 {u.overdue_open}  "
            f"按期办结率 {reports.rate_text(u.on_time_rate)}  回访满意率 {reports.rate_text(u.satisfaction_rate)}"
        )
    write("热点问题：" + "、".join(f"{r.name}({r.count}件)" for r in b.hot_topics))
