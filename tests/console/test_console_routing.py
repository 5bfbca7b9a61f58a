"""Routing from the intake screen: F8 dispatch with the deadline preview, F7 to a desk."""

from __future__ import annotations

from support.lifecycle import MutableClock
from support.pilot import PHONE, fill_form, ready, settle, text_of, type_phone, until
from textual.widgets import Input, OptionList

from console.app import HotlineApp
from console.screens.routing import DeskDialog, DispatchDialog
from store import Store
from store.directory.catalogue import set_rule
from store.tickets.read.queries import get_ticket


async def test_dispatch_with_suggested_unit_and_deadline_preview(store, actors, db_path):
    set_rule(store, actors["s1"], "0102", "D1", "U2")
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="小区物业不修楼道灯，已经一个月。")
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, DispatchDialog), "the dispatch dialog")
        await settle(app, pilot)
        dialog = app.screen
        assert "东湖区住建局" in dialog.query_one("#lead Input", Input).value  # suggested
        preview = text_of(app, "#deadline-preview")
        # Registered Monday 2026-03-02 10:00 as a consultation (the form's default type):
        # 3 working days, Thursday 03-05.
        assert "办理：3 个工作日，至 2026-03-05（周四）10:00" in preview
        assert "签收：" in preview
        assist = dialog.query_one("#assist Input", Input)
        assist.focus()
        await pilot.press(*"hbjd", "enter")
        await settle(app, pilot)
        assert "湖滨街道办事处" in text_of(app, "#assisting")
        await pilot.press("f2")
        await settle(app, pilot)
        assert "已派单" in text_of(app, "#saved-label")
        number = app.screen.number
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["lead_unit_id"]) == ("dispatched", "U2")
        handle = s.conn.execute(
            "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'handle'", (t["id"],)
        ).fetchone()[0]
        assert handle.startswith("2026-03-05T10:00")
        units = dict(
            s.conn.execute("SELECT unit_id, role FROM ticket_units WHERE ticket_id = ?", (t["id"],))
        )
        assert units == {"U2": "lead", "U3": "assist"}


async def test_transfer_to_a_desk_shows_specialists_and_queue(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="咨询企业开办的优惠政策。")
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, DeskDialog), "the desk dialog")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(
            "营商环境专席" in label and "无人在岗" in label and "排队 0" in label
            for label in labels
        )
        options.highlighted = next(i for i, label in enumerate(labels) if "营商环境" in label)
        await pilot.press("f2")  # nobody on duty there: asked once more, not transferred
        await until(pilot, lambda: "无人在岗" in text_of(app, "#dialog-error"), "the warning")
        assert isinstance(app.screen, DeskDialog)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "已转营商环境专席" in text_of(app, "#saved-label")
        number = app.screen.number
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["desk_id"]) == ("at_desk", "YSHJ")


async def test_supervisor_approves_an_extension_with_another_date(store, actors, db_path):
    from datetime import timedelta

    from support.lifecycle import bring_to

    from console.screens.outcomes import TextDialog
    from console.screens.queues import ReviewQueueScreen
    from console.widgets.ticket_list import TicketList
    from store.core.clock import from_text
    from store.tickets.states import State

    t = bring_to(store, actors, State.EXTENSION_REQUESTED)
    current = store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'handle'", (t,)
    ).fetchone()[0]
    chosen = from_text(current) + timedelta(days=1)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "review queue")
        rows = app.screen.query_one(".queue-list", TicketList)
        await until(pilot, lambda: rows.row_count == 1, "the extension request")
        assert "申请延期至" in str(rows.get_row_at(0)[6])
        rows.focus()
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the date dialog")
        field = app.screen.query_one("#text", Input)
        assert field.value.startswith("20")  # prefilled with the unit's requested date
        field.value = chosen.strftime("%Y-%m-%d %H:%M")
        await pilot.press("enter")
        await settle(app, pilot)
        await until(pilot, lambda: rows.row_count == 0, "the queue emptied")
    with Store.open(db_path) as s:
        row = s.conn.execute(
            "SELECT t.state, c.due_at FROM tickets t JOIN clocks c ON c.ticket_id = t.id"
            " AND c.kind = 'handle' WHERE t.id = ?",
            (t,),
        ).fetchone()
        assert row["state"] == "handling"
        assert from_text(row["due_at"]) == chosen.replace(second=0, microsecond=0)


def test_a_deadline_at_midnight_reads_as_the_end_of_the_day_before():
    from datetime import datetime

    from console.text import due_text

    assert (
        due_text(datetime(2026, 11, 28, 0, 0), year=True, weekday=True) == "2026-11-27（周五）24:00"
    )
    assert due_text(datetime(2026, 11, 27, 17, 30)) == "11-27 17:30"


async def test_urge_and_supervise_from_the_search_list(store, actors, db_path):
    from support.lifecycle import new_ticket
    from textual.widgets import DataTable

    from console.screens.outcomes import TextDialog
    from console.screens.search import SearchScreen
    from store.tickets import workflow as w

    t = new_ticket(store, actors)
    w.dispatch(store, actors["a1"], t, "U2")
    store.close()
    for login in ("a1", "s1"):
        app = HotlineApp(db_path, clock=MutableClock(), login=(login, "secret-1"))
        async with app.run_test(size=(160, 48)) as pilot:
            await ready(app, pilot)
            await pilot.press("ctrl+f")
            await until(pilot, lambda app=app: isinstance(app.screen, SearchScreen), "search")
            results = app.screen.query_one("#results", DataTable)
            await until(pilot, lambda results=results: results.row_count == 1, "the ticket")
            results.focus()
            # Agents may urge but not supervise: the key is not offered to them.
            assert app.screen.check_action("supervise", ()) is (login == "s1")
            await pilot.press("ctrl+u")
            await until(pilot, lambda app=app: isinstance(app.screen, TextDialog), "urge text")
            await pilot.press(*"请尽快", "enter")
            await settle(app, pilot)
            assert any("已催办" in n.message for n in app._notifications)
    with Store.open(db_path) as s:
        row = s.conn.execute("SELECT urge_count FROM tickets WHERE id = ?", (t,)).fetchone()
        assert row[0] == 2
