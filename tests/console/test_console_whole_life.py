"""One ticket's whole life through the console and ``hotline unit``: intake → dispatch →
the unit signs and replies → review → callback unsatisfied → redo → second reply →
review → callback satisfied → archived; the timeline names every step, who and when."""

from __future__ import annotations

from datetime import datetime

from support.cli import unit_cli
from support.lifecycle import MutableClock
from support.pilot import PHONE, fill_form, ready, settle, text_of, type_phone, until
from textual.widgets import Input, RadioButton

from console.app import HotlineApp
from console.screens.callback_dialog import CallbackDialog
from console.screens.outcomes import TextDialog
from console.screens.queues import CallbackQueueScreen, ReviewQueueScreen
from console.screens.routing import DispatchDialog
from console.widgets.ticket_list import TicketList
from store import Store
from store.core.clock import CITY_TZ
from store.tickets.read.queries import get_ticket
from store.tickets.read.timeline import timeline


async def intake_and_dispatch(db_path, clock) -> str:
    app = HotlineApp(db_path, clock=clock, login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="楼道灯坏了一个月，物业一直不修。")
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, DispatchDialog), "dispatch")
        await settle(app, pilot)
        app.screen.query_one("#lead Input", Input).focus()
        await pilot.press(*"东湖区住建", "enter")
        await pilot.press("f2")
        await settle(app, pilot)
        assert "已派单" in text_of(app, "#saved-label")
        return app.screen.number


async def review_accept(db_path, clock, number: str) -> None:
    app = HotlineApp(db_path, clock=clock, login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "review queue")
        tickets = app.screen.query_one(".queue-list", TicketList)
        await until(pilot, lambda: tickets.row_count == 1, "the reply to review")
        assert str(tickets.get_row_at(0)[0]).replace(" ", "") == number  # the reply to check
        tickets.focus()
        await pilot.press("f5")
        await settle(app, pilot)
        await until(pilot, lambda: tickets.row_count == 0, "the queue emptied")


async def call_back(db_path, clock, *, satisfied: bool) -> None:
    app = HotlineApp(db_path, clock=clock, login=("c1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CallbackQueueScreen), "callback queue")
        due = app.screen.query_one(".queue-list", TicketList)
        await until(pilot, lambda: due.row_count == 1, "the ticket due for callback")
        assert "****" in str(due.get_row_at(0)[4])  # masked until revealed
        due.focus()
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "reveal reason")
        await pilot.press(*"callback", "enter")
        await settle(app, pilot)
        assert PHONE in text_of(app, "#revealed")  # stays on screen for the call
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, CallbackDialog), "callback dialog")
        dialog = app.screen
        assert PHONE in text_of(app, "#callback-facts")  # and in the record dialog
        if not satisfied:
            dialog.query_one("#solved").query(RadioButton)[1].value = True
            dialog.query_one("#satisfaction").query(RadioButton)[3].value = True  # 不满意
        dialog.query_one("#note", Input).value = (
            "来电人表示灯还是不亮" if not satisfied else "已修好"
        )
        await pilot.press("f2")
        await settle(app, pilot)
        done = app.screen.query_one("#callback-done", TicketList)
        await until(pilot, lambda: done.row_count == 1, "the called-back ticket")
        done.focus()
        if satisfied:
            await pilot.press("f9")
        else:
            await pilot.press("f7")
            await until(pilot, lambda: isinstance(app.screen, TextDialog), "redo reason")
            await pilot.press(*"灯仍不亮", "enter")
        await settle(app, pilot)
        await until(pilot, lambda: done.row_count == 0, "the decision taken")


async def test_one_ticket_from_call_to_archive(db_path):
    clock = MutableClock(datetime.now(CITY_TZ))  # `hotline unit` runs on the real clock
    number = await intake_and_dispatch(db_path, clock)
    for args in (("sign", number), ("reply", number, "--text", "已安排物业更换楼道灯。")):
        result = unit_cli(db_path, "--as", "l2", *args)
        assert result.returncode == 0, result.stderr
    await review_accept(db_path, clock, number)
    await call_back(db_path, clock, satisfied=False)
    result = unit_cli(
        db_path, "--as", "l2", "reply", number, "--text", "已更换灯具并检查线路，灯已亮。"
    )
    assert result.returncode == 0, result.stderr
    await review_accept(db_path, clock, number)
    await call_back(db_path, clock, satisfied=True)
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["satisfaction"], t["redo_count"]) == ("archived", "非常满意", 1)
        steps = [(e.action, e.actor_name) for e in timeline(s.conn, t["id"])]
        actions = [a for a, _ in steps]
        expected = [
            "受理登记",
            "派单",
            "签收",
            "办结答复",
            "审核答复",
            "查看来电号码",
            "回访",
            "重办",
            "办结答复",
            "审核答复",
            "查看来电号码",
            "回访",
            "归档",
        ]
        assert actions == expected, steps
        names = dict(s.conn.execute("SELECT id, name FROM agents"))
        who = [n for _, n in steps]
        assert who[0] == names["a1"] and who[2] == names["l2"] and who[4] == names["s1"]
        assert who[6] == names["c1"] and who[-1] == names["c1"]
        assert all(e.at for e in timeline(s.conn, t["id"]))
