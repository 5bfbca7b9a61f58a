"""``hotline central``: run the central server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    central = sub.add_parser("central", help="运行中心服务器（同步与承办单位接口）")
    central.add_argument(
        "--database",
        default="hotline-central.db",
        help="中心数据库：SQLite 文件路径（默认 hotline-central.db），或 postgresql://… 连接串",
    )
    central.add_argument("--mirror", type=Path, help="中心投影库文件（默认：数据库旁）")
    central.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    central.add_argument("--port", type=int, default=8345, help="端口（默认 8345）")
    central.add_argument(
        "--seed", type=Path, help="中心为空时，先导入这个座席数据库的全部事件（目录、知识库、工单）"
    )


def default_mirror(database: str) -> Path:
    """Beside a SQLite file; for PostgreSQL, in the working directory, named for the db."""
    if database.startswith(("postgresql://", "postgres://")):
        name = urlparse(database).path.strip("/") or "postgres"
        return Path(f"hotline-central-mirror-{name}.db")
    return Path(f"{database}.mirror")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from central.app import create_app
    from central.service import CentralService
    from store.db import connect_readonly
    from store.errors import DomainError
    from store.events import Event
    from store.rebuild import canonical_events_sql

    service = CentralService(args.database, args.mirror or default_mirror(args.database))
    try:
        if args.seed:
            conn = connect_readonly(args.seed)
            events = [Event.from_row(r) for r in conn.execute(canonical_events_sql())]
            conn.close()
            try:
                count = service.seed(events)
                print(f"已导入 {count} 个事件。", file=sys.stderr)
            except DomainError as error:
                print(f"未导入：{error.message}", file=sys.stderr)
        backend = "PostgreSQL" if service.db.dialect == "postgresql" else "SQLite"
        print(
            f"中心服务器 http://{args.host}:{args.port}（{backend}，日志序号 {service.head()}）",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(create_app(service), host=args.host, port=args.port, log_level="warning")
    finally:
        service.close()
    return 0
