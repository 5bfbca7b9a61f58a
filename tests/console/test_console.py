"""The console driven by Pilot on a real seat database: what the screen shows and what the store holds."""

from __future__ import annotations

from support.lifecycle import MutableClock, new_ticket
from support.pilot import (
    HOSTILE,
    PHONE,
    fill_form,
    ready,
    settle,
    table_text,
    text_of,
    type_phone,
    until,
)
from textual.widgets import DataTable, Digits, Input, TextArea

from console.app import HotlineApp
from console.screens.detail import DetailScreen
from console.screens.intake import IntakeScreen
from console.screens.search import SearchScreen
from console.text import safe_text, strip_controls
from console.widgets.picker import Picker
from store import Store
from store.tickets.numbers import format_for_reading
from store.tickets.read.queries import get_ticket
from store.tickets.states import State


async def test_whole_intake_from_login_to_number(store, actors, db_path):
    earlier = [new_ticket(store, actors, caller_phone=PHONE, content=HOSTILE) for _ in range(2)]
    store.close()
    app = HotlineApp(db_path, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press(*"a1", "enter", *"secret-1", "enter")
        await ready(app, pilot)
        assert isinstance(app.screen, IntakeScreen) and app.focused.id == "caller_phone"
        await type_phone(pilot, PHONE)
        await settle(app, pilot)
        history = app.screen.query_one("#history-table", DataTable)
        assert history.row_count == 2
        assert "重复来电" in text_of(app, "#history-title")
        assert HOSTILE in table_text(history) or "[/bold][link=x]" in table_text(history)
        assert HOSTILE in text_of(app, "#history-preview")  # the highlighted ticket's whole text
        await fill_form(app, pilot, content="小区物业不修楼道灯，已经一个月。")
        await pilot.press("f2")
        await settle(app, pilot)
        screen = app.screen
        assert screen.ticket_id is not None
        number = screen.number
        assert str(screen.query_one("#saved-number", Digits).value) == format_for_reading(number)
        assert "请向来电人复述工单号" in text_of(app, "#saved-label")
        assert history.row_count == 3
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["caller_phone"], t["topic_code"], t["street_code"]) == (
            "registered",
            PHONE,
            "0102",
            "S11",
        )
        assert t["caller_name"] == "王先生" and t["registered_by"] == "a1" and earlier[0] != t["id"]


async def test_wrong_password_is_told_in_chinese(db_path):
    app = HotlineApp(db_path, clock=MutableClock())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"a1", "enter", *"nope-nope", "enter")
        await settle(app, pilot)
        assert "工号或密码错误" in text_of(app, "#login-error")
        assert app.actor is None


