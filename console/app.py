"""The Textual console: login, then the screens the agent's role allows."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from console.backend import Backend
from console.keymap import load_keymap
from console.widgets.sync_status import status_line
from store.clock import Clock, system_clock, to_text
from store.roles import Actor, Role
from store.seat import Store
from store.sync import client, state

# Roles that take calls: their home is the intake screen; everyone else starts at search.
INTAKE_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.TRAINEE, Role.TRAINER})
KB_EDITING_ROLES = frozenset({Role.EDITOR, Role.ADMIN})
# A sync round every few seconds (HOTLINE_SYNC_SECONDS to change it); the header's sync
# line is read from the store more often, so a saved ticket shows as unsent at once.
SYNC_SECONDS = float(os.environ.get("HOTLINE_SYNC_SECONDS", "5"))
STATUS_SECONDS = 1.0


class HotlineApp(App):
    """The seat console.

    ``login`` (agent id, password) logs in without the login screen (benchmarks, demos);
    ``on_ready`` is called once the home screen can take a call, ``on_form_ready`` once the
    whole ticket form is mounted too (benchmarks).
    """

    CSS_PATH = "hotline.tcss"
    TITLE = "12345 热线座席"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", id="app.quit"),
        Binding("ctrl+f", "search", "工单查询", id="app.search"),
        Binding("ctrl+r", "queue('review')", "审核队列", id="app.review_queue"),
        Binding("ctrl+y", "queue('callback')", "回访队列", id="app.callback_queue"),
        Binding("f10", "sync_status", "同步状态", id="app.sync_status"),
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
    ):
        super().__init__()
        self.backend = Backend(db_path, clock)
        self.actor: Actor | None = None
        # The agent's session at the central server, for changes that go online only
        # (reference data); None on a seat of its own, or until the server answers.
        self.session: client.AgentSession | None = None
        self._login = login
        self._keymap_file = keymap_file
        self._on_ready = on_ready
        self._on_form_ready = on_form_ready
        self._sync_wake = threading.Event()
        self._status_timer: Timer | None = None

    def on_mount(self) -> None:
        keys, warning = load_keymap(self._keymap_file)
        if keys:
            self.set_keymap(keys)
        if warning:
            self.notify(warning, severity="warning", markup=False)
        from console.screens.login import LoginScreen

        self.push_screen(LoginScreen(auto=self._login))

    def logged_in(self, actor: Actor) -> None:
        from console.screens.intake import IntakeScreen
        from console.screens.kb_editor import KbEditorScreen
        from console.screens.queues import CallbackQueueScreen, DeskQueueScreen
        from console.screens.search import SearchScreen

        self.actor = actor
        self.sub_title = f"{actor.name}（{actor.role.label}）"
        self.start_sync()
        self._status_timer = self.set_interval(STATUS_SECONDS, self.show_sync_status)
        self.show_sync_status()
        home: Screen
        if actor.role is Role.DESK:
            home = DeskQueueScreen()
        elif actor.role is Role.CALLBACK:
            home = CallbackQueueScreen()
        elif actor.role in INTAKE_ROLES:
            home = IntakeScreen()
        elif actor.role in KB_EDITING_ROLES:
            home = KbEditorScreen()
        else:
            home = SearchScreen()
        self.switch_screen(home)
        if not isinstance(home, IntakeScreen):
            self.intake_ready()
            self.form_ready()

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def open_session(self, agent_id: str, password: str) -> None:
        """Log the agent in at the central server too, if this seat is registered: editors'
        and supervisors' changes to reference data go there. Offline, it is tried again at
        the next login; the seat works without it."""
        with Store.open(self.backend.db_path, clock=self.backend.clock) as store:
            try:
                self.session = client.AgentSession.for_seat(store, agent_id, password)
            except (client.Offline, client.Refused):
                self.session = None

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
        from console.screens.search import SearchScreen

        if self.actor is None or isinstance(self.screen, SearchScreen):
            return
        self.push_screen(SearchScreen())

    def action_queue(self, which: str) -> None:
        from console.screens.queues import CallbackQueueScreen, ReviewQueueScreen

        screen, roles = {
            "review": (ReviewQueueScreen, {Role.SUPERVISOR}),
            "callback": (CallbackQueueScreen, {Role.SUPERVISOR, Role.CALLBACK}),
        }[which]
        if self.actor is None or isinstance(self.screen, screen):
            return
        if self.actor.role not in roles:
            self.notify(
                f"{self.actor.role.label}没有{which == 'review' and '审核' or '回访'}队列。",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(screen())

    # -- sync with the central server ------------------------------------------------

    @work(exclusive=True, group="sync-start")
    async def start_sync(self) -> None:
        """Start the sync rounds if this seat is registered with a central server (a seat
        that is not works alone; ``hotline sync register`` links it)."""
        token = await self.backend.call(lambda store: state.get(store.conn, state.DEVICE_TOKEN))
        if token:
            self.sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_worker(self) -> None:
        """Run a sync round every few seconds on a thread and connection of its own: the
        seat never waits for the network, and a failed round only shows as offline."""
        worker = get_current_worker()
        with Store.open(self.backend.db_path, clock=self.backend.clock) as store:
            while not worker.is_cancelled:
                try:
                    with client.connect(store) as central:
                        client.run_round(store, central)
                except (client.Offline, client.Refused):
                    pass  # recorded in the seat's sync state, which the header shows
                self.call_from_thread(self.show_sync_status)
                self._sync_wake.wait(SYNC_SECONDS)
                self._sync_wake.clear()

    def sync_now(self) -> None:
        """Start the next sync round now rather than at the next tick."""
        self._sync_wake.set()

    @work(exclusive=True, group="sync-status")
    async def show_sync_status(self) -> None:
        if self.actor is None:
            return
        status = await self.backend.call(lambda store: state.status(store.conn))
        now = to_text(self.backend.clock())
        self.sub_title = (
            f"{self.actor.name}（{self.actor.role.label}） · {status_line(status, now)}"
        )

    def action_sync_status(self) -> None:
        from console.screens.sync_status import SyncStatusScreen

        if self.actor is None or isinstance(self.screen, SyncStatusScreen):
            return
        self.push_screen(SyncStatusScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action with a key, on the current screen and app-wide, in the palette."""
        yield from super().get_system_commands(screen)
        seen = set()
        for node in (screen, self):
            for binding in getattr(node, "BINDINGS", []):
                if (
                    not isinstance(binding, Binding)
                    or not binding.description
                    or binding.action in seen
                ):
                    continue
                seen.add(binding.action)
                if self.actor is None and node is self and binding.action != "quit":
                    continue
                key = self.get_key_display(binding)
                yield SystemCommand(
                    f"{binding.description}（{key}）",
                    f"按键编号 {binding.id}",
                    lambda n=node, a=binding.action: self.run_action(a, n),
                )

    def on_unmount(self) -> None:
        if self._status_timer is not None:
            self._status_timer.stop()
        self.workers.cancel_group(self, "sync")
        self.workers.cancel_group(self, "sync-status")
        self._sync_wake.set()
        self.backend.close()
