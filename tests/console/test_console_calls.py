"""The switch talks to the seat: a call answered here pops the caller's number and history on
the intake screen, every call is recorded, and the link survives the switch going away.

The switch is the AMI double of ``support.ami_switch`` (the real protocol on 127.0.0.1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.ami_switch import AmiSwitch, abandoned, answered, call_ids, completed, joined
from support.lifecycle import MutableClock, new_ticket
from support.pilot import PHONE, fill_form, mounted, ready, settle, stored, text_of, until
from textual.widgets import DataTable, Input, TextArea

from console.app import HotlineApp
from console.screens.intake import IntakeScreen
from console.screens.outcomes import ConfirmDialog
from store.services import calls, reports, tickets


def cti_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cti.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def ami_settings(tmp_path: Path, switch: AmiSwitch, *, secret="s3cret", record_queue=False):
    return cti_file(
        tmp_path,
        f'record_queue = {"true" if record_queue else "false"}\n[ami]\nhost = "127.0.0.1"\n'
        f'port = {switch.port}\nusername = "seat"\nsecret = "{secret}"\nextension = "8001"\n',
    )


def seat(db_path: Path, settings: Path, agent: str = "a1") -> HotlineApp:
    """The console logged in as ``agent``, linked to the switch by ``settings``."""
    return HotlineApp(db_path, clock=MutableClock(), login=(agent, "secret-1"), cti_file=settings)


@pytest.fixture
def switch():
    double = AmiSwitch().start()
    yield double
    double.stop()


def _calls(app):
    return app.backend.call(
        lambda s: [dict(r) for r in s.conn.execute("SELECT * FROM calls ORDER BY offered_at")]
    )


async def _connected(app, pilot):
    await until(pilot, lambda: "话机：已连接" in app.sub_title, "the switch's link in the header")


async def test_an_answered_call_pops_the_callers_history_and_links_the_ticket(
    store, actors, db_path, tmp_path, switch
):
    for _ in range(2):
        new_ticket(store, actors, caller_phone=PHONE, content="楼上装修噪声")
    store.close()
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(joined(uid, "0" + PHONE) + answered(uid, agent_uid, "0" + PHONE, hold=8))
        screen = app.screen
        history = screen.query_one("#history-table", DataTable)
        await until(pilot, lambda: history.row_count == 2, "the caller's history, popped")
        assert screen.query_one("#caller_phone", Input).value == PHONE  # trunk prefix gone
        info = text_of(app, "#call-info")
        assert "来电 139****5678" in info and "等待 8 秒" in info
        assert "重复来电" in text_of(app, "#history-title")
        await until(pilot, lambda: app.focused.id == "caller_name", "the name next")
        await fill_form(app, pilot, content="楼上装修噪声又开始了。")
        await pilot.press("f2")
        await settle(app, pilot)
        assert screen.ticket_id is not None, text_of(app, "#err-caller_phone")
        linked = await app.backend.call(calls.ticket_call, screen.ticket_id)
        assert linked is not None and linked.call_id == uid and linked.wait_s == 8
        detail = await app.backend.call(tickets.detail, screen.ticket_id)
        assert ("来电记录", "队列 12345 · 等待 8 秒 · 通话结束时间未知") in detail.fields
        switch.play(completed(uid, "0" + PHONE, talk=95))
        rows = await stored(
            pilot, lambda: _calls(app), lambda r: r and r[0]["ended_at"], "the call's end"
        )
        assert len(rows) == 1 and rows[0]["agent_id"] == "a1" and rows[0]["ended_at"]


async def test_a_call_answered_mid_form_asks_before_discarding_anything(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        intake = app.screen
        intake.query_one("#caller_phone", Input).value = "13800000001"
        intake.query_one("#content", TextArea).text = "上一位来电人说到一半的诉求"
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, PHONE))
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is intake, "back on the form")
        assert intake.query_one("#content", TextArea).text == "上一位来电人说到一半的诉求"
        assert intake.query_one("#caller_phone", Input).value == "13800000001"
        rows = await _calls(app)
        assert [r["id"] for r in rows] == [uid]  # the call is recorded all the same


async def test_a_withheld_number_is_not_made_up(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, "anonymous"))
        await until(pilot, lambda: "未显示号码" in text_of(app, "#call-info"), "the call")
        assert app.screen.query_one("#caller_phone", Input).value == ""
        rows = await _calls(app)
        assert rows[0]["withheld"] == 1 and rows[0]["caller"] == ""


async def test_the_queue_seat_records_a_burst_and_the_abandoned(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch, record_queue=True), agent="s1")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        script = []
        for n in range(50):
            uid, agent_uid = call_ids()
            number = f"1390000{n:04d}"
            script += joined(uid, number)
            if n % 10 == 9:
                script += abandoned(uid, number, hold=30)
            else:
                script += answered(uid, agent_uid, number, hold=5 if n % 3 else 20)
                script += completed(uid, number)
        switch.play(script)

        def all_ended(rows) -> bool:
            return sum(1 for r in rows if r["answered_at"] or r["abandoned_at"]) == 50

        rows = await stored(pilot, lambda: _calls(app), all_ended, "the 50 calls' outcomes")
        assert len(rows) == 50
        assert sum(1 for r in rows if r["abandoned_at"]) == 5
        day = app.backend.clock().date().isoformat()
        made = await app.backend.call(
            lambda s: reports.as_json(reports.make(s, reports.period("day", day)))
        )
        assert made["indicators"]["answer_rate"] == 0.9
        # 45 answered, 15 of them after 20 s: 30 within 15 s of 50 offered
        assert made["indicators"]["answered_within_15s_rate"] == 0.6
        assert made["calls"]["abandoned"] == 5
        await pilot.press("f12")
        await until(pilot, lambda: "接通率" in text_of(app, "#watch-indicators"), "the watch")
        assert "90.0%" in text_of(app, "#watch-indicators")


async def test_the_link_survives_the_switch_going_away_and_a_wrong_secret_is_said(
    db_path, tmp_path, switch
):
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, PHONE))  # mid-call, the switch goes away
        switch.stop()
        await until(pilot, lambda: "话机：重连中" in app.sub_title, "reconnecting, said")
        assert isinstance(app.screen, IntakeScreen)  # the console works on
        switch.start()
        await until(pilot, lambda: switch.logins == 2, "the second login", seconds=40)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, "13911112222"))
        await until(
            pilot,
            lambda: app.screen.query_one("#caller_phone", Input).value == "13911112222",
            "a call after the reconnect, popped",
        )

    wrong = seat(db_path, ami_settings(tmp_path, switch, secret="wrong-one"))
    async with wrong.run_test(size=(160, 48)) as pilot:
        await ready(wrong, pilot)
        await until(pilot, lambda: "话机：登录被拒" in wrong.sub_title, "the refusal")
        assert "wrong-one" not in wrong.sub_title


async def test_a_transferred_call_ends_here_and_is_not_popped_twice(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(joined(uid, PHONE) + answered(uid, agent_uid, PHONE))
        phone = app.screen.query_one("#caller_phone", Input)
        await until(pilot, lambda: phone.value == PHONE, "the pop")
        # the agent transfers the caller to a desk's phone, which answers it there
        switch.play(
            completed(uid, PHONE, reason="transfer")
            + answered(uid, "x." + agent_uid, PHONE, member="SIP/8120", hold=0)
        )

        rows = await stored(
            pilot, lambda: _calls(app), lambda r: r and r[0]["ended_at"], "the end here"
        )
        call = rows[0]
        assert call["ended_at"] and call["extension"] == "8001"  # still this seat's answer
        assert phone.value == PHONE and isinstance(app.screen, IntakeScreen)


async def test_a_call_answered_on_the_watch_waits_for_the_intake_screen(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch), agent="s1")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, PHONE))
        await until(pilot, lambda: app.pending_call is not None, "the call, kept")
        await pilot.press("f2")  # the watch's 接听来电
        screen = await mounted(app, pilot, IntakeScreen, "#caller_phone", "the intake screen")
        await until(
            pilot,
            lambda: screen.query_one("#caller_phone", Input).value == PHONE,
            "the kept call, popped",
        )
        assert "139****5678" in text_of(app, "#call-info")


async def test_a_garbled_switch_is_said_and_the_link_comes_back(db_path, tmp_path, switch):
    app = seat(db_path, ami_settings(tmp_path, switch))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await _connected(app, pilot)
        switch.send_raw(b"Event: Newchannel\r\nCallerIDNum: " + b"1" * 200_000 + b"\r\n\r\n")
        await until(pilot, lambda: "消息过长" in app.sub_title, "the garbled message, said")
        await until(pilot, lambda: switch.logins == 2, "logged in again")
        uid, agent_uid = call_ids()
        switch.play(answered(uid, agent_uid, PHONE))
        await until(
            pilot,
            lambda: app.screen.query_one("#caller_phone", Input).value == PHONE,
            "a call after it, popped",
        )


async def test_without_a_switch_the_header_says_so(db_path, tmp_path):
    app = seat(db_path, tmp_path / "none.toml")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await until(pilot, lambda: "话机：未接入" in app.sub_title, "the link's state")
