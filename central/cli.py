"""``hotline central``: run the central server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

import platformdirs


def add_parser(sub: argparse._SubParsersAction) -> None:
    central = sub.add_parser("central", help="运行中心服务器（同步与承办单位接口）")
    central.add_argument(
        "--database",
        default=str(default_database()),
        help="中心数据库：SQLite 文件路径（默认在用户数据目录下），或 postgresql://… 连接串",
    )
    central.add_argument("--mirror", type=Path, help="中心投影库文件（默认：数据库旁）")
    central.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    central.add_argument("--port", type=int, default=8345, help="端口（默认 8345）")
    central.add_argument(
        "--seed", type=Path, help="中心为空时，先导入这个座席数据库的全部事件（目录、知识库、工单）"
    )
    central.add_argument(
        "--sandbox",
        action="store_true",
        help="培训用中心服务器：只接受培训库（hotline sandbox new）的座席，与生产中心互不相通",
    )
    what = central.add_subparsers(dest="central_command", metavar="操作")
    devices = what.add_parser("devices", help="已注册的座席：列出、注销")
    devices_sub = devices.add_subparsers(dest="devices_command", metavar="操作", required=True)
    devices_sub.add_parser("list", help="列出全部座席（含已注销的）")
    revoke = devices_sub.add_parser("revoke", help="注销座席：其令牌立即失效，设备号永不再用")
    revoke.add_argument("device_id", help="设备号（见 devices list）")


def default_database() -> Path:
    """The SQLite central database when none is named: in the user's data directory, so a
    server started in a checkout leaves nothing in it."""
    return Path(platformdirs.user_data_dir("hotline")) / "central.db"


def default_mirror(database: str) -> Path:
    """Beside a SQLite file; for PostgreSQL, in the user's data directory, named for the db."""
    if database.startswith(("postgresql://", "postgres://")):
        name = urlparse(database).path.strip("/") or "postgres"
        return Path(platformdirs.user_data_dir("hotline")) / f"central-mirror-{name}.db"
    return Path(f"{database}.mirror")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "central_command", None) == "devices":
        return _devices(args)
    from central.server import serve

    serve(
        args.database,
        args.mirror or default_mirror(args.database),
        host=args.host,
        port=args.port,
        seed=args.seed,
        sandbox=args.sandbox,
    )
    return 0


def _devices(args: argparse.Namespace) -> int:
    """``hotline central devices …``: straight on the central database (the operator's
    machine); a revocation reaches every running server process within a second."""
    from central.credentials import Credentials
    from central.db import open_database
    from store.core.clock import system_clock

    if "://" not in args.database:
        Path(args.database).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(args.database)
    try:
        if args.devices_command == "revoke":
            if Credentials(db, system_clock, lambda agent_id: None).revoke(args.device_id):
                print(f"已注销座席 {args.device_id}：其令牌已失效，设备号不再分配。")
                return 0
            print(f"没有这台在用的座席：{args.device_id}", file=sys.stderr)
            return 1
        with db.transaction() as tx:
            rows = tx.execute(
                "SELECT id, name, device_no, profile, registered_at, revoked_at, parent_id"
                " FROM devices ORDER BY device_no"
            )
        for r in rows:
            status = f"已注销 {r['revoked_at'][:16]}" if r["revoked_at"] else "在用"
            origin = f"  复制自 {r['parent_id']}" if r["parent_id"] else ""
            name = "".join(ch for ch in r["name"] if ch.isprintable())
            print(f"{r['device_no']:>5}  {r['id']}  {name}  {r['profile']}  {status}{origin}")
        print(f"（{len(rows)} 台）")
        return 0
    finally:
        db.close()
