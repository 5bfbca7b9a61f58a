"""Call intake: the caller's number first, their history at once, then the ticket form.

Beside the history, the knowledge-base panel searches as the agent types; entries cited
there are what a direct answer (F4) records. Outcomes decided on the call — answered
directly, not accepted, 110/119/120/122, merge into an earlier ticket, transfer to a desk,
dispatch — save the ticket first if it is not saved yet.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Input, Label, Static

from console.screens.routing import dispatch_dialog
from console.widgets.field_error import FieldError
from console.widgets.history import HistoryPanel
from console.widgets.kb_panel import KbPanel
from console.widgets.ticket_form import TicketForm
from store import choices, queues, workflow
from store.db import connect_readonly
from store.errors import DomainError
from store.kb import entries as kb_entries
from store.kb import typos
from store.queries import caller_history
from store.states import State
from store.ticket_numbers import format_for_reading
from store.validation import CONTENT_MAX


class IntakeScreen(Screen):
    BINDINGS = [
        Binding("f2", "save", "保存受理", id="intake.save"),
        Binding("f3", "new_call", "新来电", id="intake.new_call"),
        Binding("f4", "answer", "直接答复", id="intake.answer"),
        Binding("f5", "not_accepted", "不予受理", id="intake.not_accepted"),
        Binding("f6", "emergency", "转110/119/120/122", id="intake.emergency"),
        Binding("f7", "desk", "转专席", id="intake.desk"),
        Binding("f8", "dispatch", "派单", id="intake.dispatch"),
        Binding("f9", "merge", "并单", id="intake.merge"),
        Binding("ctrl+t", "focus_history", "历史工单", id="intake.history"),
        Binding("ctrl+g", "focus_phone", "来电号码", id="intake.phone"),
        Binding("ctrl+l", "focus_kb", "知识库", id="intake.kb"),
        Binding("ctrl+o", "kb_outdated", "标记条目过时", id="intake.kb_outdated"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ticket_id: str | None = None
        self.number: str | None = None
        self.call_done = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="intake"):
            with Vertical(id="caller"):
                yield Label(Text("来电号码", style="bold"))
                yield Input(placeholder="来电号码，回车查历史", id="caller_phone", compact=True)
                yield FieldError(id="err-caller_phone", classes="field-error")
                yield HistoryPanel(id="history")
                yield KbPanel(id="kb")
            with Vertical(id="ticket"):
                with Vertical(id="saved"):
                    yield Static("", id="saved-label")
                    yield Digits("", id="saved-number")
                # The form (~120 widgets, ~0.3 s to style) is mounted after the first frame:
                # the number field and the history are usable at once, and the form is in
                # place long before the agent has finished typing an 11-digit number.
                yield Vertical(id="form-slot")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#caller_phone", Input).focus()
        self.load_choices()
        self.call_after_refresh(self._first_frame)
        self.warm_search()

    @work(thread=True, group="warm")
    def warm_search(self) -> None:
        """Load the homophone tables and the knowledge base's characters now, not on the
        first typo — on a thread and a read-only connection of their own: the scan takes
        ~0.5 s on 40,000 entries and must not hold up the store thread (and the caller's
        history) right after login."""
        conn = connect_readonly(self.app.backend.db_path)
        try:
            typos.warm(conn)
        finally:
            conn.close()

    def _first_frame(self) -> None:
        self.app.intake_ready()  # the number field is painted and takes input now
        self.set_timer(0.02, self._mount_form)  # let the frame reach the terminal first

    async def _mount_form(self) -> None:
        await self.query_one("#form-slot").mount(TicketForm(id="form"))

    @work(exclusive=True, group="choices")
    async def load_choices(self) -> None:
        self.choices = await self.app.backend.call(
            lambda s: (choices.topics(s.conn), choices.areas(s.conn), choices.reasons(s.conn))
        )
        self.reasons = self.choices[2]
        forms = self.query(TicketForm)
        if forms:  # else the form gets them when it mounts (on_ticket_form_mounted)
            forms.first().set_choices(*self.choices[:2])
            self.app.form_ready()

    def on_ticket_form_mounted(self) -> None:
        """The lazily mounted form is in place: give it the pickers' lists if they are loaded."""
        if hasattr(self, "choices"):
            self.query_one(TicketForm).set_choices(*self.choices[:2])
            self.app.form_ready()

    # the caller's number and history ------------------------------------------------
    @on(Input.Changed, "#caller_phone")
    def _phone_typed(self, event: Input.Changed) -> None:
        error = self.query_one("#err-caller_phone", FieldError)
        error.show("")
        digits = "".join(ch for ch in event.value if ch.isdigit())
        if len(digits) >= 7:
            self.lookup(event.value)
        elif not digits:
            self.query_one(HistoryPanel).show(None)

    @on(Input.Submitted, "#caller_phone")
    def _phone_entered(self, event: Input.Submitted) -> None:
        self.lookup(event.value, report=True)
        self.query_one("#caller_name", Input).focus()

    @work(exclusive=True, group="history")
    async def lookup(self, phone: str, report: bool = False) -> None:
        try:
            history = await self.app.backend.call(lambda s: caller_history(s.conn, phone, s.now()))
        except DomainError as exc:
            if report or not any(ch.isdigit() for ch in phone[-1:]):
                self.query_one("#err-caller_phone", FieldError).show(exc.message)
            return
        self.query_one(HistoryPanel).show(history)

    # saving and outcomes -----------------------------------------------------------------
    def action_save(self) -> None:
        self.save_ticket()

    @work(exclusive=True, group="write")
    async def save_ticket(self) -> None:
        await self._ensure_saved()

    async def _ensure_saved(self, *, repeat: bool = False) -> str | None:
        """Register the ticket if it is not yet; return its id, or None if the form is invalid."""
        if self.ticket_id:
            return self.ticket_id
        form = self.query_one(TicketForm)
        draft = form.draft(self.query_one("#caller_phone", Input).value)
        draft.repeat = draft.repeat or repeat
        try:
            event = await self.app.backend.call(workflow.register, self.app.actor, draft)
        except DomainError as exc:
            errors = dict(exc.errors or {exc.field or "content": exc.message})
            phone_error = errors.pop("caller_phone", "")
            self.query_one("#err-caller_phone", FieldError).show(phone_error)
            form.show_errors(errors)
            if phone_error:
                self.query_one("#caller_phone", Input).focus()
            count = len(errors) + bool(phone_error)
            self.app.notify(
                f"{count} 处需要修改：{exc.message}", title="未保存", severity="error", markup=False
            )
            return None
        form.clear_errors()
        self.ticket_id, self.number = event.subject_id, event.payload["number"]
        self._show_saved("已受理，请向来电人复述工单号")
        self.app.notify(
            f"工单 {format_for_reading(self.number)} 已保存", title="受理成功", markup=False
        )
        self.lookup(draft.caller_phone)
        return self.ticket_id

    def _show_saved(self, label: str, style: str = "bold green") -> None:
        self.query_one("#saved").add_class("-shown")
        self.query_one("#saved-label", Static).update(Text(label, style=style))
        self.query_one("#saved-number", Digits).update(format_for_reading(self.number or ""))

    def _finish_call(self, outcome: str) -> None:
        self.call_done = True
        self.query_one(TicketForm).set_locked(True)
        self._show_saved(f"{outcome} · 按 F3 接听下一个来电", "bold yellow")
        self.refresh_bindings()

    def action_not_accepted(self) -> None:
        self.not_accepted()

    @work(exclusive=True, group="write")
    async def not_accepted(self) -> None:
        from console.screens.outcomes import NotAcceptedDialog

        if not await self._ensure_saved():
            return
        answer = await self.app.push_screen_wait(NotAcceptedDialog(self.reasons))
        if answer is None:
            return
        await self._outcome(workflow.not_accept, *answer, label=State.NOT_ACCEPTED.label)

    def action_emergency(self) -> None:
        self.emergency()

    @work(exclusive=True, group="write")
    async def emergency(self) -> None:
        from console.screens.outcomes import EmergencyDialog

        answer = await self.app.push_screen_wait(EmergencyDialog())
        if answer is None or not await self._ensure_saved():
            return
        line, mode, note = answer
        await self._outcome(workflow.transfer_emergency, line, mode, note, label=f"已转 {line}")

    def action_merge(self) -> None:
        self.merge()

    @work(exclusive=True, group="write")
    async def merge(self) -> None:
        from console.screens.outcomes import MergeDialog

        panel = self.query_one(HistoryPanel)
        target = panel.selected_ticket
        if target is None or target == self.ticket_id:
            self.app.notify(
                "请先在历史工单中选中要并入的工单（Ctrl+T 跳到历史，↑↓ 选择）。",
                severity="warning",
                markup=False,
            )
            return
        row = panel.query_one("#history-table").get_row(target)
        reason = await self.app.push_screen_wait(
            MergeDialog(Text.assemble(str(row[0]), "  ", row[4]))
        )
        if reason is None or not await self._ensure_saved(repeat=True):
            return
        await self._outcome(workflow.merge, target, reason, label=f"已并入 {row[0]}")

    async def _outcome(self, command, *args, label: str) -> None:
        try:
            await self.app.backend.call(command, self.app.actor, self.ticket_id, *args)
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self._finish_call(label)
        self.lookup(self.query_one("#caller_phone", Input).value)

    def action_answer(self) -> None:
        self.answer()

    @work(exclusive=True, group="write")
    async def answer(self) -> None:
        from console.screens.outcomes import AnswerDialog

        panel = self.query_one(KbPanel)
        cited = list(panel.cited.values())
        if not await self._ensure_saved():
            return
        prefill = "\n".join(c.answer for c in cited)[:CONTENT_MAX]
        text = await self.app.push_screen_wait(AnswerDialog([c.title for c in cited], prefill))
        if text is None:
            return
        refs = [c.id for c in cited]
        await self._outcome(workflow.answer_directly, text, refs, label=State.ANSWERED.label)

    def action_focus_kb(self) -> None:
        self.query_one("#kb-query", Input).focus()

    def action_kb_outdated(self) -> None:
        self.kb_outdated()

    @work(exclusive=True, group="kb-feedback")
    async def kb_outdated(self) -> None:
        from console.screens.outcomes import TextDialog

        entry_id = self.query_one(KbPanel).highlighted
        if entry_id is None:
            self.app.notify("请先在知识库结果中选中条目。", severity="warning", markup=False)
            return
        note = await self.app.push_screen_wait(
            TextDialog("标记条目过时：哪里过时了", "如 服务电话已变更为 96390")
        )
        if note is None:
            return
        try:
            await self.app.backend.call(
                kb_entries.give_feedback,
                self.app.actor,
                entry_id,
                "outdated",
                note,
                self.ticket_id,
            )
        except DomainError as exc:
            self.app.notify(exc.message, title="未提交", severity="error", markup=False)
            return
        self.app.notify("已反馈给知识库编辑。", title="已标记过时", markup=False)

    def action_desk(self) -> None:
        self.to_desk()

    @work(exclusive=True, group="write")
    async def to_desk(self) -> None:
        from console.screens.routing import DeskDialog

        if not await self._ensure_saved():
            return
        desk_list = await self.app.backend.call(lambda s: queues.desks(s.conn))
        answer = await self.app.push_screen_wait(DeskDialog(desk_list))
        if answer is None:
            return
        names = {d.id: d.name for d in desk_list}
        await self._outcome(workflow.transfer_desk, *answer, label=f"已转{names[answer[0]]}")

    def action_dispatch(self) -> None:
        self.dispatch()

    @work(exclusive=True, group="write")
    async def dispatch(self) -> None:
        if not await self._ensure_saved():
            return
        choice = await dispatch_dialog(self.app, self.ticket_id)
        if choice is None:
            return
        await self._outcome(
            workflow.dispatch,
            choice.lead,
            choice.assisting,
            choice.instructions,
            label=f"已派单（{State.DISPATCHED.label}）",
        )

    def action_new_call(self) -> None:
        self.ticket_id = self.number = None
        self.call_done = False
        form = self.query_one(TicketForm)
        form.set_locked(False)
        form.reset()
        self.query_one("#saved").remove_class("-shown")
        phone = self.query_one("#caller_phone", Input)
        phone.value = ""
        self.query_one(HistoryPanel).show(None)
        self.query_one(KbPanel).clear()
        phone.focus()
        self.refresh_bindings()

    def action_focus_history(self) -> None:
        self.query_one("#history-table").focus()

    def action_focus_phone(self) -> None:
        self.query_one("#caller_phone", Input).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        finished = ("save", "answer", "not_accepted", "emergency", "merge", "desk", "dispatch")
        if action in finished and self.call_done:
            return None  # shown dimmed: this call already has its outcome
        return True
