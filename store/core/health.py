"""Is this file a seat database we can work on? And what a database error means to a person.

Checked before anything opens the file, so a read-only, empty, truncated or foreign file is
refused with a sentence saying what is wrong and what to do — never turned into a fresh
empty seat, never a traceback. The file's own check (``PRAGMA quick_check``) runs in the
background once the console is up; the full one is ``hotline store check``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from store.core.errors import DomainError

HEADER = b"SQLite format 3\x00"

RECOVER = "已发送到中心服务器的工作都在；可用 hotline store recover --db {path} 从中心服务器恢复本座席（尽量保留未发送的工作）。"


class StoreUnusable(DomainError):
    """The file cannot be used as a seat database (``code`` says why)."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)


def preflight(path: Path, *, write: bool = True) -> None:
    """Raise ``StoreUnusable`` unless ``path`` is a seat database this process can open
    (for writing, unless ``write`` is false). A file that does not exist yet is fine: a new
    seat starts there."""
    if not path.exists():
        if write and not os.access(path.parent if str(path.parent) else ".", os.W_OK):
            raise StoreUnusable(f"无法在 {path.parent} 新建数据库：目录不可写。", "readonly")
        return
    if path.is_dir():
        raise StoreUnusable(f"{path} 是目录，不是座席数据库文件。", "not_sqlite")
    size = path.stat().st_size
    if size == 0:
        raise StoreUnusable(
            f"数据库文件 {path} 是空的（0 字节）：它不是座席数据库，程序不会把它当作新座席。"
            "若要新建座席，请删除这个文件或换一个文件名；若它原是座席数据库，"
            + RECOVER.format(path=path),
            "empty",
        )
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as error:
        raise StoreUnusable(
            f"无法读取数据库文件 {path}：{error.strerror}。", "unreadable"
        ) from None
    if len(head) < 100 or not head.startswith(HEADER):
        raise StoreUnusable(
            f"{path} 不是 SQLite 数据库文件（文件头不符），不能作为座席数据库。", "not_sqlite"
        )
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    counted = head[24:28] == head[92:96]  # the page count is valid only then
    if counted and pages * page_size > size and not Path(f"{path}-wal").exists():
        raise StoreUnusable(
            f"数据库文件 {path} 不完整（应有 {pages * page_size} 字节，实有 {size} 字节）："
            "文件被截断或损坏。" + RECOVER.format(path=path),
            "damaged",
        )
    if write and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise StoreUnusable(
            f"数据库文件 {path} 是只读的（文件或所在目录不可写），座席无法保存工单。"
            "请检查文件权限或磁盘挂载方式，或用 --db 指定可写的数据库。",
            "readonly",
        )


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if SQLite's quick check finds the file sound, else what it found."""
    return _check(conn, "quick_check")


def full_check(conn: sqlite3.Connection) -> str | None:
    """None if SQLite's integrity check finds the file sound, else what it found."""
    return _check(conn, "integrity_check")


def _check(conn: sqlite3.Connection, pragma: str) -> str | None:
    try:
        rows = conn.execute(f"PRAGMA {pragma}(5)").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    found = [row[0] for row in rows]
    return None if found == ["ok"] else "；".join(found)


def explain(error: sqlite3.Error, path: object = "") -> tuple[str, str]:
    """A database error as a person reads it: (code, Chinese sentence). Never the SQL or the
    values it carried."""
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return "disk_full", "磁盘已满，本次操作没有保存。请通知管理员清理磁盘空间，之后重试即可。"
    if "locked" in text or "busy" in text:
        return (
            "busy",
            "数据库正被另一个程序占用（等待超时），本次操作没有保存。请稍后重试；"
            "若一直如此，请关闭同时打开这个数据库的其他程序。",
        )
    if "readonly" in text or "read-only" in text:
        return "readonly", "数据库是只读的，本次操作没有保存。请检查文件权限或磁盘挂载方式。"
    if isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return "damaged", "数据库文件已损坏，本次操作没有保存。" + RECOVER.format(path=path)
    return (
        "store_error",
        f"数据库出错（{type(error).__name__}），本次操作没有保存。请重试或联系管理员。",
    )


class StoreFailure(DomainError):
    """A database error, as a refusal a screen shows like any other (``code`` is one of
    ``explain``'s)."""

    @classmethod
    def of(cls, error: sqlite3.Error, path: object = "") -> StoreFailure:
        code, message = explain(error, path)
        return cls(message, code=code)

    @classmethod
    def damaged(cls, path: object, found: str) -> StoreFailure:
        """The file's own check found damage (``found`` is SQLite's word for it)."""
        return cls(
            f"数据库文件已损坏（检查发现：{found[:80]}）。" + RECOVER.format(path=path),
            code="damaged",
        )
