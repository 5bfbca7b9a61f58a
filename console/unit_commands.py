"""``hotline unit …``: a handling unit's liaison works their tickets from the command line.

The liaison logs in with their own id (``--as``) and password (``HOTLINE_PASSWORD`` or a
prompt); every command acts as them, for their unit only. The central server (issue 6) will
put the same store commands behind HTTP.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from console.text import due_text
from store import workflow
from store.deadlines import parse_due
from store.errors import DomainError
from store.queries import get_ticket
from store.queues import unit_tickets
from store.roles import Actor, Role
from store.seat import Store
from store.states import State
from store.ticket_numbers import format_for_reading
from store.workflow.base import require_unit_of

LIGHTS = {"green": "绿", "yellow": "黄", "red": "红"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    unit = sub.add_parser("unit", help="承办单位联络员：我的工单、签收、退单、延期、答复")
    unit.add_argument("--as", dest="agent", required=True, metavar="工号", help="联络员工号")
    unit.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
    unit_sub = unit.add_subparsers(dest="unit_command", metavar="操作", required=True)
    unit_sub.add_parser("list", help="本单位待办工单（含时效灯）")
    for name, text in (("show", "查看工单"), ("sign", "签收")):
        unit_sub.add_parser(name, help=text).add_argument("number", help="工单号")
    contact = unit_sub.add_parser("contact", help="记录已联系来电人")
    contact.add_argument("number")
    contact.add_argument("--note", required=True, help="联系情况")
    ret = unit_sub.add_parser("return", help="申请退单（须写明依据）")
    ret.add_argument("number")
    ret.add_argument("--basis", required=True, help="退单依据：职责、文件")
    ext = unit_sub.add_parser("extend", help="申请延期")
    ext.add_argument("number")
    ext.add_argument("--until", required=True, type=_day, help="申请的新期限（日期，当日 17:30）")
    ext.add_argument("--reason", required=True, help="延期理由")
    rep = unit_sub.add_parser("reply", help="办结答复（不得含来电人电话、身份证号、门牌号）")
    rep.add_argument("number")
    rep.add_argument("--text", required=True, help="答复内容")
    rep.add_argument("--basis", default="", help="办理依据")


def _day(text: str) -> datetime:
    try:
        return parse_due(text, field="until")
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def run(args: argparse.Namespace, db: Path) -> int:
    password = os.environ.get("HOTLINE_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            print("请设置 HOTLINE_PASSWORD，或在终端中运行以输入密码。", file=sys.stderr)
            return 2
        password = getpass.getpass(f"{args.agent} 的密码：")
    with Store.open(db) as store:
        try:
            actor = _login(store, args.agent, password)
            return _COMMANDS[args.unit_command](store, actor, args)
        except DomainError as error:
            print(error.message, file=sys.stderr)
            return 1


def _login(store: Store, agent_id: str, password: str) -> Actor:
    from store.directory import authenticate

    actor = authenticate(store.conn, agent_id, password)
    if actor.role is not Role.LIAISON:
        raise DomainError(f"{actor.role.label}不是承办单位联络员，不能使用 hotline unit。")
    return actor


def _list(store: Store, actor: Actor, args: argparse.Namespace) -> int:
    rows = unit_tickets(store.conn, actor.unit_id, store.now())
    if not rows:
        print("本单位没有待办工单。")
    for r in rows:
        light = LIGHTS.get(r.light.value if r.light else "", "—")
        due = due_text(r.due_at) if r.due_at else "—"
        urged = f" 催办{r.urge_count}" if r.urge_count else ""
        print(
            f"{format_for_reading(r.number)}  {r.state.label:<6} {light}  期限 {due}{urged}  "
            f"{' '.join(r.content.split())[:40]}"
        )
    print(f"（{len(rows)} 件）")
    return 0


def _ticket(store: Store, actor: Actor, number: str):
    row = get_ticket(store.conn, number)
    require_unit_of(store.conn, actor, row)
    return row


def _show(store: Store, actor: Actor, args: argparse.Namespace) -> int:
    from store.timeline import timeline

    row = _ticket(store, actor, args.number)
    caller = "（保密）" if row["confidential"] else (row["caller_name"] or "来电人")
    state = State(row["state"]).label
    print(f"工单 {format_for_reading(row['number'])} · {state} · {caller}")
    if row["incident_110"]:
        print(f"110 警情号：{row['incident_110']}")
    print(f"地址：{row['address']}\n诉求：{row['content']}\n要求：{row['request']}")
    for item in timeline(store.conn, row["id"]):
        line = f"  {item.at:%m-%d %H:%M} {item.actor_name}（{item.actor_role}）{item.action}"
        print(f"{line} {item.detail}".rstrip())
    return 0


def _act(command, *extra_names: str, done: str):
    def handler(store: Store, actor: Actor, args: argparse.Namespace) -> int:
        row = _ticket(store, actor, args.number)
        extra = [getattr(args, name) for name in extra_names]
        command(store, actor, row["id"], *extra)
        print(f"{done}：{format_for_reading(row['number'])}")
        return 0

    return handler


_COMMANDS = {
    "list": _list,
    "show": _show,
    "sign": _act(workflow.sign, done="已签收"),
    "contact": _act(workflow.contact, "note", done="已记录联系"),
    "return": _act(workflow.request_return, "basis", done="已申请退单"),
    "extend": _act(workflow.request_extension, "reason", "until", done="已申请延期"),
    "reply": _act(workflow.reply, "text", "basis", done="已答复"),
}
