"""Recording one callback attempt: reached or not, solved or not, satisfaction, next try."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from console.widgets.dialog import Dialog

RETRY_HOURS = 2  # a caller not reached is tried again this much later, unless changed


@dataclass(frozen=True, slots=True)
class CallbackResult:
    reached: bool
    solved: bool | None
    satisfaction: str | None
    note: str
    next_attempt_at: datetime | None


class CallbackDialog(Dialog):
    """Returns a CallbackResult; the satisfaction levels are the city's configured scale."""

    def __init__(self, scale: list[str], now: datetime):
        super().__init__()
        self.scale = scale
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="callback-dialog"):
            yield Label(Text("记录回访（F2 确定，Esc 取消）", style="bold"))
            with RadioSet(id="reached"):
                yield RadioButton("已接通", value=True)
                yield RadioButton("未接通")
            with Vertical(id="reached-part"):
                yield Label("诉求是否解决")
                with RadioSet(id="solved"):
                    yield RadioButton("已解决", value=True)
                    yield RadioButton("未解决")
                yield Label("满意度")
                with RadioSet(id="satisfaction"):
                    for i, level in enumerate(self.scale):
                        yield RadioButton(level, value=i == 0)
            with Vertical(id="missed-part"):
                yield Label("下次拨打时间")
                retry = self.now + timedelta(hours=RETRY_HOURS)
                yield Input(retry.strftime("%Y-%m-%d %H:%M"), id="next-attempt")
            yield Label("回访记录")
            yield Input(placeholder="来电人的原话要点", id="note")
            yield Static("", id="dialog-error")

    def on_mount(self) -> None:
        self._toggle(True)

    @on(RadioSet.Changed, "#reached")
    def _reached_changed(self, event: RadioSet.Changed) -> None:
        self._toggle(event.index == 0)

    def _toggle(self, reached: bool) -> None:
        self.query_one("#reached-part").display = reached
        self.query_one("#missed-part").display = not reached

    def action_confirm(self) -> None:
        reached = self.query_one("#reached", RadioSet).pressed_index == 0
        note = self.query_one("#note", Input).value
        if reached:
            solved = self.query_one("#solved", RadioSet).pressed_index == 0
            level = self.scale[self.query_one("#satisfaction", RadioSet).pressed_index]
            self.dismiss(CallbackResult(True, solved, level, note, None))
            return
        text = self.query_one("#next-attempt", Input).value.strip()
        try:
            when = datetime.fromisoformat(text).replace(tzinfo=self.now.tzinfo)
        except ValueError:
            self.query_one("#dialog-error", Static).update(
                Text(f"下次拨打时间格式不对：{text}，应为 2026-11-23 09:30", style="bold red")
            )
            return
        self.dismiss(CallbackResult(False, None, None, note, when))
