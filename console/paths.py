"""Where the console finds its database: ``--db``, or a per-user copy of the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import platformdirs

SAMPLE = Path(__file__).resolve().parent.parent / "hotline.db.sample"


def default_db() -> Path:
    """The user's own copy of ``hotline.db.sample``, made on first use.

    The console never writes to the repository's file: a seat that works on it would
    change the shared demo data under everyone.
    """
    target = Path(platformdirs.user_data_dir("hotline")) / "hotline.db"
    if not target.exists():
        if not SAMPLE.exists():
            raise FileNotFoundError(f"找不到示例数据库 {SAMPLE}，请用 --db 指定数据库。")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        shutil.copyfile(SAMPLE, partial)
        partial.replace(target)  # atomic: a half-copied file is never taken for the database
    return target
