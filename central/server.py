"""Running the central server: the service over its database, seeded if asked, behind
uvicorn on one address."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from central.app import create_app
from central.service import CentralModeError, CentralService, PauseHook
from store import DomainError
from store.core.db import connect_readonly
from store.core.events import Event
from store.core.progress import Lines
from store.core.rebuild import canonical_events_sql


def serve(
    database: str,
    mirror: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8345,
    seed: Path | None = None,
    pause: PauseHook | None = None,
    sandbox: bool = False,
) -> None:
    """Serve until stopped. ``seed``: a seat database whose events an empty server starts
    from. ``pause``: the crash tests' hook (see :class:`~central.service.CentralService`)."""
    for path in (mirror, None if "://" in database else Path(database)):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    options: dict = {"sandbox": sandbox}
    if pause is not None:
        options["pause"] = pause
    try:
        service = CentralService(database, mirror, **options)
    except CentralModeError as error:
        print(str(error), file=sys.stderr)
        raise SystemExit(2) from None
    try:
        if seed:
            _seed(service, seed)
        backend = "PostgreSQL" if service.db.dialect == "postgresql" else "SQLite"
        kind = "培训用中心服务器" if service.sandbox else "中心服务器"
        print(
            f"{kind} http://{host}:{port}（{backend}，日志序号 {service.head()}）",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning")
    finally:
        service.close()


def _seed(service: CentralService, seed: Path) -> None:
    conn = connect_readonly(seed)
    try:
        events = [Event.from_row(r) for r in conn.execute(canonical_events_sql())]
    finally:
        conn.close()
    progress = Lines(sys.stderr)  # a server's output is a log: plain lines
    try:
        count = service.seed(events, progress)
        progress.close()
        print(f"已导入 {count} 个事件。", file=sys.stderr)
    except DomainError as error:
        print(f"未导入：{error.message}", file=sys.stderr)