async def test_invalid_form_shows_the_error_next_to_the_field_and_saves_nothing(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await pilot.press("f2")  # no topic, no content
        await settle(app, pilot)
        assert "请选择诉求分类" in text_of(app, "#err-topic_code")
        assert "请填写诉求内容" in text_of(app, "#err-content")  # every bad field at once
        for error in ("#err-topic_code", "#err-content"):
            widget = app.screen.query_one(error)
            assert widget.display and widget.region.height >= 1  # actually on screen
        assert not app.screen.query_one("#err-address").display  # a good field shows no line
        await fill_form(app, pilot, content="   ")
        await pilot.press("f2")
        await settle(app, pilot)
        assert "请填写诉求内容" in text_of(app, "#err-content")
        app.screen.query_one("#content", TextArea).text = "噪" * 10_000
        await pilot.press("f2")
        await settle(app, pilot)
        assert "过长" in text_of(app, "#err-content")
        phone = app.screen.query_one("#caller_phone", Input)
        phone.value = "138abc[/red]45678"
        await pilot.press("f2")
        await settle(app, pilot)
        assert "只能包含数字" in text_of(app, "#err-caller_phone")
        assert app.screen.query_one("#err-caller_phone").region.height >= 1
        assert app.screen.ticket_id is None
    with Store.open(db_path) as s:
        assert s.conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 0


async def _registered_app(db_path, pilot, app, content="来电反映楼下夜间施工噪声。"):
    await ready(app, pilot)
    await type_phone(pilot, PHONE)
    await settle(app, pilot)
    await fill_form(app, pilot, content=content)


async def test_not_accepted_with_reason_code(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await _registered_app(db_path, pilot, app)
        await pilot.press("f5")
        await settle(app, pilot)
        dialog = app.screen
        assert "不予受理" in str(dialog.query_one("Label").render())
        await pilot.press("down", "down")  # third reason in code order: DISCLOSURE
        dialog.query_one("#explanation", Input).value = "已告知依申请公开渠道"
        await pilot.press("f2")
        await settle(app, pilot)
        intake = app.screen
        assert intake.call_done and "不予受理" in text_of(app, "#saved-label")
        number = intake.number
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["reason_code"], t["reply"]) == (
            "not_accepted",
            "DISCLOSURE",
            "已告知依申请公开渠道",
        )


async def test_transfer_to_110(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await _registered_app(db_path, pilot, app, content="来电人称楼下有人持刀打架。")
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f2")  # 110, one-key transfer are the defaults
        await settle(app, pilot)
        assert "已转 110" in text_of(app, "#saved-label")
        number = app.screen.number
        await pilot.press("f5")  # the call has its outcome: no second outcome
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["transfer_line"]) == ("transferred", "110")


async def test_merge_into_an_earlier_ticket_from_the_history(store, actors, db_path):
    earlier = new_ticket(store, actors, caller_phone=PHONE)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await _registered_app(db_path, pilot, app)
        await pilot.press("ctrl+t")
        assert app.focused.id == "history-table"
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "已并入" in text_of(app, "#saved-label")
        number = app.screen.number
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert (t["state"], t["merged_into"], t["repeat"]) == ("merged", earlier, 1)


async def test_search_and_detail_with_timeline_and_note(store, actors, db_path):
    from store.tickets import workflow as w

    t = new_ticket(store, actors, caller_phone=PHONE, content=HOSTILE)
    w.dispatch(store, actors["a1"], t, "U2", [], "请按时办理")
    w.sign(store, actors["l2"], t)
    new_ticket(store, actors, caller_phone="13700000000", content="咨询公积金提取")
    number = get_ticket(store.conn, t)["number"]
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#results", DataTable)
        assert results.row_count == 2
        app.screen.query_one("#words", Input).value = "噪声"
        await settle(app, pilot)
        assert results.row_count == 1 and HOSTILE in table_text(results)
        assert "139****5678" in table_text(results)  # masked in lists
        app.screen.query_one("#words", Input).value = ""
        app.screen.query_one("#number", Input).value = number[:6] + " " + number[6:9]
        await settle(app, pilot)
        assert results.row_count == 2
        app.screen.query_one("#phone", Input).value = "139 1234 5678"
        await settle(app, pilot)
        assert results.row_count == 1
        app.screen.query_one("#date_from", Input).value = "2026-13-01"
        await settle(app, pilot)
        assert "年-月-日" in text_of(app, "#search-status")
        app.screen.query_one("#date_from", Input).value = "2026-03-01"
        await settle(app, pilot)
        await pilot.press("ctrl+t", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail screen")
        await settle(app, pilot)
        assert isinstance(app.screen, DetailScreen)
        head = text_of(app, "#detail-head")
        assert format_for_reading(number) in head and "办理中" in head and "139****5678" in head
        assert HOSTILE in text_of(app, "#detail-fields")
        timeline = app.screen.query_one("#timeline", DataTable)
        rows = table_text(timeline)
        assert "受理登记" in rows and "派单" in rows and "签收" in rows and "李强" in rows
        assert HOSTILE in rows
        await pilot.press("f4")
        await settle(app, pilot)
        app.screen.query_one("#text", Input).value = "来电人下午再来电[/i]"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "来电人下午再来电[/i]" in table_text(timeline)
        await pilot.press("f6")  # an agent may not see the full number: the key does nothing
        await settle(app, pilot)
        assert isinstance(app.screen, DetailScreen)
    with Store.open(db_path) as s:
        assert s.conn.execute("SELECT count(*) FROM reveals").fetchone()[0] == 0


async def test_supervisor_reveal_is_logged(store, actors, db_path):
    t = new_ticket(store, actors, caller_phone=PHONE)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        app.push_screen(DetailScreen(t))
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail screen")
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        app.screen.query_one("#text", Input).value = "核实来电"
        await pilot.press("enter")
        await settle(app, pilot)
        assert PHONE in text_of(app, "#detail-head")
    with Store.open(db_path) as s:
        row = s.conn.execute("SELECT agent_id, reason FROM reveals").fetchone()
        assert tuple(row) == ("s1", "核实来电")


async def test_keys_can_be_remapped_from_the_user_file(db_path, tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"intake.save" = "f10"\n', encoding="utf-8")
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"), keymap_file=keys)
    async with app.run_test(size=(160, 48)) as pilot:
        await _registered_app(db_path, pilot, app)
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.screen.ticket_id is None
        await pilot.press("f10")
        await settle(app, pilot)
        assert app.screen.ticket_id is not None


async def test_a_broken_keymap_file_is_reported_not_fatal(db_path, tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text("[keys\n", encoding="utf-8")
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"), keymap_file=keys)
    async with app.run_test() as pilot:
        await ready(app, pilot)
        assert any("按键配置文件" in n.message for n in app._notifications)


async def test_command_palette_lists_every_action_of_the_screen(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for label in (
            "保存受理",
            "新来电",
            "直接答复",
            "不予受理",
            "转110/119/120/122",
            "转专席",
            "派单",
            "并单",
            "工单查询",
        ):
            assert any(label in t for t in titles), label


async def test_each_role_starts_at_its_own_work(db_path):
    from console.screens.kb_editor import KbEditorScreen
    from console.screens.queues import CallbackQueueScreen, DeskQueueScreen
    from console.screens.watch import WatchScreen

    for login, home in (
        ("c1", CallbackQueueScreen),
        ("k1", DeskQueueScreen),
        ("e1", KbEditorScreen),
        ("l2", SearchScreen),
        ("s1", WatchScreen),
    ):
        app = HotlineApp(db_path, clock=MutableClock(), login=(login, "secret-1"))
        async with app.run_test() as pilot:
            await until(pilot, lambda app=app, home=home: isinstance(app.screen, home), login)
            await pilot.pause(0.3)  # let the screen finish mounting before the app closes


async def test_history_and_search_survive_hostile_text_and_states(store, actors, db_path):
    from store.tickets import workflow as w

    t = new_ticket(store, actors, caller_phone=PHONE, content="\u200b零宽[b]" + HOSTILE)
    w.transfer_emergency(store, actors["a1"], t, "120")
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await settle(app, pilot)
        rows = table_text(app.screen.query_one("#history-table", DataTable))
        assert HOSTILE in rows.replace("\n", "") or "[b][/bold]" in rows
        assert State.TRANSFERRED.label in rows


def test_safe_text_strips_escapes_and_cuts_by_cells():
    assert strip_controls("噪声\x1b[31m很大\x1b]0;title\x07！\x00") == "噪声很大！"
    cut = safe_text("楼上邻居每天晚上跺脚", max_cells=10)
    assert cut.plain == "楼上邻居…" and cut.cell_len <= 10
    assert safe_text("[/red]").plain == "[/red]"


async def test_pasted_escape_sequences_are_saved_as_seen(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await _registered_app(
            db_path, pilot, app, content="楼上\x1b[31m噪声\x1b[0m很大[/red]\n第二行\x07"
        )
        app.screen.query_one("#address", Input).value = "梧桐路\x1b]0;title\x0788号"
        await pilot.press("f2")
        await settle(app, pilot)
        number = app.screen.number
        assert number, "saved"
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert t["content"] == "楼上噪声很大[/red]\n第二行" and t["address"] == "梧桐路88号"


async def test_search_by_unit_with_the_unit_picker(store, actors, db_path):
    from store.tickets import workflow as w

    mine = new_ticket(store, actors, content="东湖区住建局的工单")
    w.dispatch(store, actors["a1"], mine, "U2")
    other = new_ticket(store, actors, content="街道办的工单")
    w.dispatch(store, actors["a1"], other, "U3")
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await settle(app, pilot)
        results = app.screen.query_one("#results", DataTable)
        assert results.row_count == 2
        app.screen.query_one("#unit Input", Input).focus()
        await pilot.press(*"dhqzj")  # initials of 东湖区住建局 (in order)
        await settle(app, pilot)
        assert results.row_count == 2  # typing filters the unit list, not the tickets yet
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#unit", Picker).value == "U2"
        assert results.row_count == 1 and "东湖区住建局的工单" in table_text(results)
