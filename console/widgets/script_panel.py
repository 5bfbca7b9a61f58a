"""The scripted caller of a training scenario: their lines appear one by one, as if spoken,
with the time each takes; the hint shows in practice, never in an exam."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from store.services.training import Scenario


class ScriptPanel(Vertical):
    """The caller's side of a scenario being played."""

    def compose(self) -> ComposeResult:
        yield Static("", id="script-title")
        yield Static("", id="script-lines")
        yield Static("", id="script-clock")

    def play(self, scenario: Scenario, *, hint: bool, ends_at: float | None = None) -> None:
        """Start speaking ``scenario``'s lines; ``ends_at`` (monotonic) counts an exam down."""
        self.scenario = scenario
        self.spoken = 0
        self.started = time.monotonic()
        self.ends_at = ends_at
        title = Text(f"情景 {scenario.code} · {scenario.title}", style="bold")
        if hint and scenario.hint:
            title.append(f"\n提示：{scenario.hint}", style="italic")
        self.query_one("#script-title", Static).update(title)
        self.query_one("#script-lines", Static).update("")
        self.add_class("-playing")
        self._next_line()
        if not getattr(self, "_ticking", False):
            self._ticking = True
            self.set_interval(1, self._tick)

    def stop(self) -> None:
        """The attempt is over: the lines stay, nothing more is said."""
        self.spoken = len(self.scenario.lines) if hasattr(self, "scenario") else 0
        self.remove_class("-playing")

    def _next_line(self) -> None:
        lines = self.scenario.lines
        if self.spoken >= len(lines):
            return
        self.spoken += 1
        shown = Text()
        for line in lines[: self.spoken]:
            shown.append("来电人：", style="bold")
            shown.append(line.text + "\n")  # the caller's words: text, never markup
        self.query_one("#script-lines", Static).update(shown)
        if self.spoken < len(lines):
            self.set_timer(max(0.1, lines[self.spoken].after_s), self._next_line)

    def _tick(self) -> None:
        if not self.has_class("-playing"):
            return
        elapsed = int(time.monotonic() - self.started)
        clock = f"已用 {elapsed // 60}:{elapsed % 60:02d}"
        if self.ends_at is not None:
            left = max(0, int(self.ends_at - time.monotonic()))
            clock += f" · 考试剩余 {left // 60}:{left % 60:02d}"
        self.query_one("#script-clock", Static).update(Text(clock, style="dim"))
