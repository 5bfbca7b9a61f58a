"""Long work shown as it goes: a bar with the count, the rate and the time left on a
terminal (rich), plain lines every few seconds when the output is a file or a pipe (a log,
a cron job) — always on stderr, so what a command prints on stdout stays clean."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from store.services.maintenance import Lines


class _Rate(ProgressColumn):
    """Items a second, in Chinese."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.0f} 个/秒" if task.speed else "", style="progress.data.speed")


class _Bar:
    """A rich progress bar, one line per stage."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.task: TaskID | None = None

    def begin(self, what: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0)
        self.task = self.bar.add_task(what, total=total)

    def advance(self, done: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, done)


@contextmanager
def shown(stream: TextIO | None = None) -> Iterator[_Bar | Lines]:
    """A progress reporter for the length of the ``with`` block, drawn on ``stream``
    (stderr by default) as a bar if it is a terminal, else as plain lines."""
    stream = stream or sys.stderr
    if stream.isatty():
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        ) as bar:
            yield _Bar(bar)
        return
    lines = Lines(stream)
    try:
        yield lines
    finally:
        lines.close()
