"""The shell's loop: read a line, run the command it names, say what went wrong in Chinese,
and carry on (on a terminal) or stop with a non-zero status (reading a pipe)."""

from __future__ import annotations

import re
import shlex

from rich.text import Text

import console.shell.commands.info
import console.shell.commands.queues
import console.shell.commands.register
import console.shell.commands.tickets
import console.shell.commands.training  # noqa: F401 - each module registers its commands
from console import crash_log
from console.shell import render
from console.shell.completion import ShellCompleter
from console.shell.context import Context
from console.shell.registry import COMMANDS, UsageError, arguments, command
from console.shell.terminal import Cancelled
from store import DomainError

EXIT_WORDS = ("exit", "quit")
# A ticket number as it is read aloud and shown (261114 500 1043 8): one word to a command.
GROUPED_NUMBER = re.compile(r"\b(\d{6}) (\d{3}) (\d{4}) (\d)\b")


@command("help", "列出全部命令，或 help 命令 查看用法")
@arguments(lambda p: p.add_argument("name", nargs="?", help="命令"))
def show_help(ctx: Context, args) -> None:
    """Every command the agent's role may use, or one command's usage."""
    if args.name:
        found = COMMANDS.get(args.name)
        if found is None:
            raise UsageError(f"没有这个命令：{args.name}。")
        ctx.out.print(Text(found.parser().format_help()))
        return
    grid = render.table("命令", "说明")
    for c in COMMANDS.values():
        if c.screen is None or ctx.may_open(c.screen):
            grid.add_row(Text(c.name, style="bold"), c.help)
    grid.add_row(Text("exit", style="bold"), "退出（或 Ctrl+D）")
    ctx.out.print(grid)
    ctx.out.print(Text("Tab 补全命令、工单号、单位和分类；help 命令 查看用法。", style="dim"))


class Shell:
    """One agent's session at the command line."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.ended = False
        self.completer = ShellCompleter(ctx.values, self._commands)

    def _commands(self) -> dict[str, list[str]]:
        return {
            c.name: c.options()
            for c in COMMANDS.values()
            if c.screen is None or self.ctx.may_open(c.screen)
        } | {w: [] for w in EXIT_WORDS}

    def prompt(self) -> str:
        """The prompt: the agent's id (marked 培训 in a sandbox)."""
        return f"{'培训 ' if self.ctx.banner else ''}{self.ctx.actor.id}> "

    def toolbar(self) -> str:
        """The bottom line: the sandbox banner, who is signed in, in what role, the sync line."""
        a = self.ctx.actor
        banner = f" {self.ctx.banner} ·" if self.ctx.banner else ""
        return (
            f"{banner} {a.name}（{a.role.label}） · {self.ctx.values.sync_line}"
            " · Tab 补全 · Ctrl+D 退出"
        )

    def loop(self) -> int:
        """Read and run commands until ``exit`` or Ctrl+D (or, from a pipe, the end or the
        first error); the exit status."""
        while True:
            try:
                line = self.ctx.ask(self.prompt(), completer=self.completer, remember=True)
            except Cancelled:
                continue  # Ctrl+C drops the line, the shell stays
            except EOFError:
                return 0
            if line.strip() in EXIT_WORDS:
                return 0
            status = self.run(line)
            if self.ended or (status and not self.ctx.prompter.interactive):
                return status

    def run(self, line: str) -> int:
        """Run one command line; 0 if it did what it said, else the status to exit with
        from a pipe (1 refused or cancelled, 2 usage, 70 unexpected)."""
        out = self.ctx.out
        try:
            words = shlex.split(GROUPED_NUMBER.sub(r"\1\2\3\4", line))
        except ValueError:
            out.print(Text("引号不成对。", style="red"))
            return 2
        if not words:
            return 0
        try:
            self.execute(words)
        except DomainError as error:
            out.print(Text(error.message, style="red"))
            return 1
        except UsageError as error:
            out.print(Text(str(error), style="red"))
            return 2
        except Cancelled:
            out.print(Text("已取消，未保存。", style="yellow"))
            return 1
        except EOFError:  # Ctrl+D in a form, or the pipe ran dry: nothing more will come
            out.print(Text("输入已结束，未保存。", style="yellow"))
            self.ended = True
            return 1
        except Exception as error:  # noqa: BLE001 - a sentence, never a traceback
            path = crash_log.record(error, "shell")
            where = f"详情已记录在 {path}（不含密码和来电号码）" if path else "详情未能写入日志"
            out.print(Text(f"意外错误，这条命令没有完成；{where}。", style="red"))
            return 70
        return 0

    def execute(self, words: list[str]) -> None:
        """Run the command ``words`` name, for a role that may."""
        name, rest = words[0], words[1:]
        found = COMMANDS.get(name)
        if found is None:
            near = [c for c in self._commands() if c.startswith(name[:2])]
            hint = f"是否想用 {'、'.join(near)}？" if near else ""
            raise UsageError(f"没有这个命令：{name}。{hint}输入 help 查看全部命令。")
        if found.screen is not None and not self.ctx.may_open(found.screen):
            raise UsageError(f"{self.ctx.actor.role.label}不能使用 {name}。")
        found.run(self.ctx, found.parser().parse_args(rest))
