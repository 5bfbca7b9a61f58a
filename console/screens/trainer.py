"""The trainer's screen: trainees × scenarios, the weakest rubric items, recent attempts;
an attempt replayed beside the expected handling with a comment the trainee sees; giving a
set of scenarios (or an exam) to a trainee; writing a scenario."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, Static, TextArea

from console.widgets.attempt_view import AttemptView
from console.widgets.dialog import Dialog
from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import training

TEMPLATE = "A01"  # the shipped scenario a new one starts from


class TrainerScreen(Screen):
    """Trainees' scores at a glance, and the attempts to review."""

    BINDINGS = [
        Binding("f3", "refresh", "刷新", id="trainer.refresh"),
        Binding("f5", "assign", "布置练习", id="trainer.assign"),
        Binding("f6", "new_scenario", "编写情景", id="trainer.new_scenario"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(id="trainer"):
            with Horizontal():
                yield DataTable(id="trainer-grid", cursor_type="row", zebra_stripes=True)
                yield Static("", id="trainer-weak")
            yield Label(Text("最近的练习与考试（回车查看回放、点评）", style="bold"))
            yield DataTable(id="trainer-attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.attempt_ids: list[str] = []
        self.trainee_ids: list[str] = []
        self.action_refresh()

    @work(exclusive=True, group="trainer")
    async def action_refresh(self) -> None:
        """Read the grid, the weakest items and the recent attempts."""
        backend = self.app.backend
        found = await backend.call(training.grid)
        recent = await backend.call(training.attempts, None, 200)
        weak = await backend.call(training.weakest, None)
        grid = self.query_one("#trainer-grid", DataTable)
        grid.clear(columns=True)
        grid.add_columns("学员", *[code for code, _ in found.scenarios])
        self.trainee_ids = [tid for tid, _ in found.trainees]
        for tid, name in found.trainees:
            cells = []
            for code, _ in found.scenarios:
                score = found.cells.get((tid, code))
                cells.append(
                    Text("·", style="dim")
                    if score is None
                    else Text(str(score), style=_style(score))
                )
            grid.add_row(Text(f"{name}（{tid}）"), *cells, key=tid)
        self._show_weak("全体学员", weak, [])
        if not self.app.sandbox:
            self.query_one("#trainer-weak", Static).update(
                Text(
                    "这是生产座席：情景练习和成绩只在培训库中（hotline sandbox new）。",
                    style="bold",
                )
            )
        table = self.query_one("#trainer-attempts", DataTable)
        table.clear(columns=True)
        table.add_columns("结束时间", "学员", "情景", "方式", "得分", "结果", "点评")
        self.attempt_ids = []
        for a in recent:
            self.attempt_ids.append(a.id)
            table.add_row(
                (a.finished_at or "")[5:16].replace("T", " "),
                Text(a.trainee_name),
                Text(f"{a.scenario_code} {a.scenario_title}"),
                training.MODES.get(a.mode, a.mode),
                Text(str(a.score), style=_style(a.score or 0)),
                Text("通过" if a.passed else ("致命错误" if a.fatal else "未通过")),
                Text(a.comment[:20]),
                key=a.id,
            )

    def _show_weak(self, who: str, weak, trend) -> None:
        text = Text(f"{who}：最薄弱的评分项\n", style="bold")
        for w in weak[:6]:
            text.append(f"{w.share * 100:5.1f}%  {w.label}（{w.attempts} 次）\n")
        if not weak:
            text.append("还没有评过分的练习。\n", style="dim")
        if trend:
            text.append("\n成绩走势：" + " → ".join(str(s) for _, s in trend[-10:]))
        self.query_one("#trainer-weak", Static).update(text)

    @on(DataTable.RowHighlighted, "#trainer-grid")
    def _trainee(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_trainee(str(event.row_key.value))

    @work(exclusive=True, group="trainee")
    async def show_trainee(self, trainee_id: str) -> None:
        weak = await self.app.backend.call(training.weakest, trainee_id)
        trend = await self.app.backend.call(training.trend, trainee_id)
        self._show_weak(trainee_id, weak, trend)

    @on(DataTable.RowSelected, "#trainer-attempts")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(
            AttemptScreen(str(event.row_key.value)), lambda _: self.action_refresh()
        )

    @work(exclusive=True, group="trainer-dialog")
    async def action_assign(self) -> None:
        """Give a trainee scenarios to practise, or an exam."""
        grid = self.query_one("#trainer-grid", DataTable)
        trainee = self.trainee_ids[grid.cursor_row] if self.trainee_ids else ""
        answer = await self.app.push_screen_wait(AssignDialog(trainee))
        if answer is None:
            return
        try:
            await self.app.backend.call(training.assign, self.app.actor, *answer)
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        self.app.notify(f"已布置给 {answer[0]}：{'、'.join(answer[1])}", markup=False)
        self.action_refresh()

    @work(exclusive=True, group="trainer-dialog")
    async def action_new_scenario(self) -> None:
        """Write a scenario (starting from a shipped one) and keep it."""
        try:
            template = await self.app.backend.call(training.export_scenario, TEMPLATE)
        except DomainError:
            template = ""
        saved = await self.app.push_screen_wait(ScenarioEditor(template))
        if saved:
            self.app.notify(f"已保存情景 {saved}", markup=False)
            self.action_refresh()


def _style(score: int) -> str:
    return "green" if score >= 85 else ("yellow" if score >= training.PASS_MARK else "red")


class AttemptScreen(Screen):
    """One attempt replayed: what the caller said and the expected handling, beside what the
    trainee did, item by item; the trainer's comment (F2 saves it)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="attempt.back"),
        Binding("f2", "comment", "保存点评", id="attempt.comment"),
    ]

    def __init__(self, attempt_id: str):
        super().__init__()
        self.attempt_id = attempt_id

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Horizontal(id="attempt-box"):
            yield VerticalScroll(Static("", id="attempt-script"), id="attempt-left")
            with VerticalScroll(id="attempt-right"):
                yield AttemptView(id="attempt-report")
                yield Label("点评（学员可见，F2 保存）")
                yield Input(id="attempt-comment", placeholder="如 五要素问得好；地址要问到门牌")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        found = await self.app.backend.call(training.attempt, self.attempt_id)
        if found is None:
            return
        scenario = await self.app.backend.call(training.scenario, found.scenario_code)
        script = Text(
            f"{found.trainee_name} · 情景 {scenario.code} {scenario.title}\n", style="bold"
        )
        script.append(f"{training.MODES.get(found.mode, found.mode)} · 用时 {found.seconds} 秒\n\n")
        for line in scenario.lines:
            script.append("来电人：", style="bold")
            script.append(line.text + "\n")
        script.append(f"\n应有办理：{training.OUTCOMES[scenario.expected.outcome]}\n", style="bold")
        script.append(scenario.summary + "\n")
        if scenario.hint:
            script.append(f"要点：{scenario.hint}\n", style="italic")
        self.query_one("#attempt-script", Static).update(script)
        self.query_one(AttemptView).show(
            found.score or 0, found.passed, found.fatal, found.items, found.comment
        )
        self.query_one("#attempt-comment", Input).value = found.comment

    @work(exclusive=True, group="comment")
    async def action_comment(self) -> None:
        text = self.query_one("#attempt-comment", Input).value
        try:
            await self.app.backend.call(training.comment, self.app.actor, self.attempt_id, text)
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        self.app.notify("点评已保存，学员可见。", markup=False)
        self.load()

    def on_input_submitted(self) -> None:
        self.action_comment()


class AssignDialog(Dialog[tuple[str, list[str], bool, int] | None]):
    """Trainee, scenario codes, exam or practice, minutes."""

    def __init__(self, trainee: str):
        super().__init__()
        self.trainee = trainee

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("布置练习或考试（F2 确定，Esc 取消）", style="bold"))
            yield Label("学员工号")
            yield Input(self.trainee, id="assign-trainee")
            yield Label("情景编号（空格分隔，如 A01 A03 A14）")
            yield Input(id="assign-codes")
            yield Checkbox("作为考试（限时、无提示）", id="assign-exam")
            yield Label("考试时长（分钟）")
            yield Input("30", id="assign-minutes", type="integer")
            yield Static("", id="dialog-error")

    def action_confirm(self) -> None:
        trainee = self.query_one("#assign-trainee", Input).value.strip()
        codes = self.query_one("#assign-codes", Input).value.upper().split()
        exam = self.query_one("#assign-exam", Checkbox).value
        minutes = self.query_one("#assign-minutes", Input).value.strip() or "0"
        if not trainee or not codes:
            self.say_error("请填写学员工号和至少一个情景编号。")
            return
        self.dismiss((trainee, codes, exam, int(minutes)))

    def on_input_submitted(self) -> None:
        self.action_confirm()


class ScenarioEditor(Dialog[str | None]):
    """A scenario as TOML text (docs/training.md); F2 checks and saves it, returns its code."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="scenario-editor"):
            yield Label(
                Text("编写情景（TOML 格式，见 docs/training.md；F2 保存，Esc 取消）", style="bold")
            )
            yield TextArea(self.text, id="scenario-text", language=None, soft_wrap=True)
            yield Static("", id="dialog-error")

    @work(exclusive=True)
    async def action_confirm(self) -> None:
        text = self.query_one(TextArea).text
        try:
            saved = await self.app.backend.call(training.import_scenario, self.app.actor, text)
        except DomainError as error:
            self.say_error(error.message)
            return
        self.dismiss(saved.code)
