"""The interim console screen: shows the store's state, caller text as data."""

from __future__ import annotations

from lifecycle import new_ticket
from textual.widgets import DataTable, Static

from console.app import HotlineApp
from console.text import safe_text, strip_controls


async def test_status_screen_shows_counts_and_tickets_as_typed(store, actors, db_path):
    hostile = "[/bold][link=x]点我[/link] [red]楼上噪声"
    new_ticket(store, actors, content=hostile)
    store.close()
    app = HotlineApp(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "工单 1" in summary and "已受理 1" in summary
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        cell = table.get_row_at(0)[3]
        assert cell.plain == hostile  # shown as typed, not as markup
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        assert table.row_count == 1


def test_safe_text_strips_escapes_and_cuts_by_cells():
    assert strip_controls("噪声\x1b[31m很大\x1b]0;title\x07！\x00") == "噪声很大！"
    cut = safe_text("楼上邻居每天晚上跺脚", max_cells=10)
    assert cut.plain == "楼上邻居…" and cut.cell_len <= 10
    assert safe_text("[/red]").plain == "[/red]"
