"""Driving the console with Pilot: wait for what the screen must show, never a fixed time."""

from __future__ import annotations

import io
import time

from textual.widgets import DataTable, Input, Static, TextArea

from console.screens.intake import IntakeScreen
from console.screens.search import SearchScreen
from console.screens.watch import WatchScreen
from console.widgets.picker import Picker

HOSTILE = "[/bold][link=x]点我[/link] [red]楼上噪声"
PHONE = "13912345678"


async def ready(app, pilot):
    """Wait (bounded) until the home screen is up; on intake, with the form and its lists."""

    def up() -> bool:
        screen = app.screen
        if isinstance(screen, SearchScreen):
            return True
        if isinstance(screen, WatchScreen):
            return screen.loaded
        if not isinstance(screen, IntakeScreen) or screen.pickers is None:
            return False
        topics = screen.query("#topic_code").results(Picker)
        return any(p._choices for p in topics)

    await until(pilot, up, "the home screen")
    await pilot.pause(0.2)  # let the new screen finish mounting before the test acts or ends


async def settle(app, pilot):
    """Wait until no worker is busy, or a dialog is open (its outcome worker waits for it).

    Not ``wait_for_complete``, which would wait on that dialog forever; bounded at 5 s.
    """
    from textual.screen import ModalScreen
    from textual.worker import WorkerState

    for _ in range(250):
        await pilot.pause(0.02)
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy or isinstance(app.screen, ModalScreen):
            break
    await pilot.pause(0.05)


def text_of(app, selector) -> str:
    """The plain text a Static shows (Rich tables rendered as the terminal would)."""
    from rich.console import Console

    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def table_text(table: DataTable) -> str:
    return "\n".join(
        " ".join(str(getattr(c, "plain", c)) for c in table.get_row_at(i))
        for i in range(table.row_count)
    )


async def fill_form(app, pilot, *, content: str, topic: str = "wygl", area: str = "hbjd"):
    screen = app.screen
    screen.query_one("#caller_name", Input).value = "王先生"
    picker = screen.query_one("#topic_code", Picker)
    picker.query_one(Input).focus()
    await pilot.press(*topic, "enter")
    area_picker = screen.query_one("#area", Picker)
    area_picker.query_one(Input).focus()
    await pilot.press(*area, "enter")
    screen.query_one("#content", TextArea).text = content
    await pilot.pause()


async def until(pilot, condition, what: str, seconds: float = 20.0):
    """Wait for something the screen must come to show; fail after ``seconds`` (a busy
    machine is slow, never wrong)."""
    deadline = time.monotonic() + seconds

    def met() -> bool:
        # A screen just pushed exists a moment before its widgets do: it counts once mounted.
        return condition() and pilot.app.screen.is_mounted

    while time.monotonic() < deadline:
        if met():
            return
        await pilot.pause(0.02)
    if met():
        return
    raise AssertionError(f"timed out waiting for {what}")


async def stored(pilot, read, condition, what: str, seconds: float = 30.0):
    """Wait for the store to come to hold something (``await read()`` meets ``condition``),
    as ``until`` waits for the screen; the last reading."""
    deadline = time.monotonic() + seconds
    while True:
        found = await read()
        if condition(found):
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def mounted(app, pilot, kind, selector: str, what: str):
    """Wait until the screen is a ``kind`` and has composed ``selector`` (a screen exists a
    moment before its widgets do); the screen."""
    await until(
        pilot, lambda: isinstance(app.screen, kind) and bool(app.screen.query(selector)), what
    )
    return app.screen


async def type_phone(pilot, phone):
    await pilot.press(*phone, "enter")
