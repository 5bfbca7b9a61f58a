"""``hotline unit …``: a handling unit's liaison works their tickets from the command line.

The liaison logs in with their own id (``--as``) and password (``HOTLINE_PASSWORD`` or a
prompt); every command acts as them, for their unit only. With ``--server URL`` (or
``HOTLINE_SERVER``) it works over the central server's unit API; without, on a local store.
Both run the same ``store.services.liaison`` functions.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from console.password_prompt import read_password
from console.paths import seat_db
from console.text import due_text, say, strip_controls
from store import Actor, DomainError, Store
from store.services import liaison, session
from store.services.vocabulary import Light, format_for_reading, from_text, parse_due


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline unit`` and its operations to the command line."""
    unit = sub.add_parser("unit", help="承办单位联络员：我的工单、签收、退单、延期、答复")
    unit.add_argument("--as", dest="agent", required=True, metavar="工号", help="联络员工号")
    unit.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")
    unit.add_argument(
        "--server", help="中心服务器地址，如 http://127.0.0.1:8345（或 HOTLINE_SERVER）"
    )
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


def _day(text: str) -> str:
    try:
        parse_due(text, field="until")
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None
    return text


def run(args: argparse.Namespace) -> int:
    """Run ``hotline unit …`` locally or over the server; the exit status (0 done, 1 refused, 2
    usage, 3 offline)."""
    server = args.server or os.environ.get("HOTLINE_SERVER")
    db = None if server else seat_db(args, write=True)
    if db is None and not server:
        return 2
    password = read_password(args.agent)
    if password is None:
        return 2
    try:
        if server:
            return _over_http(server, args, password)
        with Store.open(db) as store:
            actor = session.authenticate(store, args.agent, password)
            return _locally(store, actor, args)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 1


def _locally(store: Store, actor: Actor, args: argparse.Namespace) -> int:
    if args.unit_command == "list":
        _print_list(liaison.my_tickets(store, actor))
    elif args.unit_command == "show":
        _print_ticket(liaison.ticket_view(store, actor, args.number))
    else:
        number = liaison.act(store, actor, args.number, args.unit_command, _fields(args))
        say(f"{liaison.ACTIONS[args.unit_command]}：{format_for_reading(number)}")
    return 0


def _over_http(server: str, args: argparse.Namespace, password: str) -> int:
    try:
        with liaison.UnitApi(server, args.agent, password) as api:
            if args.unit_command == "list":
                _print_list(api.my_tickets())
            elif args.unit_command == "show":
                _print_ticket(api.ticket_view(args.number))
            else:
                number, message = api.act(args.number, args.unit_command, _fields(args))
                say(f"{message}：{format_for_reading(number)}")
    except liaison.Refused as error:
        say(error.message, file=sys.stderr)
        return 1
    except liaison.Offline as error:
        say(str(error), file=sys.stderr)
        return 3
    return 0


def _fields(args: argparse.Namespace) -> dict[str, str]:
    names = ("note", "basis", "reason", "text")
    fields = {name: getattr(args, name) for name in names if getattr(args, name, None)}
    if getattr(args, "until", None):
        fields["until"] = args.until
    return fields


def _print_list(rows: list[dict]) -> None:
    if not rows:
        say("本单位没有待办工单。")
    for r in rows:
        light = Light(r["light"]).label if r["light"] else "—"
        due = due_text(from_text(r["due_at"])) if r["due_at"] else "—"
        urged = f" 催办{r['urge_count']}" if r["urge_count"] else ""
        say(
            f"{format_for_reading(r['number'])}  {r['state_label']:<6} {light}  期限 {due}{urged}  "
            f"{_clean(' '.join(r['content'].split())[:40])}"
        )
    say(f"（{len(rows)} 件）")


def _print_ticket(view: dict) -> None:
    say(f"工单 {format_for_reading(view['number'])} · {view['state_label']} · {view['caller']}")
    if view["incident_110"]:
        say(f"110 警情号：{_clean(view['incident_110'])}")
    say(
        f"地址：{_clean(view['address'])}\n诉求：{_clean(view['content'])}\n"
        f"要求：{_clean(view['request'])}"
    )
    for item in view["timeline"]:
        line = f"  {from_text(item['at']):%m-%d %H:%M} {item['actor_name']}（{item['actor_role']}）"
        say(f"{line}{item['action']} {_clean(item['detail'])}".rstrip())


def _clean(value: str) -> str:
    return strip_controls(value, keep_newlines=True)
