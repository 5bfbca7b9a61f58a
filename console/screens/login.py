"""Login by agent id and password; the role decides what the console offers."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from store import DomainError
from store.services import session


class LoginScreen(Screen):
    """Agent id and password; ``auto`` logs in without typing (benchmarks, demos)."""

    def __init__(self, auto: tuple[str, str] | None = None):
        super().__init__()
        self._auto = auto

    def on_mount(self) -> None:
        if self._auto:  # log in once this screen is fully up (benchmarks, demos)
            self.call_after_refresh(self.login, *self._auto)

    def compose(self) -> ComposeResult:
        # No Header here: it would be asked to redraw the subtitle while this screen goes.
        with Center(), Vertical(id="login-box"):
            yield Label(Text("12345 政务服务便民热线 · 座席登录", style="bold"))
            yield Static("", id="login-banner")  # 培训环境 … on a sandbox store
            yield Label("工号")
            yield Input(placeholder="如 a01", id="agent")
            yield Label("密码")
            yield Input(password=True, id="password")
            yield Static("", id="login-error")
        yield Footer()

    @on(Input.Submitted, "#agent")
    def _next(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _submit(self) -> None:
        agent = self.query_one("#agent", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not agent or not password:
            self._error("请输入工号和密码。")
            return
        self.login(agent, password)

    @work(exclusive=True)
    async def login(self, agent: str, password: str) -> None:
        """Sign the agent in at this seat, then open their home screen; a refusal is shown, the
        password cleared."""
        try:
            actor = await self.app.backend.call(session.sign_in, agent, password)
        except DomainError as exc:
            self._error(exc.message)
            self.query_one("#password", Input).value = ""
            return
        self.app.open_session(agent, password)
        self.app.logged_in(actor)

    def _error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(Text(message, style="bold red"))
