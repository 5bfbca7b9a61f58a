"""A whole shift without a surprise: what a seat hit, as Pilot drives it (160×48 unless a
test says 100×30), each against a real file, a real full disk, a real lock."""

from __future__ import annotations

import shutil

import pytest
from support.files import LockHolder, damage_table, fill, tmpfs
from support.lifecycle import MutableClock, bring_to, new_ticket
from support.pilot import PHONE, fill_form, ready, settle, text_of, type_phone, until
from textual.widgets import Digits, Input, OptionList, RadioButton, Static, TextArea

from console.app import HotlineApp
from console.screens.damaged import DamagedScreen
from console.screens.intake import IntakeScreen
from console.screens.outcomes import ConfirmDialog, EmergencyDialog, MergeDialog, TextDialog
from console.screens.queues import ReviewQueueScreen
from console.screens.routing import DeskDialog
from console.widgets.ticket_list import TicketList
from store import Store
from store.directory import commands as d
from store.tickets import workflow
from store.tickets.numbers import format_for_reading
from store.tickets.read.queries import get_ticket
from store.tickets.states import State


def _notes(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def _intake(db_path, size=(160, 48), **options):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"), **options)
    return app, app.run_test(size=size)


async def test_a_full_disk_keeps_the_form_and_a_retry_saves(city_template):
    with tmpfs("8m") as where:
        db = where / "seat.db"
        shutil.copyfile(city_template, db)
        app, running = await _intake(db)
        async with running as pilot:
            await ready(app, pilot)
            await type_phone(pilot, PHONE)
            await fill_form(app, pilot, content="磁盘满时受理的诉求")
            filler = fill(where)
            await pilot.press("f2")
            await until(pilot, lambda: "磁盘已满" in _notes(app), "the disk-full message")
            assert app.screen.query_one("#content", TextArea).text == "磁盘满时受理的诉求"
            assert app.screen.ticket_id is None
            filler.unlink()
            await pilot.press("f2")
            await until(pilot, lambda: app.screen.ticket_id is not None, "the save after")


async def test_a_lock_held_by_another_program_keeps_the_form(db_path):
    app, running = await _intake(db_path, busy_ms=300)
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="另一个程序占着数据库")
        holder = LockHolder(db_path)
        try:
            await pilot.press("f2")
            await until(pilot, lambda: "另一个程序占用" in _notes(app), "the busy message")
            assert app.screen.ticket_id is None
        finally:
            holder.stop()
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.ticket_id is not None, "the save after")


async def test_a_damaged_file_is_found_after_login_and_recovery_offered(db_path):
    damage_table(db_path, "kb_fts_data")
    app, running = await _intake(db_path)
    async with running as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, DamagedScreen) and app.screen.query("#damage-text"),
            "the damage screen",
        )
        assert "hotline store recover" in text_of(app, "#damage-text")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen), "intake again")


async def test_an_unexpected_error_exits_with_a_sentence_not_a_traceback(db_path, monkeypatch):
    def boom(self):
        raise RuntimeError("来电人 13912345678")

    monkeypatch.setattr(IntakeScreen, "action_focus_kb", boom)
    app, running = await _intake(db_path)
    with pytest.raises(RuntimeError):
        async with running as pilot:
            await ready(app, pilot)
            await pilot.press("ctrl+l")
            await pilot.pause(0.5)
    assert app.return_code == 70
    shown = " ".join(str(r) for r in app._exit_renderables)
    assert "Traceback" not in shown


async def test_transfer_keys_work_from_the_complaint_field(db_path):
    app, running = await _intake(db_path)
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="老板拖欠三个月工资", topic="qx")
        app.screen.query_one("#content", TextArea).focus()
        await pilot.press("f7")  # TextArea binds F7 itself: the call's key wins
        await until(pilot, lambda: isinstance(app.screen, DeskDialog), "the desk dialog")
        options = app.screen.query_one(OptionList)
        assert "12333" in str(options.get_option_at_index(options.highlighted).prompt)
        await pilot.press("escape")


async def test_f6_keeps_its_answer_until_the_form_is_complete(db_path):
    app, running = await _intake(db_path)
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        app.screen.query_one("#content", TextArea).text = "楼道里起火了"
        app.screen.query_one("#content", TextArea).focus()
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, EmergencyDialog), "the 119 dialog")
        app.screen.query_one("#line").query(RadioButton)[1].value = True  # 119
        app.screen.query_one("#note", Input).value = "已一键转接 119"
        await pilot.press("f2")
        await until(pilot, lambda: "已保留所选线路" in _notes(app), "kept for later")
        await fill_form(app, pilot, content="楼道里起火了")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, EmergencyDialog), "the dialog again")
        assert app.screen.query_one("#note", Input).value == "已一键转接 119"
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.call_done, "the transfer")
        number = app.screen.number
    with Store.open(db_path) as s:
        ticket = get_ticket(s.conn, number)
        assert (ticket["state"], ticket["transfer_line"]) == ("transferred", "119")


