"""``hotline sync …``: register this seat with the central server, run one sync round, see
the sync state and the events the server rejected."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from console.password_prompt import read_password
from console.paths import seat_db
from console.progress import shown
from console.text import say, strip_controls
from console.widgets.sync_status import describe
from store import Store
from store.services import sync
from store.services.vocabulary import action_label, format_for_reading


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline sync`` and its operations to the command line."""
    sync = sub.add_parser("sync", help="与中心服务器同步一轮（或注册座席、查看同步状态）")
    sync.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="操作")
    register = sync_sub.add_parser("register", help="在中心服务器注册本座席（管理员或值班长登录）")
    register.add_argument(
        "--server", required=True, help="中心服务器地址，如 http://127.0.0.1:8345"
    )
    register.add_argument("--as", dest="agent", required=True, metavar="工号", help="管理员工号")
    register.add_argument("--name", default=socket.gethostname(), help="座席名称（默认主机名）")
    register.add_argument(
        "--profile", default="seat", choices=("seat", "reference"), help="座席类型"
    )
    sync_sub.add_parser("status", help="显示同步状态")
    sync_sub.add_parser("rejected", help="列出被中心拒绝的事件及原因")


def run(args: argparse.Namespace) -> int:
    """Run ``hotline sync …``; the exit status (0 done, 1 refused, 2 usage, 3 offline)."""
    command = args.sync_command
    reading = command in ("status", "rejected")
    db = seat_db(args, write=not reading)
    if db is None:
        return 2
    with Store.open_readonly(db) if reading else Store.open(db) as store:
        if command == "register":
            return _register(store, args)
        if command == "status":
            say(describe(sync.status(store)))
            return 0
        if command == "rejected":
            return _rejected(store)
        return _round(store)


def _register(store: Store, args: argparse.Namespace) -> int:
    password = read_password(args.agent)
    if password is None:
        return 2
    try:
        device = sync.register(store, args.server, args.agent, password, args.name, args.profile)
    except sync.Refused as error:
        say(f"注册被拒绝：{error.message}", file=sys.stderr)
        return 1
    except sync.Offline as error:
        say(str(error), file=sys.stderr)
        return 3
    say(f"已注册：座席号 {device['device_no']}，设备 {device['device_id']}（{device['profile']}）")
    return _round(store)


def _round(store: Store) -> int:
    try:
        with shown() as progress:
            report = sync.run_round(store, progress=progress)
    except sync.Refused as error:
        say(f"同步被拒绝：{error.message}", file=sys.stderr)
        return 1
    except sync.Offline as error:
        say(f"离线：{error}。本座席照常工作，稍后重试。", file=sys.stderr)
        return 3
    if report.rekeyed:
        say(
            "本座席数据库是复制的或从备份恢复的：已取得新的座席身份"
            f"（座席号 {store.device_no}），可以照常登记工单。"
        )
    say(
        f"已同步：发送 {report.pushed} 个事件（被拒 {report.rejected}），"
        f"收到 {report.pulled} 个，领取工单号 {report.leased} 个。"
    )
    if report.rejected:
        say("有事件被拒绝，详见 hotline sync rejected。", file=sys.stderr)
    return 0


def _rejected(store: Store) -> int:
    items = sync.rejected(store)
    if not items:
        say("没有被拒绝的事件。")
    for item in items:
        action = action_label(item.type)
        number = format_for_reading(item.ticket_number) if item.ticket_number else "—"
        say(f"{item.occurred_at}  {item.actor_id}  {action}  工单 {number}")
        say(f"    原因：{strip_controls(item.reason)}")
    return 0
