"""The knowledge-base panel of the intake screen, driven by Pilot on a real seat database."""

from __future__ import annotations

import json

from support.lifecycle import MutableClock
from support.pilot import PHONE, fill_form, mounted, ready, settle, text_of, type_phone, until
from textual.widgets import DataTable, Input, TextArea

from console.app import HotlineApp
from console.screens.outcomes import AnswerDialog, TextDialog
from console.widgets.kb_panel import KbPanel
from store import Store
from store.tickets.read.queries import get_ticket


async def search_kb(app, pilot, query: str) -> DataTable:
    await pilot.press("ctrl+l")
    assert app.focused.id == "kb-query"
    await pilot.press(*query)
    table = app.screen.query_one("#kb-results", DataTable)
    panel = app.screen.query_one(KbPanel)
    await until(
        pilot,
        lambda: table.row_count and panel.query_one("#kb-query", Input).value == query,
        "results",
    )
    await settle(app, pilot)
    return table


async def test_search_pick_and_answer_directly(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await fill_form(app, pilot, content="家里暖气片不热，室温只有十五度。", topic="grwt")
        table = await search_kb(app, pilot, "暖气不热")
        first = table.get_row_at(0)[0].plain
        assert "暖气不热" in first
        panel = app.screen.query_one(KbPanel)
        preview = panel.preview_text.plain
        assert "供热期内" in preview and "引用" in preview
        # The query's words are highlighted in the preview (暖气 as typed, 供热 its term).
        spans = panel.preview_text.spans
        assert spans, "nothing highlighted"
        await pilot.press("enter")  # from the search box to the results
        assert app.focused.id == "kb-results"
        await pilot.press("enter")  # cite the highlighted entry
        await settle(app, pilot)
        assert "引用：冬季暖气不热怎么办" in text_of(app, "#kb-cited")
        assert table.get_row_at(0)[0].plain.startswith("✔")
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, AnswerDialog), "the answer dialog")
        assert "供热期内" in app.screen.query_one("#answer-text", TextArea).text
        app.screen.query_one("#answer-text", TextArea).text = "已告知测温流程和退费规定。"
        await pilot.press("f2")
        await settle(app, pilot)
        assert "已直接答复" in text_of(app, "#saved-label")
        number = app.screen.number
    with Store.open(db_path) as s:
        t = get_ticket(s.conn, number)
        assert t["state"] == "answered" and json.loads(t["kb_refs"]) == ["KB-QA-0005"]
        assert t["reply"] == "已告知测温流程和退费规定。"
        uses = s.conn.execute("SELECT use_count FROM kb_entries WHERE id = 'KB-QA-0005'")
        assert uses.fetchone()[0] == 1
        event = s.conn.execute(
            "SELECT payload FROM events WHERE type = 'ticket.answered' AND subject_id = ?",
            (t["id"],),
        ).fetchone()
        assert json.loads(event[0])["kb_refs"] == ["KB-QA-0005"]


async def test_stale_searches_never_overwrite_newer_results(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+l", *"gjj")  # three searches in flight: g, gj, gjj
        table = app.screen.query_one("#kb-results", DataTable)
        await until(pilot, lambda: table.row_count > 0, "results")
        await settle(app, pilot)
        assert all("公积金" in table.get_row_at(i)[0].plain for i in range(table.row_count))


async def test_typo_is_corrected_on_screen_and_markup_is_a_query(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        table = await search_kb(app, pilot, "公基金")
        assert "已按“公积金”检索" in text_of(app, "#kb-status")
        assert "公积金" in table.get_row_at(0)[0].plain
        box = app.screen.query_one("#kb-query", Input)
        box.value = '[/red]"AND( NEAR*'
        await settle(app, pilot)
        assert "没有找到条目" in text_of(app, "#kb-status")


async def test_agent_marks_an_entry_outdated(db_path):
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await search_kb(app, pilot, "停水")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the note dialog")
        await pilot.press(*"96390", "enter")
        await settle(app, pilot)
        assert any("已标记过时" in (n.title or "") for n in app._notifications)
    with Store.open(db_path) as s:
        row = s.conn.execute(
            "SELECT entry_id, agent_id, note FROM kb_feedback WHERE kind = 'outdated'"
        ).fetchone()
        assert tuple(row) == ("KB-QA-0003", "a1", "96390")


async def test_editor_browses_edits_and_publishes(store, actors, db_path):
    from console.screens.kb_editor import KbEditorScreen
    from console.screens.kb_entry import KbEntryDialog
    from store.kb import entries

    entries.give_feedback(store, actors["a1"], "KB-QA-0003", "outdated", "服务电话已改")
    entries.save_entry(
        store,
        actors["e1"],
        {
            "id": "KB-SOON",
            "title": "临时停车优惠",
            "answer": "年底前免费。",
            "status": "published",
            "expires_on": "2026-03-20",
        },
    )
    store.close()
    app = HotlineApp(db_path, clock=MutableClock(), login=("e1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        editor = await mounted(app, pilot, KbEditorScreen, "#kb-list", "the editor")
        table = editor.query_one("#kb-list", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the list")
        await settle(app, pilot)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "KB-QA-0003" and first[-1] == "1"  # flagged outdated comes first
        soon = app.screen.query_one("#kb-expiring", DataTable)
        assert [str(soon.get_row_at(i)[1]) for i in range(soon.row_count)] == ["KB-SOON"]
        # Edit the flagged entry: the agents' note is shown, a bad date is refused in place.
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, KbEntryDialog), "the entry dialog")
        assert app.screen.fields["id"] == "KB-QA-0003", app.screen.fields
        assert "服务电话已改" in text_of(app, "#kb-entry-feedback")
        app.screen.query_one("#expires_on", Input).value = "下个月"
        await pilot.press("f2")
        await settle(app, pilot)
        assert "失效日期格式不对" in text_of(app, "#err-expires_on")
        app.screen.query_one("#expires_on", Input).value = ""
        app.screen.query_one("#answer", TextArea).text = "停水请拨打 0571-96390 查询。"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, KbEditorScreen), "back to the list")
        # Withdraw, then a new draft through review to published.
        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, KbEntryDialog), "a new entry")
        app.screen.query_one("#title", Input).value = "路灯不亮找谁"
        app.screen.query_one("#answer", TextArea).text = "城市道路路灯由市城管局路灯所维护。"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, KbEditorScreen), "back to the list")
        await settle(app, pilot)
    with Store.open(db_path) as s:
        row = s.conn.execute("SELECT status, answer FROM kb_entries WHERE id = 'KB-QA-0003'")
        assert tuple(row.fetchone()) == ("withdrawn", "停水请拨打 0571-96390 查询。")
        new = s.conn.execute(
            "SELECT id, status, updated_by FROM kb_entries WHERE title = '路灯不亮找谁'"
        ).fetchone()
        assert new["id"].startswith("KB-") and tuple(new)[1:] == ("draft", "e1")


