"""The ``hotline`` command line.

Subcommands are found through the ``hotline.commands`` entry points (pyproject.toml): each
names a module with ``add_parser(subparsers)`` and ``run(args) -> int``. The console is one
of them and the central server another, so this module imports neither, and ``hotline store
…`` never loads Textual. Every subcommand takes ``--db``, before or after its name.

Nothing unexpected reaches the terminal as a traceback: a short sentence, the details in the
log file (see ``console.crash_log``), exit status 70.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points
from pathlib import Path

from console import crash_log
from console.text import say

GROUP = "hotline.commands"


def _parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="12345 政务服务便民热线座席控制台。不带子命令时打开控制台。",
    )
    parser.add_argument("--db", type=Path, help="座席数据库文件（默认：用户目录下的示例数据副本）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    modules = {}
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        module = entry.load()
        module.add_parser(sub)
        modules[entry.name] = module
    _accept_db_everywhere(parser)
    return parser, modules


def _accept_db_everywhere(parser: argparse.ArgumentParser) -> None:
    """Give every subcommand ``--db`` (the central server's have ``--database`` instead)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, child in action.choices.items():
            if name == "central":
                continue
            if not any("--db" in a.option_strings for a in child._actions):
                child.add_argument(
                    "--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件"
                )
            _accept_db_everywhere(child)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand; its exit status."""
    parser, modules = _parser()
    if not modules:
        say(
            "hotline 没有正确安装（找不到子命令）：请在项目目录运行 pip install -e .",
            file=sys.stderr,
        )
        return 2
    args = parser.parse_args(argv)
    return modules[args.command or "console"].run(args)


def run() -> int:
    """Entry point: ``main``, with a quiet exit when the output pipe closes (``| head``) and
    a sentence instead of a traceback for anything unexpected."""
    try:
        return main()
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence
        say(crash_log.sentence(crash_log.record(error, "cli")), file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(run())