async def test_a_merge_takes_what_the_call_left_out_from_the_earlier_ticket(store, actors, db_path):
    earlier = new_ticket(store, actors, caller_phone=PHONE)
    store.close()
    app, running = await _intake(db_path)
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await until(pilot, lambda: app.screen.query_one("#history-table").row_count, "history")
        app.screen.query_one("#history-table").focus()
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, MergeDialog), "the merge dialog")
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.call_done, "the merge")
        number = app.screen.number
    with Store.open(db_path) as s:
        merged = get_ticket(s.conn, number)
        target = get_ticket(s.conn, earlier)
        assert merged["state"] == "merged" and merged["topic_code"] == target["topic_code"]
        assert merged["repeat"] == 1 and format_for_reading(target["number"]) in merged["content"]


async def test_a_new_call_and_quitting_ask_before_throwing_a_form_away(db_path):
    app, running = await _intake(db_path)
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        app.screen.query_one("#content", TextArea).text = "还没保存的诉求"
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IntakeScreen), "back to the form")
        assert app.screen.query_one("#content", TextArea).text == "还没保存的诉求"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "asked again")
        await pilot.press("f2")
        await until(pilot, lambda: not app.is_running, "the exit")


async def test_at_100_columns_the_number_read_aloud_is_whole(db_path):
    app, running = await _intake(db_path, size=(100, 30))
    async with running as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="窄屏受理")
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.ticket_id is not None, "the save")
        await pilot.pause(0.2)
        screen = app.screen
        grouped = screen.query_one("#saved-number", Digits).value
        shown = screen.query_one("#saved-number-text", Static)
        digits = screen.query_one("#saved-number", Digits)
        if digits.display:
            assert digits.size.width >= 3 * len(grouped)
        else:
            assert shown.display and grouped in text_of(app, "#saved-number-text")


async def test_the_palette_offers_the_screens_keys_in_chinese(store, actors, db_path):
    bring_to(store, actors, State.REPLIED)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "the review queue")
        await until(pilot, lambda: app.screen.selected is not None, "a row")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("催办", "督办", "提级", "刷新", "同意/通过", "审核队列"):
            assert any(wanted in t for t in titles), (wanted, titles)
        for english in ("Theme", "Quit", "Keys", "Screenshot", "Maximize"):
            assert not any(english in t for t in titles)


async def test_the_review_queue_keeps_its_order_and_shows_the_units_reason(store, actors, db_path):
    first = bring_to(store, actors, State.RETURN_REQUESTED)
    second = bring_to(store, actors, State.RETURN_REQUESTED)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "the queue")
        table = app.screen.query_one(".queue-list", TicketList)
        await until(pilot, lambda: table.row_count == 2, "both returns")
        order = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)]
        assert "退单理由" in str(table.get_row(first)[6])
        table.focus()
        await pilot.press("ctrl+u")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the urge dialog")
        await pilot.press(*"请尽快", "f2")
        await until(pilot, lambda: "已催办" in _notes(app), "urged")
        await settle(app, pilot)
        after = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)]
        assert after == order  # urging moves nothing
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the reason dialog")
        await pilot.press("f2")  # empty: refused in the dialog, which stays
        await until(pilot, lambda: "请填写" in text_of(app, "#dialog-error"), "the refusal")
        assert isinstance(app.screen, TextDialog)
        await pilot.press("escape")
    assert second


async def test_a_desk_specialist_answers_citing_the_knowledge_base(store, actors, db_path):
    d.define_agent(store, actors["admin"], "k9", "马专员", "desk", "secret-1", desk_id="YSHJ")
    ticket = new_ticket(store, actors, business=True)
    workflow.transfer_desk(store, actors["a1"], ticket, "YSHJ")
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("k9", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.screen.query(".queue-list"), "the desk queue")
        table = app.screen.query_one(".queue-list", TicketList)
        await until(pilot, lambda: table.row_count == 1, "the ticket")
        assert "专席处理中" in str(table.get_row_at(0)[1])
        await pilot.press("ctrl+l")
        await pilot.press(*"物业")
        results = app.screen.query_one("#kb-results")
        await until(pilot, lambda: results.row_count > 0, "knowledge-base results")
        results.focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one("#kb").cited, "a cited entry")
        table.focus()
        await pilot.press("f4")
        await until(pilot, lambda: app.screen.query("#answer-text"), "the answer dialog")
        await pilot.press("f2")
        await until(pilot, lambda: "已直接答复" in _notes(app), "answered")
    with Store.open(db_path) as s:
        row = s.conn.execute("SELECT state, kb_refs FROM tickets WHERE id = ?", (ticket,))
        state, refs = row.fetchone()
        assert state == "answered" and refs != "[]"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_sync_link_outlives_a_held_lock_and_says_so(central, make_seat):
    seat = make_seat("a")
    app = HotlineApp(seat.path, login=("a1", "secret-1"), sync_seconds=0.3, busy_ms=200)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: "● 在线" in app.sub_title, "online")
        holder = LockHolder(seat.path)
        try:
            await until(pilot, lambda: "同步中断" in app.sub_title, "the stopped sync, said")
            assert "另一个程序占用" in app.sub_title
        finally:
            holder.stop()
        await until(
            pilot,
            lambda: "● 在线" in app.sub_title and "同步中断" not in app.sub_title,
            "the link back by itself",
        )
