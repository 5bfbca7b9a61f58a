"""Work queues: a desk's queue, the supervisors' review queue and the callback queue.

Each screen is a list of tickets with lights (``TicketList``), refreshed every 30 seconds
and after every action; Enter opens the ticket's detail and timeline. Urging (Ctrl+U),
supervising (Ctrl+D) and escalating (Ctrl+E) work from every list for the roles allowed to.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from console.screens.oversight import OVERSIGHT_BINDINGS, OversightKeys
from console.widgets.kb_panel import KbPanel
from console.widgets.seat_header import SeatHeader
from console.widgets.ticket_list import TicketList
from store import DomainError, Store
from store.services import callbacks, desk, review
from store.services.desk import QueueRow
from store.services.vocabulary import State, format_for_reading, parse_due

REFRESH_SECONDS = 30


class QueueScreen(OversightKeys, Screen):
    """A titled list of tickets; subclasses say what they list and what keys do."""

    TITLE = ""
    EMPTY = "没有待办工单。"
    BINDINGS = [
        *OVERSIGHT_BINDINGS,
        Binding("f12", "refresh", "刷新", id="queue.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(classes="queue"):
            yield Static("", classes="queue-title")
            yield TicketList(classes="queue-list")
            yield from self.compose_extra()
        yield Footer()

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)

    def fetch(self, store: Store) -> tuple[list[QueueRow], ...]:
        """The main list, then one list per extra list ``compose_extra`` yields."""
        raise NotImplementedError

    def heading(self, store: Store) -> str:
        """The list's title (read in the store thread with the rows)."""
        return self.TITLE

    @work(exclusive=True, group="queue-load")
    async def load(self) -> None:
        """Read the lists and the title in one trip and show them."""
        lists, heading = await self.app.backend.call(lambda s: (self.fetch(s), self.heading(s)))
        rows, *extra = lists
        self.query_one(".queue-list", TicketList).show(rows)
        for ticket_list, more in zip(self.query(".queue-list-small"), extra, strict=False):
            ticket_list.show(more)
        title = Text(f"{heading} · {len(rows)} 件", style="bold")
        if not rows:
            title.append(f"  {self.EMPTY}", style="dim")
        self.query_one(".queue-title", Static).update(title)
        self.refresh_bindings()

    @property
    def selected(self) -> QueueRow | None:
        """The highlighted ticket of the focused list (or of the main list)."""
        focused = self.focused if isinstance(self.focused, TicketList) else None
        ticket_list = focused or self.query_one(".queue-list", TicketList)
        return ticket_list.rows_by_id.get(ticket_list.selected or "")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from console.screens.detail import DetailScreen

        if isinstance(event.data_table, TicketList):
            self.app.push_screen(DetailScreen(event.row_key.value))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()  # the keys this ticket allows

    def oversight_target(self) -> str | None:
        """The highlighted ticket's id, or None."""
        row = self.selected
        return row.id if row else None

    def oversight_state(self) -> State | None:
        """The highlighted ticket's state, or None."""
        row = self.selected
        return row.state if row else None

    def after_oversight(self) -> None:
        """Reload after an urge, supervision or escalation."""
        self.load()

    def action_refresh(self) -> None:
        """Reload now (F12) rather than at the next tick."""
        self.load()

    async def ask_and_run(
        self, command: Callable, title: str, hint: str, ticket_id: str, *args, done: str
    ) -> None:
        """Ask one line (a reason, required) for the ticket, then run
        ``command(ticket, *args, text)``."""
        from console.screens.outcomes import TextDialog

        text = await self.app.push_screen_wait(TextDialog(title, hint, required=True))
        if text is not None:
            await self.run_command(command, ticket_id, *args, text, done=done)

    async def run_command(
        self, command: Callable, ticket_id: str, *args, done: str, **kwargs
    ) -> bool:
        """Run a workflow command on ``ticket_id``; ``done`` says what happened."""
        try:
            await self.app.backend.call(command, self.app.actor, ticket_id, *args, **kwargs)
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return False
        self.app.notify(done, markup=False)
        self.load()
        return True


def _number(row: QueueRow) -> str:
    return f"工单 {format_for_reading(row.number)}"


