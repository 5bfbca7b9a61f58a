"""What the agent sees when the seat's database file is damaged: what it means, and the way
out — rebuilding the seat from the central server into a new file (F5), keeping what can
still be read of the unsent work."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from store import DomainError
from store.services import maintenance


class DamagedScreen(ModalScreen[None]):
    """Shown once when the seat's file is found damaged: recover from the central server, or
    carry on reading."""

    DEFAULT_CSS = "DamagedScreen { align: center middle; }"
    BINDINGS = [
        Binding("f5", "recover", "从中心恢复", id="damaged.recover"),
        Binding("escape", "dismiss(None)", "继续（只查看）", id="damaged.continue"),
    ]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("座席数据库文件已损坏", style="bold red"))
            yield Static(
                id="damage-text",
                content=Text(
                    f"文件 {self.path} 的自检发现了损坏，保存工单可能失败。"
                    "已发送到中心服务器的工作都在。\n\n"
                    "F5：从中心服务器恢复本座席到一个新文件（尽量带回未发送的工作），"
                    "完成后请退出，并用新文件重新打开。\n"
                    f"也可以退出后在命令行运行：hotline store recover --db {self.path}\n\n"
                    "Esc：先继续使用（可以查看，保存不一定成功）。"
                ),
            )
            yield Static("", id="recover-status")

    def action_recover(self) -> None:
        """Start recovering the seat to a new file (F5)."""
        self.query_one("#recover-status", Static).update(
            Text("正在从中心服务器恢复…", style="bold")
        )
        self.recover()

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def recover(self) -> None:
        """Recover on a thread of its own and say where the new file is, or why it failed."""
        out = self.path.with_name(f"{self.path.name}.recovered")
        try:
            done = maintenance.recover(self.path, out)
        except DomainError as error:
            message = Text(error.message, style="bold red")
        else:
            message = Text(
                f"已恢复到 {done.path}（带回未发送的事件 {done.unsent} 个）。"
                f"请按 Ctrl+Q 退出，然后运行：hotline --db {done.path}",
                style="bold green",
            )
        self.app.call_from_thread(self.query_one("#recover-status", Static).update, message)
