"""Where the console finds its database: ``--db``, or a per-user copy of the sample — and
whether it can be used at all, said before anything opens it."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import platformdirs

from console.text import say
from store.services.maintenance import StoreUnusable, preflight, restrict

SAMPLE = Path(__file__).resolve().parent.parent / "hotline.db.sample"


def default_db() -> Path:
    """The user's own copy of ``hotline.db.sample``, made on first use.

    The console never writes to the repository's file: a seat that works on it would
    change the shared demo data under everyone. The copy is named for the sample it was made
    from (schema version and size, read without opening the database), so a newer sample —
    say one with a knowledge base — gets a fresh copy while earlier work stays in its file.
    """
    if not SAMPLE.exists():
        raise FileNotFoundError(f"找不到示例数据库 {SAMPLE}，请用 --db 指定数据库。")
    target = Path(platformdirs.user_data_dir("hotline")) / f"hotline-{_sample_tag()}.db"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        shutil.copyfile(SAMPLE, partial)
        restrict(partial)  # callers' numbers, even made-up ones: the user's alone
        partial.replace(target)  # atomic: a half-copied file is never taken for the database
    return target


def _sample_tag() -> str:
    """``v<user_version>-<size>`` of the sample: bytes 60–63 of an SQLite file's header hold
    its user_version (the schema version here)."""
    with SAMPLE.open("rb") as f:
        header = f.read(100)
    version = int.from_bytes(header[60:64], "big")
    return f"v{version}-{SAMPLE.stat().st_size}"


def seat_db(args: argparse.Namespace, *, write: bool) -> Path | None:
    """The database a command works on (``--db`` or the per-user sample copy), checked
    with ``store.services.maintenance.preflight``; None, having said why on stderr, if it cannot be used
    (read-only, empty, truncated, not a database)."""
    try:
        db = getattr(args, "db", None) or default_db()
        preflight(db, write=write)
    except FileNotFoundError as error:
        say(str(error), file=sys.stderr)
        return None
    except StoreUnusable as error:
        say(error.message, file=sys.stderr)
        return None
    return db
