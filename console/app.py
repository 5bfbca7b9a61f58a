"""The Textual console: login, then the screens the agent's role allows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets._select import SelectOverlay

from console import crash_log
from console.backend import Backend
from console.call_link import CallLink
from console.keymap import load_keymap
from console.sync_link import SYNC_SECONDS, SyncLink
from store import Actor
from store.services import sandbox, session
from store.services.session import BUSY_TIMEOUT_MS, Clock, Home, StoreFailure, system_clock

# The one English key label Textual shows in its own widgets (an open Select's footer),
# in Chinese and out of the footer.
SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "收起", show=False)]


class HotlineApp(SyncLink, CallLink, App):
    """The seat console.

    ``login`` (agent id, password) logs in without the login screen (benchmarks, demos);
    ``cti_file``: the seat's link settings with the telephone switch (default ``cti.toml``);
    ``on_ready`` is called once the home screen can take a call, ``on_form_ready`` once the
    whole ticket form is mounted too (benchmarks).
    """

    CSS_PATH = "hotline.tcss"
    TITLE = "12345 热线座席"
    # Below 130 columns the screens lay their rows out one field a line (hotline.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", id="app.quit"),
        Binding("ctrl+f", "search", "工单查询", id="app.search"),
        Binding("ctrl+r", "queue('review')", "审核队列", id="app.review_queue"),
        Binding("ctrl+y", "queue('callback')", "回访队列", id="app.callback_queue"),
        Binding("f10", "sync_status", "同步状态", id="app.sync_status"),
        Binding("f1", "watch", "值班监控", id="app.watch"),
        Binding("ctrl+p", "command_palette", "操作", id="app.palette", priority=True),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        clock: Clock = system_clock,
        login: tuple[str, str] | None = None,
        keymap_file: Path | None = None,
        on_ready: Callable[[], None] | None = None,
        on_form_ready: Callable[[], None] | None = None,
        busy_ms: int = BUSY_TIMEOUT_MS,
        sync_seconds: float = SYNC_SECONDS,
        cti_file: Path | None = None,
    ):
        super().__init__()
        self.backend = Backend(db_path, clock, busy_ms=busy_ms, on_failure=self.store_failed)
        self.actor: Actor | None = None
        self._login = login
        self._keymap_file = keymap_file
        self._on_ready = on_ready
        self._on_form_ready = on_form_ready
        self._damage_shown = False
        self.calendar_warning = ""  # years the working-day calendar only guesses
        self.sandbox = ""  # the training banner, on a sandbox store
        self.init_sync(sync_seconds)
        self.init_calls(cti_file)

    def on_mount(self) -> None:
        keys, warning = load_keymap(self._keymap_file)
        if keys:
            self.set_keymap(keys)
        if warning:
            self.notify(warning, severity="warning", markup=False)
        from console.screens.login import LoginScreen

        self.push_screen(LoginScreen(auto=self._login))
        self.read_sandbox_mark()

    @work(exclusive=True, group="sandbox-mark", exit_on_error=False)
    async def read_sandbox_mark(self) -> None:
        """A training sandbox says so on every screen, from the login on: in the title of
        every screen's header, and in the header's colour."""
        banner = await self.backend.call(sandbox.banner)
        if banner:
            self.sandbox = banner
            self.title = f"{self.TITLE} · {banner}"
            self.add_class("-sandbox")
            for found in self.screen.query("#login-banner"):
                found.update(Text(banner, style="bold"))

    def logged_in(self, actor: Actor) -> None:
        """Start the signed-in agent's session (once): the sync line, the file check, and the
        screen their role's work starts on."""
        from console.screens.intake import IntakeScreen
        from console.screens.kb_editor import KbEditorScreen
        from console.screens.queues import CallbackQueueScreen, DeskQueueScreen
        from console.screens.search import SearchScreen
        from console.screens.trainer import TrainerScreen
        from console.screens.watch import WatchScreen

        if self.actor is not None:  # once per session, however the login was reached
            return
        self.actor = actor
        self.sub_title = f"{actor.name}（{actor.role.label}）"
        self.start_sync_line()
        self.start_call_link()
        self.check_store()
        home: Screen = {
            Home.INTAKE: IntakeScreen,
            Home.WATCH: WatchScreen,
            Home.DESK_QUEUE: DeskQueueScreen,
            Home.CALLBACK_QUEUE: CallbackQueueScreen,
            Home.KB_EDITOR: KbEditorScreen,
            Home.SEARCH: SearchScreen,
            Home.TRAINER: TrainerScreen,
        }[session.home_of(actor)]()
        self.switch_screen(home)
        if not isinstance(home, IntakeScreen):
            self.intake_ready()
            self.form_ready()

    def intake_ready(self) -> None:
        """The home screen takes a call: the caller's number can be typed."""
        if self._on_ready:
            self._on_ready()
            self._on_ready = None

    def form_ready(self) -> None:
        """The whole ticket form is mounted with its pickers' lists (after ``intake_ready``)."""
        if self._on_form_ready:
            self._on_form_ready()
            self._on_form_ready = None

    def action_search(self) -> None:
        """Open ticket search (Ctrl+F) over the current screen."""
        from console.screens.search import SearchScreen

        if self.actor is None or isinstance(self.screen, SearchScreen):
            return
        self.push_screen(SearchScreen())

    def action_queue(self, which: str) -> None:
        """Open the review or callback queue, if the agent's role opens it."""
        from console.screens.queues import CallbackQueueScreen, ReviewQueueScreen

        screen = {"review": ReviewQueueScreen, "callback": CallbackQueueScreen}[which]
        if self.actor is None or isinstance(self.screen, screen):
            return
        if not session.opens_queue(self.actor, which):
            self.notify(
                f"{self.actor.role.label}没有{which == 'review' and '审核' or '回访'}队列。",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(screen())

    def action_watch(self) -> None:
        """Back to the supervisor's watch (F1), from wherever they are."""
        from console.screens.watch import WatchScreen

        if self.actor is None or not session.opens_queue(self.actor, "watch"):
            return
        if any(isinstance(s, WatchScreen) for s in self.screen_stack):
            while not isinstance(self.screen, WatchScreen):
                self.pop_screen()
        else:
            self.push_screen(WatchScreen())

    def action_sync_status(self) -> None:
        """Open the sync status screen (F10)."""
        from console.screens.sync_status import SyncStatusScreen

        if self.actor is None or isinstance(self.screen, SyncStatusScreen):
            return
        self.push_screen(SyncStatusScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers what the keys of this screen offer now: its active bindings
        (inherited ones included, each as its screen allows it), in Chinese with the key.
        Textual's own English entries are left out."""
        seen = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            if binding.id and binding.id.startswith(("picker.", "dialog.")):
                continue
            seen.add(binding.action)
            node, action = active.node, binding.action
            name = binding.tooltip or binding.description  # the footer's label may be short
            yield SystemCommand(
                f"{name}（{self.get_key_display(binding)}）",
                f"按键编号 {binding.id}" if binding.id else key,
                lambda n=node, a=action: self.run_action(a, n),
            )

    def action_command_palette(self) -> None:
        """The palette, asking in Chinese."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="搜索操作…"))

    def action_help_quit(self) -> None:
        """Ctrl+C (a reflex): say how to quit, in Chinese."""
        self.notify("要退出请按 Ctrl+Q。", title="退出？", markup=False)

    async def action_quit(self) -> None:
        """Quit — after asking, if the screen holds typed work that is not saved."""
        unsaved = getattr(self.screen, "unsaved_work", None)
        if unsaved is not None and unsaved():
            self.confirm_quit()
            return
        self.exit()

    @work(exclusive=True, group="quit")
    async def confirm_quit(self) -> None:
        """Ask before quitting over unsaved work; quit if the agent confirms."""
        from console.screens.outcomes import ConfirmDialog

        question = ConfirmDialog(
            "有尚未保存的受理内容，仍要退出吗？", "退出后这些内容会丢失；按 Esc 返回。"
        )
        if await self.push_screen_wait(question):
            self.exit()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Before login only quitting is offered, after it only the queues the role opens:
        the footer shows no key that does nothing."""
        if self.actor is None:
            return action in ("quit", "command_palette")
        if action == "queue" and parameters:
            return session.opens_queue(self.actor, parameters[0])
        if action == "watch":
            return session.opens_queue(self.actor, "watch")
        return True

    # -- the store's health, and the unexpected ---------------------------------------

    @work(thread=True, exclusive=True, group="store-check", exit_on_error=False)
    def check_store(self) -> None:
        """SQLite's quick check of the whole file, on a read-only connection of its own,
        after login: a damaged file is found before a save fails on it. And whether the
        working-day calendar knows the years the open deadlines fall in."""
        found = session.check_seat_file(self.backend.db_path, self.backend.clock)
        if found.problem:
            failure = StoreFailure.damaged(self.backend.db_path, found.problem)
            self.call_from_thread(self.store_failed, failure)
        if found.calendar_warning:
            self.calendar_warning = found.calendar_warning
            self.call_from_thread(
                self.notify,
                found.calendar_warning,
                title="工作日历",
                severity="warning",
                timeout=30,
                markup=False,
            )

    def store_failed(self, failure: StoreFailure) -> None:
        """A database error reached a screen (which shows it and keeps the form); a
        damaged file also gets the recovery screen, once."""
        if failure.code == "damaged" and not self._damage_shown:
            from console.screens.damaged import DamagedScreen

            self._damage_shown = True
            self.push_screen(DamagedScreen(self.backend.db_path))

    def _handle_exception(self, error: Exception) -> None:
        """Anything unexpected: a short sentence on the screen, the details (no locals, no
        numbers) in the log file, a non-zero exit. Never a traceback with a password in it."""
        path = crash_log.record(error)
        self._return_code = 70
        if self._exception is None:  # tests (Pilot) re-raise it
            self._exception = error
            self._exception_event.set()
        self.panic(Text(crash_log.sentence(path), style="bold red"))

    def on_unmount(self) -> None:
        self.stop_sync()
        self.backend.close()
