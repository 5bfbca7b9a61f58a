"""Dialogs for the outcomes decided during the call: not accepted, 110/119/120/122, merge."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from console.widgets.dialog import Dialog
from store.services.vocabulary import EMERGENCY_LINES, TRANSFER_MODES, Choice


class NotAcceptedDialog(Dialog):
    """Choose the reason code and note what the caller was told; returns (code, explanation)."""

    def __init__(self, reasons: list[Choice]):
        super().__init__()
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("不予受理：选择原因（↑↓ 选择，F2 确定，Esc 取消）", style="bold"))
            yield OptionList(
                *[Option(Text(r.label), id=r.code) for r in self.reasons], id="reasons"
            )
            yield Label("向来电人告知的内容")
            yield Input(placeholder="如 已告知通过诉讼途径解决", id="explanation")
            yield Static("", id="dialog-error")

    def action_confirm(self) -> None:
        """Return the chosen reason (required) and the explanation (the store requires it)."""
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.say_error("请选择不予受理的原因。")
            return
        code = self.reasons[options.highlighted].code
        self.dismiss((code, self.query_one("#explanation", Input).value))

    def on_option_list_option_selected(self) -> None:
        self.query_one("#explanation", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_confirm()


class EmergencyDialog(Dialog):
    """Which line and how; returns (line, mode, note). ``answer`` prefills what was chosen
    and typed before (the form needed completing first)."""

    def __init__(self, answer: tuple[str, str, str] | None = None):
        super().__init__()
        self.answer = answer or (next(iter(EMERGENCY_LINES)), next(iter(TRANSFER_MODES)), "")

    def compose(self) -> ComposeResult:
        line, mode, note = self.answer
        with Vertical(classes="dialog"):
            yield Label(Text("转接紧急警务/救援（F2 确定，Esc 取消）", style="bold"))
            with RadioSet(id="line"):
                for code, label in EMERGENCY_LINES.items():
                    yield RadioButton(label, value=code == line)
            with RadioSet(id="mode"):
                for code, label in TRANSFER_MODES.items():
                    yield RadioButton(label, value=code == mode)
            yield Label("转接说明")
            yield Input(note, placeholder="如 来电人称有人持刀，已一键转接 110", id="note")

    def action_confirm(self) -> None:
        """Return the line, how it was transferred and the note."""
        line = list(EMERGENCY_LINES)[self.query_one("#line", RadioSet).pressed_index]
        mode = list(TRANSFER_MODES)[self.query_one("#mode", RadioSet).pressed_index]
        self.dismiss((line, mode, self.query_one("#note", Input).value))

    def on_input_submitted(self) -> None:
        self.action_confirm()


class MergeDialog(Dialog):
    """Confirm merging this call into an earlier ticket; returns the reason or None."""

    def __init__(self, target_label: Text):
        super().__init__()
        self.target_label = target_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("并单：本次来电并入以下工单（F2 确定，Esc 取消）", style="bold"))
            yield Static(self.target_label)
            yield Label("并单说明")
            yield Input(value="同一诉求重复来电", id="reason")

    def action_confirm(self) -> None:
        """Return why the tickets are the same matter."""
        self.dismiss(self.query_one("#reason", Input).value)

    def on_input_submitted(self) -> None:
        self.action_confirm()


class TextDialog(Dialog):
    """Ask for one line of text (a note, a reason); returns it, or None when cancelled.
    ``required``: an empty answer is refused in the dialog (the dialog stays)."""

    def __init__(
        self,
        title: str,
        placeholder: str = "",
        value: str = "",
        *,
        required: bool = False,
        context: Text | str = "",
    ):
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.value = value
        self.required = required
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"{self.title_text}（回车或 F2 确定，Esc 取消）", style="bold"))
            if self.context:
                yield Static(self.context, classes="dialog-context")
            yield Input(self.value, placeholder=self.placeholder, id="text")
            yield Static("", id="dialog-error")

    def action_confirm(self) -> None:
        """Return the text (refused empty where it is required)."""
        text = self.query_one("#text", Input).value
        if self.required and not text.strip():
            self.say_error("请填写：" + self.title_text.split("：")[0].split("（")[0] + "。")
            return
        self.dismiss(text)

    def on_input_submitted(self) -> None:
        self.action_confirm()


class AnswerDialog(Dialog):
    """What the agent told the caller, prefilled from the cited entries; returns the text."""

    def __init__(self, cited_titles: list[str], prefill: str):
        super().__init__()
        self.cited_titles = cited_titles
        self.prefill = prefill

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="answer-dialog"):
            yield Label(Text("直接答复：确认向来电人答复的内容（F2 办结，Esc 取消）", style="bold"))
            if self.cited_titles:
                cited = Text("引用知识库：", style="green")
                cited.append("；".join(self.cited_titles), style="")
            else:
                cited = Text("未引用知识库条目（在知识库结果上回车即可引用）", style="yellow")
            yield Static(cited)
            yield TextArea(self.prefill, id="answer-text", soft_wrap=True)
            yield Static("", id="dialog-error")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_confirm(self) -> None:
        """Return the answer given to the caller (required)."""
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.say_error("请填写向来电人答复的内容。")
            return
        self.dismiss(text)


class ConfirmDialog(Dialog[bool]):
    """A yes-or-no question: F2 yes, Esc no."""

    def __init__(self, question: str, detail: str = ""):
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question, style="bold"))
            if self.detail:
                yield Static(Text(self.detail))
            yield Static(Text("F2 确定 · Esc 返回", style="dim"))

    def action_confirm(self) -> None:
        """Yes."""
        self.dismiss(True)

    def action_dismiss(self, result: object = None) -> None:  # Esc: no
        """No (Esc)."""
        self.dismiss(False)
