"""Call intake: the caller's number first, their history at once, then the ticket form.

Beside the history, the knowledge-base panel searches as the agent types; entries cited
there are what a direct answer (F4) records. Outcomes decided on the call — answered
directly, not accepted, 110/119/120/122, merge into an earlier ticket, transfer to a desk,
dispatch — save the ticket first if it is not saved yet.

The call's keys are priority bindings: they work from every field, the complaint's text
area included (which would otherwise take F6 and F7 for selecting text). Nothing the agent
typed is ever thrown away without asking: a new call (F3) or quitting asks first, a
refused save keeps the form, and an outcome's dialog keeps its answer while the form is
completed.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Digits, Footer, Input, Label, Static
from textual.worker import WorkerCancelled, WorkerFailed

from console.cti.signals import CallSignal
from console.screens.practice import Practice
from console.screens.routing import dispatch_dialog
from console.widgets.field_error import FieldError
from console.widgets.history import HistoryPanel
from console.widgets.kb_panel import KbPanel
from console.widgets.script_panel import ScriptPanel
from console.widgets.seat_header import SeatHeader
from console.widgets.ticket_form import TicketForm
from store import DomainError
from store.services import intake, kb
from store.services.calls import CallerNumber
from store.services.maintenance import StoreFailure
from store.services.vocabulary import CONTENT_MAX, State, format_for_reading


def _key(
    key: str, action: str, label: str, name: str, show: bool = True, full: str = ""
) -> Binding:
    """A call key: ``label`` in the footer, ``full`` (if longer) in the palette."""
    return Binding(key, action, label, id=f"intake.{name}", priority=True, show=show, tooltip=full)


class IntakeScreen(Practice, Screen):
    """Call intake: the caller's number and history, the ticket form, the knowledge-base panel,
    and every outcome of the call on a function key."""

    BINDINGS = [
        _key("f2", "save", "保存", "save", full="保存受理"),
        _key("f3", "new_call", "新来电", "new_call"),
        _key("f4", "answer", "直接答复", "answer"),
        _key("f5", "not_accepted", "不予受理", "not_accepted"),
        _key("f6", "emergency", "转110等", "emergency", full="转110/119/120/122"),
        _key("f7", "desk", "转专席", "desk"),
        _key("f8", "dispatch", "派单", "dispatch"),
        _key("f9", "merge", "并单", "merge"),
        _key("ctrl+l", "focus_kb", "知识库", "kb"),
        # In the palette (Ctrl+P) and the README, not the footer: it has room for the call's.
        _key("ctrl+t", "focus_history", "历史工单", "history", show=False),
        _key("ctrl+g", "focus_phone", "来电号码", "phone", show=False),
        _key("ctrl+o", "kb_outdated", "标记条目过时", "kb_outdated", show=False),
        *Practice.PRACTICE_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.call_id: str | None = None  # the switch's call this ticket is taken on
        self.popped_phone = ""  # the number the switch put in, not typed by the agent
        self.ticket_id: str | None = None
        self.number: str | None = None
        self.call_done = False
        self._emergency_answer: tuple[str, str, str] | None = None
        self._repeat_suggested = False
        self.pickers: intake.Pickers | None = None  # the form's lists, once loaded
        self.init_practice()

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Horizontal(id="intake"):
            with Vertical(id="caller"):
                yield ScriptPanel(id="script")  # a training scenario's caller, when played
                yield Label(Text("来电号码", style="bold"))
                yield Input(placeholder="来电号码，回车查历史", id="caller_phone", compact=True)
                yield Static("", id="call-info")
                yield FieldError(id="err-caller_phone", classes="field-error")
                yield HistoryPanel(id="history")
                yield KbPanel(id="kb")
            with Vertical(id="ticket"):
                with Vertical(id="saved"):
                    yield Static("", id="saved-label")
                    yield Digits("", id="saved-number")
                    yield Static("", id="saved-number-text")
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
        self._take_pending_call()

    def on_screen_resume(self) -> None:
        self._take_pending_call()

    def _take_pending_call(self) -> None:
        """A call answered while another screen was showing is taken now."""
        pending = getattr(self.app, "pending_call", None)
        if pending is not None:
            self.app.pending_call = None
            self.take_call(*pending)

    @work(thread=True, group="warm")
    def warm_search(self) -> None:
        """Load the homophone tables and the knowledge base's characters now, not on the
        first typo — on a thread and a read-only connection of their own: the scan takes
        ~0.5 s on 40,000 entries and must not hold up the store thread (and the caller's
        history) right after login."""
        # Only a warm-up: if it fails, the first search does it instead.
        with contextlib.suppress(Exception):
            kb.warm(self.app.backend.db_path)

    def _first_frame(self) -> None:
        self.app.intake_ready()  # the number field is painted and takes input now
        self.set_timer(0.02, self._mount_form)  # let the frame reach the terminal first

    async def _mount_form(self) -> None:
        await self.query_one("#form-slot").mount(TicketForm(id="form"))

    @work(exclusive=True, group="choices")
    async def load_choices(self) -> None:
        """Load the pickers' lists (topics, areas, reasons) and give them to the form."""
        self.pickers = await self.app.backend.call(intake.pickers)
        forms = self.query(TicketForm)
        if forms:  # else the form gets them when it mounts (on_ticket_form_mounted)
            forms.first().set_choices(self.pickers.topics, self.pickers.areas)
            self.app.form_ready()

    def on_ticket_form_mounted(self) -> None:
        """The lazily mounted form is in place: give it the pickers' lists if they are loaded."""
        if self.pickers is not None:
            self.query_one(TicketForm).set_choices(self.pickers.topics, self.pickers.areas)
            self.app.form_ready()

    # the caller's number and history ------------------------------------------------
    @on(Input.Changed, "#caller_phone")
    def _phone_typed(self, event: Input.Changed) -> None:
        error = self.query_one("#err-caller_phone", FieldError)
        error.show("")
        if event.value != event.input.value:
            return  # the field has changed again since (a new call cleared and filled it)
        if self.popped_phone and event.value == self.popped_phone:
            return  # the switch put it in, and the pop looks it up itself
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
        """Show the caller's history for ``phone`` (and suggest the repeat flag); a bad number is
        reported only when the agent asks (Enter) or stops typing digits."""
        try:
            history = await self.app.backend.call(intake.history, phone)
        except DomainError as exc:
            if report or not any(ch.isdigit() for ch in phone[-1:]):
                self.query_one("#err-caller_phone", FieldError).show(exc.message)
            return
        self.query_one(HistoryPanel).show(history)
        if history.is_repeat_caller and not self.ticket_id and not self._repeat_suggested:
            self._repeat_suggested = True
            forms = self.query(TicketForm)
            if forms and forms.first().suggest_repeat():
                self.app.notify(
                    f"近 {history.window_days} 天第 {history.recent_count} 次来电，已勾选“重复件”（可取消）。",
                    markup=False,
                )

    # saving and outcomes -----------------------------------------------------------------
    @work(exclusive=True, group="write")
    async def action_save(self) -> None:
        """Register the ticket (F2); the form stays as it was if the store refuses it."""
        await self._ensure_saved()

    async def _ensure_saved(self, *, merging_into: str | None = None) -> str | None:
        """Register the ticket if it is not yet; return its id, or None if it could not be
        saved — the form is left as it was, and the agent told why."""
        if self.ticket_id:
            return self.ticket_id
        form = self.query_one(TicketForm)
        draft = form.draft(self.query_one("#caller_phone", Input).value)
        try:
            if merging_into:
                draft = await self.app.backend.call(intake.completed_for_merge, draft, merging_into)
            event = await self.app.backend.call(
                intake.register, self.app.actor, draft, self.call_id
            )
        except StoreFailure as exc:
            self.app.notify(
                exc.message, title="未保存，表单已保留", severity="error", timeout=20, markup=False
            )
            return None
        except DomainError as exc:
            self._show_form_errors(form, exc)
            return None
        form.clear_errors()
        self.ticket_id, self.number = event.subject_id, event.payload["number"]
        self._show_saved("已受理，请向来电人复述工单号")
        self.app.notify(
            f"工单 {format_for_reading(self.number)} 已保存", title="受理成功", markup=False
        )
        self.lookup(draft.caller_phone)
        return self.ticket_id

    def _show_form_errors(self, form: TicketForm, exc: DomainError) -> None:
        errors = dict(exc.errors or {exc.field or "content": exc.message})
        phone_error = errors.pop("caller_phone", "")
        self.query_one("#err-caller_phone", FieldError).show(phone_error)
        form.show_errors(errors)
        if phone_error:
            self.query_one("#caller_phone", Input).focus()
        problems = ([phone_error] if phone_error else []) + list(errors.values())
        self.app.notify(
            f"{len(problems)} 处需要修改：" + "；".join(p.rstrip("。") for p in problems) + "。",
            title="未保存",
            severity="error",
            markup=False,
        )

    def _show_saved(self, label: str, style: str = "bold green") -> None:
        self.query_one("#saved").add_class("-shown")
        self.query_one("#saved-label", Static).update(Text(label, style=style))
        grouped = format_for_reading(self.number or "")
        self.query_one("#saved-number", Digits).update(grouped)
        self.query_one("#saved-number-text", Static).update(Text(grouped, style="bold reverse"))
        self.call_after_refresh(self._fit_number)

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._fit_number)

    def _fit_number(self) -> None:
        """The big digits when they fit; the number in one bold line when they do not —
        never a number with a digit cut off."""
        digits = self.query_one("#saved-number", Digits)
        room = self.query_one("#saved").content_size.width
        fits = 3 * len(digits.value) <= room
        digits.display = fits
        self.query_one("#saved-number-text").display = not fits

    def _finish_call(self, outcome: str) -> None:
        self.call_done = True
        self.query_one(TicketForm).set_locked(True)
        self._show_saved(f"{outcome} · 按 F3 接听下一个来电", "bold yellow")
        self.refresh_bindings()

    @work(exclusive=True, group="write")
    async def action_not_accepted(self) -> None:
        """Not accepted (F5): save, ask the reason and the explanation, close the call."""
        from console.screens.outcomes import NotAcceptedDialog

        if not await self._ensure_saved():
            return
        answer = await self.app.push_screen_wait(
            NotAcceptedDialog(self.pickers.reasons if self.pickers else [])
        )
        if answer is None:
            return
        await self._outcome(intake.not_accept, *answer, label=State.NOT_ACCEPTED.label)

    @work(exclusive=True, group="write")
    async def action_emergency(self) -> None:
        """The caller must reach 110/119/120/122 now: the line is chosen first; if the form
        still needs a field, what was chosen is kept for the next F6."""
        from console.screens.outcomes import EmergencyDialog

        answer = await self.app.push_screen_wait(EmergencyDialog(self._emergency_answer))
        if answer is None:
            return
        self._emergency_answer = answer
        if not await self._ensure_saved():
            self.app.notify(
                "已保留所选线路和转接说明：补全上面标出的字段后再按 F6 即可转接。",
                severity="warning",
                markup=False,
            )
            return
        self._emergency_answer = None
        line, mode, note = answer
        await self._outcome(intake.transfer_emergency, line, mode, note, label=f"已转 {line}")

    @work(exclusive=True, group="write")
    async def action_merge(self) -> None:
        """Merge (F9) into the ticket chosen in the history, after asking why."""
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
        if reason is None or not await self._ensure_saved(merging_into=target):
            return
        await self._outcome(intake.merge, target, reason, label=f"已并入 {row[0]}")

    async def _outcome(self, command, *args, label: str) -> None:
        try:
            await self.app.backend.call(command, self.app.actor, self.ticket_id, *args)
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self._finish_call(label)
        self.lookup(self.query_one("#caller_phone", Input).value)

    @work(exclusive=True, group="write")
    async def action_answer(self) -> None:
        """Answer directly (F4) with the cited entries' answers to start from."""
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
        await self._outcome(intake.answer_directly, text, refs, label=State.ANSWERED.label)

    @on(KbPanel.Cited)
    def _cited(self, event: KbPanel.Cited) -> None:
        """Citing an entry offers its topic when the form has none yet; the words searched
        and the entry cited are kept as evidence (the knowledge base's learning loop)."""
        self.record_search(event.queries, event.entry_id)
        forms = self.query(TicketForm)
        if forms and event.topic_code and forms.first().offer_topic(event.topic_code):
            self.app.notify("已按所引用条目填写诉求分类（可修改）。", markup=False)

    @work(group="kb-evidence", exit_on_error=False)
    async def record_search(self, queries: tuple[str, ...], entry_id: str | None) -> None:
        """Keep what a search ended in (an entry cited, or nothing): evidence, never in the
        agent's way: words the store does not keep (a phone number typed) are dropped."""
        if queries and self.app.actor is not None:
            with contextlib.suppress(DomainError, StoreFailure):
                await self.app.backend.call(kb.record_search, self.app.actor, queries, entry_id)

    def action_focus_kb(self) -> None:
        """Move to the knowledge-base search box."""
        self.query_one("#kb-query", Input).focus()

    @work(exclusive=True, group="kb-feedback")
    async def action_kb_outdated(self) -> None:
        """Flag the highlighted entry as outdated, with what is wrong, for the editors."""
        from console.screens.outcomes import TextDialog

        panel = self.query_one(KbPanel)
        entry_id = panel.highlighted
        if entry_id is None:
            self.app.notify("请先在知识库结果中选中条目。", severity="warning", markup=False)
            return
        note = await self.app.push_screen_wait(
            TextDialog(
                "标记条目过时：哪里过时了",
                "如 服务电话已变更为 96390",
                required=True,
                context=Text(f"条目：{panel.title_of(entry_id)}"),
            )
        )
        if note is None:
            return
        try:
            await self.app.backend.call(
                kb.give_feedback,
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

    @work(exclusive=True, group="write")
    async def action_desk(self) -> None:
        """Transfer to a specialist desk (F7), the topic's desk suggested."""
        from console.screens.routing import DeskDialog

        if not await self._ensure_saved():
            return
        ticket_id = self.ticket_id
        offered = await self.app.backend.call(intake.desk_choice, ticket_id)
        answer = await self.app.push_screen_wait(DeskDialog(offered.desks, offered.suggested))
        if answer is None:
            return
        names = {d.id: d.name for d in offered.desks}
        await self._outcome(intake.transfer_desk, *answer, label=f"已转{names[answer[0]]}")

    @work(exclusive=True, group="write")
    async def action_dispatch(self) -> None:
        """Dispatch (F8) to a lead unit and any assisting units, the deadlines shown first."""
        if not await self._ensure_saved():
            return
        choice = await dispatch_dialog(self.app, self.ticket_id)
        if choice is None:
            return
        await self._outcome(
            intake.dispatch,
            choice.lead,
            choice.assisting,
            choice.instructions,
            label=f"已派单（{State.DISPATCHED.label}）",
        )

    @work(exclusive=True, group="write")
    async def action_new_call(self) -> None:
        """Clear the screen for the next call, asking first if typed work is unsaved."""
        if self.unsaved_work():
            from console.screens.outcomes import ConfirmDialog

            leave = await self.app.push_screen_wait(
                ConfirmDialog(
                    "放弃正在填写、尚未保存的受理内容，接听新来电？", "按 Esc 返回继续填写。"
                )
            )
            if not leave:
                return
        self._clear_call()
        self.query_one("#caller_phone", Input).focus()

    def _clear_call(self) -> None:
        """Empty the screen for the next call (the focus is the caller's to move)."""
        self.call_id = None
        self.popped_phone = ""
        self.query_one("#call-info", Static).update("")
        self.ticket_id = self.number = None
        self.call_done = False
        self._emergency_answer = None
        self._repeat_suggested = False
        panel = self.query_one(KbPanel)
        if panel.searched() and not panel.cited:  # searched, and nothing was cited
            self.record_search(panel.searched(), None)
        for form in self.query(TicketForm):  # none yet on a screen just opened
            form.set_locked(False)
            form.reset()
        self.query_one("#saved").remove_class("-shown")
        phone = self.query_one("#caller_phone", Input)
        phone.value = ""
        self.query_one(HistoryPanel).show(None)
        self.query_one(KbPanel).clear()
        self.refresh_bindings()

    # the switch's call -----------------------------------------------------------------
    @work(exclusive=True, group="pop")
    async def take_call(self, signal: CallSignal, number: CallerNumber) -> None:
        """A call answered at this seat: its number as if typed, the caller's history, a new
        ticket linked to the call. A form with unsaved typing is kept unless the agent
        chooses to give it up."""
        if self.unsaved_work():
            from console.screens.outcomes import ConfirmDialog

            give_up = await self.app.push_screen_wait(
                ConfirmDialog(
                    f"新来电 {number.masked} 已接通：放弃正在填写、尚未保存的受理内容？",
                    "按 Esc 保留当前表单（新来电的号码可稍后在号码栏输入）。",
                )
            )
            if not give_up:
                return
        self._clear_call()
        self.call_id = signal.call_id
        info = Text(f"来电 {number.masked}", style="bold")
        if signal.queue:
            info.append(f" · 队列 {signal.queue}")
        if signal.waited_s is not None:
            info.append(f" · 等待 {signal.waited_s} 秒")
        self.query_one("#call-info", Static).update(info)
        phone = self.query_one("#caller_phone", Input)
        if number.withheld:
            phone.focus()
            self.app.notify(
                "来电未显示号码：请询问来电人的联系电话，填入号码栏。", title="新来电", markup=False
            )
            return
        self.popped_phone = phone.value = number.digits  # as if typed: the history follows
        focused = self.app.focused
        with contextlib.suppress(WorkerCancelled, WorkerFailed):  # typed over, or refused
            await self.lookup(number.digits).wait()
        # The agent greets the caller and types the name next; moving the focus restyles
        # the form, so it waits until the history is on the screen — and only if the agent
        # has not moved it meanwhile.
        names = self.query("#caller_name")
        target = names.first(Input) if names else phone

        def to_name() -> None:
            if self.app.focused is focused:
                target.focus()

        self.call_after_refresh(to_name)

    def unsaved_work(self) -> bool:
        """True if the agent typed something that is not saved (a new call or quitting would
        lose it)."""
        if self.ticket_id:
            return False
        forms = self.query(TicketForm)
        phone = self.query_one("#caller_phone", Input).value.strip()
        typed_phone = bool(phone) and phone != self.popped_phone
        return typed_phone or bool(forms and forms.first().has_input())

    def action_focus_history(self) -> None:
        """Move to the caller's history list."""
        self.query_one("#history-table").focus()

    def action_focus_phone(self) -> None:
        """Move to the caller's number."""
        self.query_one("#caller_phone", Input).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        finished = ("save", "answer", "not_accepted", "emergency", "merge", "desk", "dispatch")
        if action in finished and self.call_done:
            return None  # shown dimmed: this call already has its outcome
        return self.practice_check(action)
