"""``hotline`` / ``hotline console``: open the seat console."""

from __future__ import annotations

import argparse
import sys

from console.paths import seat_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline console`` (also what ``hotline`` alone runs)."""
    sub.add_parser("console", help="打开座席控制台（默认）")


def run(args: argparse.Namespace) -> int:
    """Open the console on the seat's database; 2 if the file cannot be used."""
    db = seat_db(args, write=True)  # refused here, before the login, if it cannot be used
    if db is None:
        return 2
    from console import paste
    from console.app import HotlineApp

    paste.install()  # pasted text arrives whole and without escape sequences
    app = HotlineApp(db)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(argparse.Namespace(db=None)))
