"""The console's background sync and its status line, against the real central server."""

from __future__ import annotations

import pytest
from support.central_harness import signed_in
from support.lifecycle import draft
from support.pilot import table_text, until

from console.app import HotlineApp
from console.screens.sync_status import SyncStatusScreen
from store.tickets import workflow


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_header_shows_the_link_and_f10_lists_rejected_events(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    with a.open() as store:
        ticket = workflow.register(store, signed_in(store, "a1"), draft()).subject_id
    a.sync()
    b.sync()
    with a.open() as store:
        workflow.transfer_desk(store, signed_in(store, "a1"), ticket, "YSHJ")
    a.sync()
    with b.open() as store:  # B, not yet synced, dispatches the same ticket
        workflow.dispatch(store, signed_in(store, "s1"), ticket, "U2")
        assert store.unsent_count() == 1

    app = HotlineApp(b.path, login=("s1", "secret-1"), sync_seconds=0.3)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: "被拒 1" in app.sub_title, "the rejection in the header")
        assert "● 在线" in app.sub_title and "待发 0" in app.sub_title
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, SyncStatusScreen), "the sync screen")
        table = app.screen.query_one("#sync-rejected")
        await until(pilot, lambda: "派单" in table_text(table), "the rejected dispatch")
        assert "已被其他座席先行处理" in table_text(table)
        central.kill()
        await until(pilot, lambda: "○ 离线" in app.sub_title, "offline in the header")
        # Offline, the seat still registers a ticket; the header counts it as unsent.
        await app.backend.call(
            lambda store: workflow.register(store, signed_in(store, "s1"), draft())
        )
        await until(pilot, lambda: "待发 1" in app.sub_title, "the unsent ticket")
        await pilot.pause(0.2)
