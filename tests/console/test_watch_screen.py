"""The supervisor's watch with Pilot: the red tickets by unit, urging from the matrix, the
handover one supervisor writes and the next acknowledges, the reports screen — at 160×48 and
at 100×30."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.lifecycle import START, MutableClock, bring_to
from support.pilot import mounted, ready, settle, table_text, text_of, until
from textual.widgets import DataTable, Input

from console.app import HotlineApp
from console.screens.outcomes import TextDialog
from console.screens.reports import ReportsScreen
from console.screens.watch import UnitTicketsScreen, WatchScreen
from console.widgets.ticket_list import TicketList
from store import Store
from store.tickets.states import State

SIZES = pytest.mark.parametrize("size", [(160, 48), (100, 30)], ids=["160x48", "100x30"])
LATER = START + timedelta(days=10)  # past every deadline of a ticket dispatched at START


async def _answer(app, pilot, text: str) -> None:
    dialog = await mounted(app, pilot, TextDialog, "#text", "the dialog")
    dialog.query_one("#text", Input).value = text
    await pilot.press("enter")
    await settle(app, pilot)


@SIZES
async def test_the_watch_shows_red_tickets_by_unit_and_urges_from_there(
    store, actors, db_path, size
):
    late = bring_to(store, actors, State.HANDLING)  # at 东湖区住建局 since START
    bring_to(store, actors, State.ANSWERED)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(LATER), login=("s1", "secret-1"))
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, WatchScreen)
        lights = text_of(app, "#watch-lights")
        assert "超期" in lights and "合计" in lights
        units = app.screen.query_one("#watch-units", DataTable)
        first = table_text(units).splitlines()[0].split()
        assert first[0] == "东湖区住建局" and first[2] == "1"  # one red, worst first
        await until(pilot, lambda: "15秒接通率" in text_of(app, "#watch-indicators"), "KPIs")
        assert "本小时" in text_of(app, "#watch-calls-hour")  # no switch here: 来电 0, rates —
        assert f"{LATER.hour}时" in text_of(app, "#watch-hour-mark")  # the hour now, marked
        assert "直接答复率" in text_of(app, "#watch-indicators")

        await pilot.press("ctrl+t")  # the matrix is reachable by keyboard at any size
        assert app.focused is units
        assert units.region.intersection(app.screen.region).area > 0
        await pilot.press("enter")
        screen = await mounted(app, pilot, UnitTicketsScreen, "TicketList", "unit tickets")
        listing = screen.query_one(TicketList)
        await until(pilot, lambda: listing.row_count == 1, "the unit's ticket")
        listing.focus()
        await pilot.press("ctrl+u")
        await _answer(app, pilot, "来电人再次来电，请尽快办理")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WatchScreen), "back on the watch")
    with Store.open(db_path) as s:
        urged = s.conn.execute(
            "SELECT count(*) FROM events WHERE type = 'ticket.urged' AND subject_id = ?", (late,)
        ).fetchone()[0]
    assert urged == 1


@SIZES
async def test_a_handover_written_by_one_supervisor_is_acknowledged_by_the_next(db_path, size):
    app = HotlineApp(db_path, clock=MutableClock(LATER), login=("s1", "secret-1"))
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        assert "还没有交接记录" in text_of(app, "#watch-handover")
        await pilot.press("f4")
        await _answer(app, pilot, "东湖区住建局 1 件超期已催办，明早再催")
        await until(pilot, lambda: "尚未确认接班" in text_of(app, "#watch-handover"), "handover")
        assert "东湖区住建局 1 件超期已催办" in text_of(app, "#watch-handover")
        await pilot.press("f5")  # one's own handover is for the next supervisor to take
        await settle(app, pilot)
        assert not isinstance(app.screen, TextDialog)
        assert any("自己的交班" in n.message for n in app._notifications)

    clock = MutableClock(LATER + timedelta(minutes=5))
    app = HotlineApp(db_path, clock=clock, login=("s2", "secret-1"))
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        assert "王芳" in text_of(app, "#watch-handover")
        await pilot.press("f5")
        await _answer(app, pilot, "已知悉")
        await until(pilot, lambda: "已于" in text_of(app, "#watch-handover"), "the acknowledgement")
        assert "刘洋 已于" in text_of(app, "#watch-handover")
        assert "接班意见：已知悉" in text_of(app, "#watch-handover")


@SIZES
async def test_intake_and_reports_are_a_key_away_from_the_watch(
    store, actors, db_path, size, tmp_path
):
    from console.screens.intake import IntakeScreen

    bring_to(store, actors, State.ANSWERED)
    store.close()
    app = HotlineApp(
        db_path, clock=MutableClock(START + timedelta(hours=1)), login=("s1", "secret-1")
    )
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen), "intake")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, WatchScreen), "the watch again")
        await pilot.press("f6")
        await mounted(app, pilot, ReportsScreen, "#report-tables", "reports")
        await until(pilot, lambda: "受理 1 件" in text_of(app, "#report-tables"), "this month")
        assert "2026年03月" in text_of(app, "#report-tables")
        await pilot.press("f8")
        await _answer(app, pilot, str(tmp_path / "三月"))
        await until(pilot, lambda: (tmp_path / "三月.xlsx").exists(), "the workbook")
        app.screen.query_one("#report-value", Input).value = "2026-13"
        await pilot.press("f5")
        assert "月份应写作" in text_of(app, "#report-status")