class DeskQueueScreen(QueueScreen):
    """A specialist desk's queue: take a ticket, answer it from the knowledge base (cited,
    as at intake), dispatch it, or hand it back to the agents."""

    TITLE = "专席队列"
    EMPTY = "队列为空。"
    BINDINGS = [
        Binding("f2", "duty", "上岗/离岗", id="desk.duty"),
        Binding("f3", "take", "接手", id="desk.take"),
        Binding("f4", "answer", "直接答复", id="desk.answer"),
        Binding("f8", "dispatch", "派单", id="desk.dispatch"),
        Binding("f9", "hand_back", "退回话务员", id="desk.hand_back"),
        Binding("ctrl+l", "focus_kb", "知识库", id="desk.kb"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Horizontal(id="desk"):
            with Vertical(classes="queue"):
                yield Static("", classes="queue-title")
                yield TicketList(classes="queue-list")
            yield KbPanel(id="kb")
        yield Footer()

    def fetch(self, store: Store) -> tuple[list[QueueRow], ...]:
        """The desk's queue."""
        return (desk.queue(store, self.app.actor),)

    def heading(self, store: Store) -> str:
        """The title, with whether the specialist is on duty."""
        on_duty = desk.on_duty(store, self.app.actor)
        return f"专席队列 · {'在岗' if on_duty else '离岗（F2 上岗）'}"

    @work(exclusive=True, group="queue-write")
    async def action_duty(self) -> None:
        """Go on or off duty (F2)."""
        going = await self.app.backend.call(desk.toggle_duty, self.app.actor)
        message = "已上岗：转来的工单会进入本专席队列。" if going else "已离岗。"
        self.app.notify(message, markup=False)
        self.load()

    @work(exclusive=True, group="queue-write")
    async def action_take(self) -> None:
        """Take the highlighted ticket (F3)."""
        row = self.selected
        if row is not None:
            await self.run_command(desk.take, row.id, done=f"已接手{_number(row)}。")

    @work(exclusive=True, group="queue-write")
    async def action_answer(self) -> None:
        """Answer the highlighted ticket directly (F4), citing the entries chosen in the panel."""
        from console.screens.outcomes import AnswerDialog

        row = self.selected
        if row is None:
            return
        cited = list(self.query_one(KbPanel).cited.values())
        prefill = "\n".join(c.answer for c in cited)
        text = await self.app.push_screen_wait(AnswerDialog([c.title for c in cited], prefill))
        if text is None:
            return
        done = f"已直接答复{_number(row)}" + (
            f"，引用 {len(cited)} 条知识库条目。" if cited else "。"
        )
        if await self.run_command(
            desk.answer_directly, row.id, text, [c.id for c in cited], done=done
        ):
            self.query_one(KbPanel).clear()

    @work(exclusive=True, group="queue-write")
    async def action_dispatch(self) -> None:
        """Dispatch the highlighted ticket (F8)."""
        from console.screens.routing import dispatch_dialog

        row = self.selected
        if row is None:
            return
        choice = await dispatch_dialog(self.app, row.id)
        if choice is not None:
            await self.run_command(
                desk.dispatch,
                row.id,
                choice.lead,
                choice.assisting,
                choice.instructions,
                done=f"已派单：{_number(row)}。",
            )

    @work(exclusive=True, group="queue-write")
    async def action_hand_back(self) -> None:
        """Hand the highlighted ticket back to the agents (F9), with the reason."""
        if row := self.selected:
            await self.ask_and_run(
                desk.hand_back,
                "退回话务员：原因",
                "如 不属本专席范围",
                row.id,
                done=f"已将{_number(row)}退回话务员。",
            )

    def action_focus_kb(self) -> None:
        """Move to the knowledge-base search box."""
        self.query_one("#kb-query").focus()


class ReviewQueueScreen(QueueScreen):
    """Supervisors: returns, extensions and replies to decide, and returned tickets to send
    on. F5 approves what the ticket asks for, F6 refuses it (with the reason), F8 sends a
    returned ticket to another unit."""

    TITLE = "审核队列（退单、延期、答复）"
    EMPTY = "没有待审核事项。"
    BINDINGS = [
        Binding("f5", "approve", "同意/通过", id="review.approve"),
        Binding("f6", "refuse", "不同意/退回重办", id="review.refuse"),
        Binding("f8", "redispatch", "改派", id="review.redispatch"),
        Binding("escape", "app.pop_screen", "返回", id="review.back"),
    ]

    def fetch(self, store: Store) -> tuple[list[QueueRow], ...]:
        """What waits for a supervisor."""
        return (review.queue(store),)

    def action_approve(self) -> None:
        """Approve what the highlighted ticket asks (F5): the return, the extension (with its
        date) or the reply."""
        row = self.selected
        if row is None:
            return
        if row.state is State.EXTENSION_REQUESTED:
            self.approve_extension(row)
        elif row.state is State.RETURNED:
            self.app.notify("已退单的工单请按 F8 改派。", severity="warning", markup=False)
        else:
            done = {
                State.RETURN_REQUESTED: f"已同意退单：{_number(row)}待改派。",
                State.REPLIED: f"{_number(row)}答复已通过，转入回访。",
            }.get(row.state, "已同意。")
            self.decide(review.approve, row, done)

    @work(exclusive=True, group="queue-write")
    async def action_refuse(self) -> None:
        """Refuse it (F6), with the reason the unit will read."""
        row = self.selected
        if row is None or row.state is State.RETURNED:
            return
        done = {
            State.RETURN_REQUESTED: "已驳回退单，单位继续办理。",
            State.EXTENSION_REQUESTED: "已驳回延期，期限不变。",
            State.REPLIED: "答复已退回重办。",
        }.get(row.state, "已驳回。")
        await self.ask_and_run(
            review.refuse, "审核意见（说明理由）", "必填", row.id, done=f"{_number(row)}{done}"
        )

    @work(exclusive=True, group="queue-write")
    async def approve_extension(self, row: QueueRow) -> None:
        """Approve with the date the unit asked for, or another one the supervisor sets."""
        from console.screens.outcomes import TextDialog

        asked = row.requested_due.strftime("%Y-%m-%d %H:%M") if row.requested_due else ""
        text = await self.app.push_screen_wait(
            TextDialog("同意延期：新的办理期限（可改）", "年-月-日 时:分", asked, required=True)
        )
        if text is None:
            return
        try:
            when = parse_due(text)
        except DomainError as exc:
            self.app.notify(exc.message, severity="error", markup=False)
            return
        await self.run_command(
            review.approve,
            row.id,
            new_due=when,
            done=f"已同意延期：{_number(row)}新期限 {when:%m-%d %H:%M}。",
        )

    @work(exclusive=True, group="queue-write")
    async def decide(self, command: Callable, row: QueueRow, done: str) -> None:
        """Run an approval without a question."""
        await self.run_command(command, row.id, done=done)

    @work(exclusive=True, group="queue-write")
    async def action_redispatch(self) -> None:
        """Send a returned ticket to another unit (F8)."""
        from console.screens.routing import dispatch_dialog

        row = self.selected
        if row is None:
            return
        choice = await dispatch_dialog(self.app, row.id)
        if choice is not None:
            await self.run_command(
                review.redispatch,
                row.id,
                choice.lead,
                choice.assisting,
                choice.instructions,
                done=f"已改派：{_number(row)}。",
            )


class CallbackQueueScreen(QueueScreen):
    """Callback agents: tickets due for a callback in due order, and below them the calls
    done (to redo or archive) and the callers not reached whose next try is still to come.
    F6 reveals the number (logged; it stays on screen for the call), F5 records the call,
    F7 sends an unsatisfied ticket back to the unit (重办), F9 archives."""

    TITLE = "回访队列（按期限排序）"
    EMPTY = "暂无需要回访的工单。"
    BINDINGS = [
        Binding("f5", "record", "记录回访", id="callback.record"),
        Binding("f6", "reveal", "查看号码", id="callback.reveal"),
        Binding("f7", "redo", "重办", id="callback.redo"),
        Binding("f9", "archive", "归档", id="callback.archive"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.revealed: dict[str, str] = {}  # ticket id → number, for this session's calls

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="revealed")
        yield Label(Text("已回访待处理（不满意可重办，其余归档）与未接通待重拨", style="bold"))
        yield TicketList(id="callback-done", classes="queue-list-small")

    def fetch(self, store: Store) -> tuple[list[QueueRow], ...]:
        """The tickets due a callback, and the calls done or missed."""
        lists = callbacks.lists(store)
        return lists.due, lists.done

    @on(DataTable.RowHighlighted)
    def _show_revealed(self) -> None:
        row = self.selected
        number = self.revealed.get(row.id) if row else None
        line = Text()
        if number:
            line = Text.assemble(
                ("来电号码：", "bold"), (number, "bold reverse"), "（本次查看已记录）"
            )
        self.query_one("#revealed", Static).update(line)

    @work(exclusive=True, group="queue-write")
    async def action_reveal(self) -> None:
        """Reveal the caller's number for this call (F6); logged with the reason."""
        from console.screens.outcomes import TextDialog

        row = self.selected
        if row is None:
            return
        reason = await self.app.push_screen_wait(TextDialog("查看号码的理由", "回访", "回访"))
        if reason is None:
            return
        try:
            number = await self.app.backend.call(
                callbacks.reveal_caller, self.app.actor, row.id, reason or "回访"
            )
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self.revealed[row.id] = number
        self._show_revealed()

    @work(exclusive=True, group="queue-write")
    async def action_record(self) -> None:
        """Record the call (F5): reached or not, solved, satisfaction, when to try again."""
        from console.screens.callback_dialog import CallbackDialog

        row = self.selected
        if row is None:
            return
        form = await self.app.backend.call(callbacks.form, row.id, self.revealed.get(row.id))
        result = await self.app.push_screen_wait(CallbackDialog(form))
        if result is not None:
            outcome = "已接通" if result.reached else "未接通，已约下次拨打"
            await self.run_command(
                callbacks.callback,
                row.id,
                reached=result.reached,
                solved=result.solved,
                satisfaction=result.satisfaction,
                note=result.note,
                next_attempt_at=result.next_attempt_at,
                done=f"{_number(row)}回访已记录：{outcome}。",
            )

    @work(exclusive=True, group="queue-write")
    async def action_redo(self) -> None:
        """Send an unsatisfied ticket back to the unit (F7), with the caller's reason."""
        if row := self.selected:
            await self.ask_and_run(
                callbacks.redo,
                "重办：来电人不满意的理由",
                "必填",
                row.id,
                done=f"{_number(row)}已退回承办单位重办。",
            )

    @work(exclusive=True, group="queue-write")
    async def action_archive(self) -> None:
        """Archive the highlighted ticket (F9)."""
        row = self.selected
        if row is not None:
            await self.run_command(callbacks.archive, row.id, done=f"{_number(row)}已归档。")
