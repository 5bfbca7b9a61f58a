"""The smaller things a shift ran into: the calendar past the holiday package's years, the
desk that fits a ticket, callbacks in one list, Chinese everywhere, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from support.central_harness import ROOT
from support.lifecycle import MutableClock, bring_to, new_ticket
from support.pilot import ready, settle, text_of, until
from textual.widgets import DataTable, Input

from console.app import HotlineApp
from console.paste import CleanPasteParser
from console.screens.detail import DetailScreen
from console.screens.kb_editor import KbEditorScreen
from console.screens.outcomes import TextDialog
from console.screens.search import SearchScreen
from store.core.clock import CITY_TZ
from store.core.errors import InvalidInput
from store.directory.catalogue import suggest_desk_for
from store.directory.workdays import WorkCalendar
from store.kb import entries
from store.tickets import calendar_years, workflow
from store.tickets.read import queues
from store.tickets.states import State


def hotline(*args: str, cwd=ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


PLAN_2027 = """
year = 2027
holidays = [2027-01-01, 2027-02-06, 2027-02-07, 2027-02-08, 2027-02-09, 2027-02-10,
            2027-02-11, 2027-02-12]
workdays = [2027-01-30]
"""


def test_a_year_the_package_does_not_know_is_loaded_and_warned_about(
    store, actors, clock, tmp_path
):
    assert not WorkCalendar().knows_year(2027)
    clock.now = datetime(2026, 12, 20, 10, 0, tzinfo=CITY_TZ)  # a dispatch now runs into 2027
    ticket = new_ticket(store, actors, type="complaint")
    workflow.dispatch(store, actors["a1"], ticket, "U2")
    assert calendar_years.unknown_years(store) == [2027]
    assert "2027 年" in calendar_years.warning(calendar_years.unknown_years(store))
    plan_file = tmp_path / "2027.toml"
    plan_file.write_text(PLAN_2027, encoding="utf-8")
    plan = calendar_years.read_plan(plan_file)
    calendar_years.load_year(store, actors["admin"], plan)
    calendar = store.config().calendar()
    assert calendar.knows_year(2027)
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 1, 30))
    assert calendar_years.unknown_years(store) == []
    bad = tmp_path / "bad.toml"
    bad.write_text("year = 2027\nholidays = [2026-10-01]\nworkdays = []\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不在 2027 年"):
        calendar_years.read_plan(bad)


def test_deadlines_set_before_a_calendar_change_are_listed_not_moved(
    store, actors, clock, tmp_path
):
    clock.now = datetime(2027, 1, 29, 10, 0, tzinfo=CITY_TZ)  # Friday before a make-up Saturday
    ticket = new_ticket(store, actors, type="complaint")
    workflow.dispatch(store, actors["a1"], ticket, "U2")
    due = store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'sign'", (ticket,)
    ).fetchone()[0]
    plan_file = tmp_path / "2027.toml"
    plan_file.write_text(PLAN_2027, encoding="utf-8")
    calendar_years.load_year(store, actors["admin"], calendar_years.read_plan(plan_file))
    listed = calendar_years.to_review(store)
    assert [(i.kind, i.ticket_id) for i in listed if i.kind == "sign"] == [("sign", ticket)]
    assert (
        store.conn.execute(
            "SELECT due_at FROM clocks WHERE ticket_id = ? AND kind = 'sign'", (ticket,)
        ).fetchone()[0]
        == due
    )  # unchanged


def test_the_desk_that_takes_a_ticket_is_suggested(store, actors):
    business = new_ticket(store, actors, business=True)
    wages = new_ticket(store, actors, topic_code="0601")
    noise = new_ticket(store, actors)
    assert suggest_desk_for(store.conn, business) == "YSHJ"
    assert suggest_desk_for(store.conn, wages) == "12333"  # by the topic's first level
    assert suggest_desk_for(store.conn, noise) is None


def test_a_caller_not_reached_is_in_one_list_at_a_time(store, actors, clock):
    ticket = bring_to(store, actors, State.CALLBACK_PENDING)
    later = clock.now + timedelta(hours=2)
    workflow.callback(store, actors["c1"], ticket, reached=False, next_attempt_at=later)
    due = [r.id for r in queues.callback_queue(store.conn, clock.now)]
    waiting = [r.id for r in queues.missed_callbacks(store.conn, clock.now)]
    assert (ticket in due, ticket in waiting) == (False, True)
    clock.advance(hours=3)
    due = [r.id for r in queues.callback_queue(store.conn, clock.now)]
    waiting = [r.id for r in queues.missed_callbacks(store.conn, clock.now)]
    assert (ticket in due, ticket in waiting) == (True, False)
    form = queues.callback_form(store, ticket)
    assert form.attempts == 1 and form.retry_hours == 2 and "****" in form.caller


def test_an_entry_is_published_only_after_review_with_a_verification_date(store, actors):
    saved = entries.save_entry(
        store, actors["e1"], {"title": "停车收费", "answer": "按物价局标准。"}
    )
    assert saved.entry_id.startswith("KB-QA-")  # the knowledge base's own series
    entries.give_feedback(store, actors["a1"], saved.entry_id, "outdated", "标准已调整")
    entries.save_entry(
        store, actors["e1"], {"id": saved.entry_id, "title": "停车收费", "answer": "按新标准。"}
    )
    row = entries.require_entry(store.conn, saved.entry_id)
    assert row["outdated_count"] == 0  # the edit answered the flag


def test_pasted_escape_sequences_arrive_whole_and_in_order():
    parser = CleanPasteParser()
    events = []
    for chunk in ("\x1b[200~AAA\x1b[3", "1mBBB\x1b]0;标题\x07CCC\x1b[20", "1~"):
        events += list(parser.feed(chunk))
    pasted = [e.text for e in events if type(e).__name__ == "Paste"]
    assert pasted == ["AAABBBCCC"] and not [e for e in events if type(e).__name__ == "Key"]


def test_the_command_line_takes_db_anywhere_and_says_what_is_wrong(db_path, tmp_path):
    assert hotline("--db", str(db_path), "store", "info").returncode == 0
    status = hotline("sync", "status", "--db", str(db_path))
    assert status.returncode == 0 and "未注册" in status.stdout
    central_run = hotline(
        "unit",
        "--as",
        "l2",
        "--server",
        "http://127.0.0.1:9",
        "list",
        env={"HOTLINE_PASSWORD": "secret-1"},
    )
    assert central_run.returncode == 3
    assert "http://127.0.0.1:9" in central_run.stderr and "连接被拒绝" in central_run.stderr
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    devices = hotline(
        "central", "devices", "list", cwd=workdir, env={"XDG_DATA_HOME": str(tmp_path / "data")}
    )
    assert devices.returncode == 0
    assert list(workdir.iterdir()) == []  # the server's files are not left where it ran


async def test_detail_reads_rules_in_words_and_shows_a_whole_entry(store, actors, db_path):
    ticket = bring_to(store, actors, State.REPLIED)
    number = store.conn.execute("SELECT number FROM tickets WHERE id = ?", (ticket,)).fetchone()[0]
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        app.push_screen(DetailScreen(ticket))
        await until(pilot, lambda: app.screen.query("#clocks"), "the detail")
        clocks = app.screen.query_one("#clocks", DataTable)
        await until(pilot, lambda: clocks.row_count > 0, "the clocks")
        rules = [str(clocks.get_row_at(i)[1]) for i in range(clocks.row_count)]
        assert "个工作日" in " ".join(rules) and not any(r.endswith("wd") for r in rules)
        timeline = app.screen.query_one("#timeline", DataTable)
        timeline.focus()
        timeline.move_cursor(row=timeline.row_count - 1)
        await until(pilot, lambda: "办结答复" in text_of(app, "#timeline-full"), "whole text")
        assert "已督促商户安装油烟净化器" in text_of(app, "#timeline-full")
    assert number


async def test_search_dates_are_hints_and_escalation_is_on_every_list(store, actors, db_path):
    ticket = bring_to(store, actors, State.HANDLING)
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("s1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "search")
        dates = [app.screen.query_one(f"#{n}", Input) for n in ("date_from", "date_to")]
        assert [(i.value, i.placeholder) for i in dates] == [("", "年-月-日")] * 2
        results = app.screen.query_one("#results", DataTable)
        await until(pilot, lambda: results.row_count > 0, "results")
        results.focus()
        results.move_cursor(row=results.get_row_index(ticket))
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the escalation dialog")
        await pilot.press(*"涉及多个部门", "f2")
        await settle(app, pilot)
    from store import Store

    with Store.open(db_path) as s:
        row = s.conn.execute("SELECT escalated FROM tickets WHERE id = ?", (ticket,)).fetchone()
        assert row[0] == 1


async def test_publishing_asks_when_the_content_was_verified(store, actors, db_path):
    saved = entries.save_entry(
        store, actors["e1"], {"title": "门禁卡补办", "answer": "到物业补办。"}
    )
    entries.set_status(store, actors["e1"], saved.entry_id, "review")
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("e1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, KbEditorScreen), "the editor")
        table = app.screen.query_one("#kb-list", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the list")
        table.move_cursor(row=table.get_row_index(saved.entry_id))
        table.focus()
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the verification date")
        assert app.screen.query_one("#text", Input).value  # today, to confirm or change
        await pilot.press("f2")
        await until(
            pilot, lambda: "已发布" in " ".join(n.message for n in app._notifications), "done"
        )
    from store import Store

    with Store.open(db_path) as s:
        row = entries.require_entry(s.conn, saved.entry_id)
        assert row["status"] == "published" and row["last_verified"]


async def test_before_login_the_footer_offers_only_what_works(db_path):
    app = HotlineApp(db_path, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(0.3)
        offered = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert "search" not in offered and "queue('review')" not in offered
        assert "quit" in offered
