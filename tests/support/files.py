"""Real troubles for a seat's file: a read-only mount, a full disk, another process holding
the lock, random bytes in the middle."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A real small filesystem (root mounts it; elsewhere the test is skipped, saying why)."""
    where = Path(f"/tmp/hotline-tmpfs-{uuid.uuid4().hex[:8]}")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def fill(where: Path) -> Path:
    """Fill the filesystem at ``where`` to the last byte; the filler's path."""
    filler = where / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 1):
            try:
                while os.write(fd, b"\0" * chunk) == chunk:
                    pass
            except OSError:
                pass  # full at this grain: try a finer one
    finally:
        os.close(fd)
    return filler


def damage(path: Path, size: int = 256 * 1024) -> None:
    """Random bytes over the middle of the file, as a failing disk would leave it."""
    length = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(max(0, length // 2 - size // 2))
        f.write(os.urandom(min(size, length // 2)))


def damage_table(path: Path, table: str) -> None:
    """Random bytes over every page of one table (the rest of the file stays readable)."""
    import sqlite3

    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    conn.close()
    with path.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * page_size)
            f.write(os.urandom(page_size))


class LockHolder:
    """Another process holding the database's write lock until stopped."""

    def __init__(self, path: Path):
        code = (
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(120)\n"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout.readline().strip() == "locked"

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
