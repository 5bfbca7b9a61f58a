"""Recording one callback attempt: reached or not, solved or not, satisfaction, next try —
with the ticket in view (its number, the caller, the unit's reply) while the agent talks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from console.text import safe_text
from console.widgets.dialog import Dialog
from store.services.callbacks import CallbackForm
from store.services.vocabulary import format_for_reading


@dataclass(frozen=True, slots=True)
class CallbackResult:
    """What the callback agent recorded for one call."""

    reached: bool
    solved: bool | None
    satisfaction: str | None
    note: str
    next_attempt_at: datetime | None


class CallbackDialog(Dialog):
    """Returns a CallbackResult; the satisfaction levels are the city's configured scale."""

    def __init__(self, form: CallbackForm):
        super().__init__()
        self.form = form

    def compose(self) -> ComposeResult:
        form = self.form
        with Vertical(classes="dialog", id="callback-dialog"):
            yield Label(Text("记录回访（F2 确定，Esc 取消）", style="bold"))
            facts = Table.grid(padding=(0, 1))
            facts.add_column(style="bold", no_wrap=True)
            facts.add_column(overflow="fold")
            facts.add_row("工单", format_for_reading(form.number))
            facts.add_row("来电人", safe_text(form.caller))
            facts.add_row("诉求", safe_text(form.content, 160))
            facts.add_row("承办单位", safe_text(form.unit))
            facts.add_row("单位答复", safe_text(form.reply, 240))
            if form.attempts:
                facts.add_row("已拨打", f"{form.attempts} 次未接通")
            yield Static(facts, id="callback-facts")
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
                    for i, level in enumerate(form.scale):
                        yield RadioButton(level, value=i == 0)
            with Vertical(id="missed-part"):
                yield Label("下次拨打时间")
                retry = form.now + timedelta(hours=form.retry_hours)
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
        """Check the answers (a reached caller needs solved and satisfaction) and return them."""
        reached = self.query_one("#reached", RadioSet).pressed_index == 0
        note = self.query_one("#note", Input).value
        if reached:
            solved = self.query_one("#solved", RadioSet).pressed_index == 0
            level = self.form.scale[self.query_one("#satisfaction", RadioSet).pressed_index]
            self.dismiss(CallbackResult(True, solved, level, note, None))
            return
        text = self.query_one("#next-attempt", Input).value.strip()
        try:
            when = datetime.fromisoformat(text).replace(tzinfo=self.form.now.tzinfo)
        except ValueError:
            self.say_error(f"下次拨打时间格式不对：{text}，格式应为 年-月-日 时:分。")
            return
        self.dismiss(CallbackResult(False, None, None, note, when))
