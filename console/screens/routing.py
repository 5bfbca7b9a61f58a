"""Dialogs for routing a ticket: to a specialist desk, or dispatch to handling units with
the deadlines previewed (in working days and as dates) before the agent confirms."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from console.text import due_text
from console.widgets.dialog import Dialog
from console.widgets.picker import Picker
from store.services.intake import DeskStatus
from store.services.routing import DispatchForm, dispatch_form
from store.services.vocabulary import CLOCK_KINDS, TRANSFER_MODES, from_text, limit_label


def describe_clocks(clocks: dict[str, dict[str, str]]) -> Text:
    """签收 24 小时，至 11-23（周一）10:00 — one line per clock the dispatch will start."""
    text = Text()
    for kind, clock in clocks.items():
        due = from_text(clock["due_at"])
        text.append(f"{CLOCK_KINDS.get(kind, kind)}：", style="bold")
        text.append(f"{limit_label(clock['rule'])}，至 ")
        text.append(due_text(due, year=True, weekday=True), style="bold")
        text.append("\n")
    return text


@dataclass(frozen=True, slots=True)
class DispatchChoice:
    """The units and instructions the agent chose for a dispatch."""

    lead: str
    assisting: list[str]
    instructions: str


class DispatchDialog(Dialog):
    """Lead unit (suggested by the catalogue), assisting units, instructions; the deadlines
    this dispatch will start are shown before F2 confirms. Returns a DispatchChoice."""

    def __init__(self, form: DispatchForm):
        super().__init__()
        self.form = form
        self.units = form.units
        self.suggested = form.suggested
        self.assisting: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="dispatch-dialog"):
            yield Label(Text("派单（F2 确定，Esc 取消）", style="bold"))
            for note in self.form.notes:
                yield Static(Text(note, style="bold yellow"))
            yield Label("主办单位" + ("（按派单目录推荐）" if self.suggested else ""))
            yield Picker("单位名、拼音、首字母或简称，如 东湖住建", id="lead")
            yield Static("", id="lead-hint")
            yield Label("协办单位（可多个，选中即加入）")
            yield Picker("需要协办时选择", id="assist")
            yield Static("", id="assisting")
            yield Label("派单意见")
            yield Input("请按时限办理并答复来电人。", id="instructions")
            yield Label(Text("将开始计时的期限", style="bold"))
            yield Static(describe_clocks(self.form.clocks), id="deadline-preview")
            yield Static("", id="dialog-error")

    def on_mount(self) -> None:
        for picker in self.query(Picker):
            picker.set_choices(self.units)
        lead = self.query_one("#lead", Picker)
        if self.suggested:
            lead.select(self.suggested)
        lead.query_one(Input).focus()

    @on(Picker.Selected, "#lead")
    def _lead_chosen(self, event: Picker.Selected) -> None:
        hint = Text()
        if event.choice and self.form.out_of_area(event.choice.code):
            hint = Text(
                f"注意：{event.choice.name}不负责来电人所在的{self.form.district_name}。",
                style="yellow",
            )
        self.query_one("#lead-hint", Static).update(hint)

    @on(Picker.Selected, "#assist")
    def _add_assisting(self, event: Picker.Selected) -> None:
        if event.choice and event.choice.code not in self.assisting:
            self.assisting.append(event.choice.code)
        names = {c.code: c.name for c in self.units}
        self.query_one("#assisting", Static).update(
            Text(
                "协办：" + "、".join(names.get(u, u) for u in self.assisting)
                if self.assisting
                else ""
            )
        )

    def action_confirm(self) -> None:
        """Return the choice; a lead unit is required."""
        lead = self.query_one("#lead", Picker).value
        if not lead:
            self.say_error("请选择主办单位：在列表中选中（回车）才算选定。")
            return
        typed = self.query_one("#assist", Picker).query_one(Input).value.strip()
        if typed and not self.query_one("#assist", Picker).value:
            self.say_error(f"协办单位“{typed}”还没有选中：请在列表中回车选定，或清空这一栏。")
            return
        instructions = self.query_one("#instructions", Input).value
        self.dismiss(DispatchChoice(lead, [u for u in self.assisting if u != lead], instructions))


class DeskDialog(Dialog):
    """Which specialist desk, and one-key or three-way; returns (desk_id, mode, note).

    The cursor starts on the desk that takes the ticket (``suggested``); a desk with nobody
    on duty is marked, and choosing it asks once more before transferring.
    """

    def __init__(self, desks: list[DeskStatus], suggested: str | None = None):
        super().__init__()
        self.desks = desks
        self.suggested = suggested
        self._warned: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("转专席：选择专席（↑↓ 选择，F2 确定，Esc 取消）", style="bold"))
            yield OptionList(*[Option(self._label(d), id=d.id) for d in self.desks], id="desks")
            if self.suggested:
                name = next((d.name for d in self.desks if d.id == self.suggested), "")
                yield Static(Text(f"按诉求分类推荐：{name}", style="green"))
            with RadioSet(id="mode"):
                for i, label in enumerate(TRANSFER_MODES.values()):
                    yield RadioButton(label, value=i == 0)
            yield Label("转接说明")
            yield Input(placeholder="如 涉及企业开办政策，来电人要求专员解答", id="note")
            yield Static("", id="dialog-error")

    def on_mount(self) -> None:
        ids = [d.id for d in self.desks]
        options = self.query_one(OptionList)
        options.highlighted = ids.index(self.suggested) if self.suggested in ids else 0
        options.focus()

    @staticmethod
    def _label(desk: DeskStatus) -> Text:
        text = Text(desk.name, style="bold")
        if desk.line:
            text.append(f"（{desk.line}）")
        if desk.on_duty:
            text.append(f"  在岗 {desk.on_duty}/{desk.specialists} 人", style="green")
        else:
            text.append("  无人在岗", style="bold red")
        text.append(f" · 排队 {desk.waiting}", style="yellow" if desk.waiting else "dim")
        return text

    def action_confirm(self) -> None:
        """Return the chosen desk, the transfer mode and the note; a desk with nobody on duty
        is warned of once, and taken at the second confirm."""
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.say_error("请选择专席。")
            return
        chosen = self.desks[options.highlighted]
        if not chosen.on_duty and self._warned != chosen.id:
            self._warned = chosen.id
            self.say_error(
                f"{chosen.name}现在无人在岗：转过去要等专席人员上岗才有人处理。"
                "确要转接请再按 F2，或选择其他专席。"
            )
            return
        desk = chosen.id
        mode = list(TRANSFER_MODES)[self.query_one("#mode", RadioSet).pressed_index]
        self.dismiss((desk, mode, self.query_one("#note", Input).value))

    def on_input_submitted(self) -> None:
        self.action_confirm()


async def dispatch_dialog(app, ticket_id: str) -> DispatchChoice | None:
    """Load what the dialog shows (``store.services.routing``), ask, return the choice."""
    form = await app.backend.call(dispatch_form, ticket_id)
    return await app.push_screen_wait(DispatchDialog(form))
