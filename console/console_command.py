"""``hotline`` / ``hotline console``: open the seat console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.paths import seat_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline console`` (also what ``hotline`` alone runs)."""
    parser = sub.add_parser("console", help="打开座席控制台（默认）")
    parser.add_argument(
        "--cti", type=Path, help="话机（交换机）接入配置文件（默认：用户配置目录下的 cti.toml）"
    )


def run(args: argparse.Namespace) -> int:
    """Open the console on the seat's database; 2 if the file cannot be used."""
    db = seat_db(args, write=True)  # refused here, before the login, if it cannot be used
    if db is None:
        return 2
    from console import paste
    from console.app import HotlineApp

    paste.install()  # pasted text arrives whole and without escape sequences
    app = HotlineApp(db, cti_file=getattr(args, "cti", None))
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(argparse.Namespace(db=None)))
