"""Choosing a training scenario to play (practice), or sitting the exam given; and the score
shown when an attempt ends."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from console.widgets.attempt_view import AttemptView
from console.widgets.dialog import Dialog
from store.services.training import OUTCOMES, Attempt, ScenarioRow


class ScenarioPicker(Dialog[tuple[str, str] | None]):
    """The scenarios, assigned ones first; returns ("practice", code) or ("exam", "")."""

    BINDINGS = [Binding("f8", "exam", "开始考试", id="scenarios.exam")]

    def __init__(
        self, rows: list[ScenarioRow], exam: tuple[list[str], int], mine: list[Attempt] = ()
    ):
        super().__init__()
        self.rows = rows
        self.exam = exam
        self.mine = list(mine)

    def compose(self) -> ComposeResult:
        codes, minutes = self.exam
        with Vertical(classes="dialog", id="scenario-picker"):
            yield Label(Text("情景练习：选择情景（回车或 F2 开始练习，Esc 取消）", style="bold"))
            if codes:
                yield Label(
                    Text(
                        f"已布置考试：{len(codes)} 个情景，限时 {minutes} 分钟（F8 开始考试，无提示）"
                    )
                )
            yield DataTable(id="scenario-table", cursor_type="row", zebra_stripes=True)
            yield Static(self._mine(), id="my-attempts")
            yield Static("", id="dialog-error")

    def _mine(self) -> Text:
        """The trainee's latest scores, with the trainer's comments."""
        text = Text("我的最近成绩：", style="bold")
        if not self.mine:
            text.append("还没有练习记录。", style="dim")
        for a in self.mine[:5]:
            text.append(f"\n{a.scenario_code} {a.scenario_title} {a.score} 分")
            text.append(" 通过" if a.passed else " 未通过", style="green" if a.passed else "red")
            if a.comment:
                text.append(f" · 培训师点评：{a.comment}", style="bold")
        return text

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("编号", "情景", "难度", "应有办理", "布置", "最好成绩", "次数")
        for row in self.rows:
            table.add_row(
                row.code,
                Text(row.title),
                row.level,
                OUTCOMES.get(row.outcome, row.outcome),
                "考试" if row.exam else ("练习" if row.assigned else ""),
                "" if row.best is None else str(row.best),
                str(row.tries),
                key=row.code,
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(("practice", str(event.row_key.value)))

    def action_confirm(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            self.say_error("还没有情景：请培训师导入情景。")
            return
        self.dismiss(("practice", self.rows[table.cursor_row].code))

    def action_exam(self) -> None:
        if not self.exam[0]:
            self.say_error("培训师还没有布置考试。")
            return
        self.dismiss(("exam", ""))


class ScoreScreen(ModalScreen[None]):
    """An attempt's score with the reasons (Esc or Enter closes)."""

    DEFAULT_CSS = "ScoreScreen { align: center middle; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "关闭", id="score.close"),
        Binding("enter", "dismiss(None)", "关闭", show=False, id="score.close_enter"),
    ]

    def __init__(self, title: str, total: int, passed: bool, fatal, items, comment: str = ""):
        super().__init__()
        self.heading = title
        self.result = (total, passed, fatal, items, comment)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="score-box"):
            yield Label(Text(self.heading, style="bold"))
            yield AttemptView(id="score-report")
            yield Label(Text("Esc 关闭", style="dim"))

    def on_mount(self) -> None:
        self.query_one(AttemptView).show(*self.result)
