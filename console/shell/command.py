"""``hotline shell [--as 工号]``: log in as at the console, then type commands.

On a terminal it is a prompt-toolkit session (completion, history, a toolbar with the agent
and the sync line). Reading a pipe (``echo 'lookup …' | hotline shell --as a01``) it takes
the password from ``HOTLINE_PASSWORD``, prints plain text and stops at the first error with
a non-zero status.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

import platformdirs

from console.paths import seat_db
from console.shell.completion import LiveValues
from console.shell.context import Context
from console.shell.shell import Shell
from console.shell.terminal import Cancelled, LinePrompter, MaskedHistory, Prompter, output
from console.text import say
from store import Actor, DomainError, Store
from store.services import kb, sandbox, session

TRIES = 3


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline shell`` to the command line."""
    shell = sub.add_parser("shell", help="命令行座席：SSH、80×24 终端、管道（prompt-toolkit）")
    shell.add_argument("--as", dest="agent", metavar="工号", help="工号（管道模式必填）")
    shell.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="座席数据库文件")


def history_path() -> Path:
    """The command history, in the user's data directory (numbers masked)."""
    path = Path(platformdirs.user_data_dir("hotline")) / "shell_history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run(args: argparse.Namespace) -> int:
    """Run ``hotline shell``; the exit status (0, 1 a command refused, 2 usage or login)."""
    db = seat_db(args, write=True)
    if db is None:
        return 2
    interactive = sys.stdin.isatty()
    with Store.open(db) as store:
        banner = sandbox.banner(store)
        if banner:
            say(f"【{banner}】", file=sys.stderr)
        if interactive:
            prompter = Prompter()
            actor = _login(store, prompter, args.agent)
        else:
            prompter = LinePrompter(sys.stdin)
            actor = _login_from_environment(store, args.agent)
        if actor is None:
            return 2
        values = LiveValues(db, actor)
        ctx = Context(store, actor, output(), prompter, values, banner)
        shell = Shell(ctx)
        if interactive:
            values.start()
            # The knowledge base's tables load on a thread now, not at the first kb command.
            threading.Thread(target=kb.warm, args=(db,), name="kb-warm", daemon=True).start()
            prompter = Prompter(history=MaskedHistory(str(history_path())), toolbar=shell.toolbar)
            ctx.prompter = prompter
            say(f"{actor.name}（{actor.role.label}）已登录。输入 help 查看命令，Ctrl+D 退出。")
        try:
            return shell.loop()
        finally:
            values.stop()


def _login(store: Store, prompter: Prompter, agent: str | None) -> Actor | None:
    """Ask for the id (unless given) and the password, up to three times."""
    for _ in range(TRIES):
        try:
            agent_id = agent or prompter.ask("工号：").strip()
            password = prompter.ask("密码：", password=True)
        except (Cancelled, EOFError):
            return None
        try:
            return session.sign_in(store, agent_id, password)
        except DomainError as error:
            say(error.message, file=sys.stderr)
    return None


def _login_from_environment(store: Store, agent: str | None) -> Actor | None:
    password = os.environ.get("HOTLINE_PASSWORD")
    if not agent or password is None:
        say("管道模式须用 --as 指定工号，并用 HOTLINE_PASSWORD 提供密码。", file=sys.stderr)
        return None
    try:
        return session.sign_in(store, agent, password)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return None