async def test_what_agents_cite_becomes_a_proposal_the_editor_accepts(db_path):
    from console.screens.kb_editor import KbEditorScreen
    from console.screens.kb_learning import KbLearningScreen
    from console.screens.outcomes import ConfirmDialog
    from store.services import kb

    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        panel = app.screen.query_one(KbPanel)
        for _ in range(3):  # three calls: the caller's words, then the agent's own
            table = await search_kb(app, pilot, "老板跑路")
            assert table.get_row_at(0)[0].plain.startswith("预付卡商家跑路")
            panel.query_one("#kb-query", Input).value = "拖欠工资"
            await until(pilot, lambda t=table: "KB-QA-0008" in t.rows, "单位拖欠工资怎么办")
            table.move_cursor(row=table.get_row_index("KB-QA-0008"))
            table.focus()
            await pilot.press("enter")
            await until(pilot, lambda: "KB-QA-0008" in panel.cited, "the citation")
            await pilot.press("f3")  # the next call (the cited entry filled in the topic)
            await mounted(app, pilot, ConfirmDialog, "Label", "the question")
            await pilot.press("f2")
            await until(pilot, lambda: not panel.cited, "a new call")
        await search_kb(app, pilot, "暖气")
        panel.query_one("#kb-query", Input).value = "楼上漏水怎么办"  # nothing to cite
        await until(pilot, lambda: panel.last_query == "楼上漏水怎么办", "the search")
        await pilot.press("f3")
        await until(pilot, lambda: not panel.last_query, "a new call")
        await settle(app, pilot)
    with Store.open(db_path) as s:
        kept = {tuple(r) for r in s.conn.execute("SELECT query, entry_id, hits FROM kb_evidence")}
    assert {("老板跑路", "KB-QA-0008", 3), ("拖欠工资", "KB-QA-0008", 3)} <= kept
    assert ("楼上漏水怎么办", "", 1) in kept and ("暖气", "", 1) in kept

    app = HotlineApp(db_path, clock=MutableClock(), login=("e1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await mounted(app, pilot, KbEditorScreen, "#kb-list", "the editor's screen")
        await pilot.press("f9")
        screen = await mounted(app, pilot, KbLearningScreen, "#kb-proposals", "the proposals")
        proposals = screen.query_one("#kb-proposals", DataTable)
        misses = screen.query_one("#kb-misses", DataTable)
        await until(pilot, lambda: proposals.row_count == 1, "the proposal")
        assert "单位拖欠工资怎么办" in " ".join(str(c) for c in proposals.get_row_at(0))
        assert "楼上漏水怎么办" in " ".join(str(c) for c in misses.get_row_at(0))
        await pilot.press("f2")
        await until(pilot, lambda: proposals.row_count == 0, "the proposal decided")
    with Store.open(db_path) as s:
        assert "老板跑路" in kb.entry(s, "KB-QA-0008")["questions"]
        assert kb.lookup(s, "老板跑路").results.hits[0].id == "KB-QA-0008"
