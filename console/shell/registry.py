"""The shell's commands: each declares its name, its Chinese help, its arguments (argparse,
made to raise instead of exiting) and what it runs; the command modules fill the registry."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from console.shell.context import Context


class UsageError(Exception):
    """A command typed wrong: the message says how it is used."""


# argparse's messages, in the words the rest of the shell speaks.
_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "不认识的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)"),
        "参数 {0} 不能是“{1}”，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid (\w+) value: '(.*?)'"), "参数 {0} 的值“{2}”无效"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面要跟一个值"),
)


def chinese(message: str) -> str:
    """An argparse message in Chinese (as it is, if it is not one of the usual ones)."""
    for pattern, words in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return words.format(*found.groups())
    return message


class ShellParser(argparse.ArgumentParser):
    """argparse for one command line: errors and ``--help`` raise, the shell prints."""

    def error(self, message: str) -> NoReturn:
        usage = self.format_usage().strip().replace("usage: ", "用法：", 1)
        raise UsageError(f"{chinese(message)}\n{usage}")

    def format_help(self) -> str:
        """The usage and the arguments, headed in Chinese."""
        return (
            super()
            .format_help()
            .replace("usage: ", "用法：", 1)
            .replace("positional arguments:", "参数：")
            .replace("options:", "选项：")
        )

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise UsageError(message or self.format_help())


@dataclass(frozen=True)
class Command:
    """One command of the shell."""

    name: str
    help: str
    arguments: Callable[[ShellParser], None]
    run: Callable[[Context, argparse.Namespace], None]
    screen: str | None = None  # the console screen a role must be able to open (review …)

    def parser(self) -> ShellParser:
        """The command's argument parser."""
        parser = ShellParser(prog=self.name, description=self.help, add_help=False)
        self.arguments(parser)
        return parser

    def options(self) -> list[str]:
        """The command's ``--options``, for completion."""
        return [o for a in self.parser()._actions for o in a.option_strings]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, *, screen: str | None = None) -> Callable[[Callable], Callable]:
    """Register the decorated ``run(context, args)`` as ``name``; its ``arguments`` function
    is the decorated function's ``arguments`` attribute, set with :func:`arguments`."""

    def register(run: Callable) -> Callable:
        COMMANDS[name] = Command(
            name, help, getattr(run, "arguments", lambda parser: None), run, screen
        )
        return run

    return register


def arguments(declare: Callable[[ShellParser], None]) -> Callable[[Callable], Callable]:
    """Attach the argument declarations to a command function (put it under ``command``)."""

    def attach(run: Callable) -> Callable:
        run.arguments = declare  # type: ignore[attr-defined]
        return run

    return attach
