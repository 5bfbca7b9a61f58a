"""Knowledge-base entries as events: review status, feedback, use counts, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from support.lifecycle import new_ticket

from store.core.errors import Forbidden, InvalidInput, InvalidState
from store.core.rebuild import check
from store.kb import entries, synonyms
from store.tickets import workflow


def row(store, entry_id):
    return entries.require_entry(store.conn, entry_id)


def test_editor_moves_an_entry_through_review(store, actors):
    editor = actors["e1"]
    saved = entries.save_entry(
        store, editor, {"title": "路灯不亮", "answer": "派单市城管局路灯所。"}
    )
    new_id = saved.entry_id
    assert saved.outcome == "added" and row(store, new_id)["status"] == "draft"
    with pytest.raises(InvalidState, match="须先提交审核"):
        entries.set_status(store, editor, new_id, "published")  # never without review
    entries.set_status(store, editor, new_id, "review")
    with pytest.raises(InvalidInput, match="核实日期"):
        entries.set_status(store, editor, new_id, "published", "已核实")
    entries.set_status(store, editor, new_id, "published", "已核实", verified_on="2026-03-01")
    assert row(store, new_id)["last_verified"] == "2026-03-01"
    with pytest.raises(InvalidState, match="已发布"):
        entries.set_status(store, editor, new_id, "draft")
    entries.set_status(store, editor, new_id, "withdrawn")
    assert row(store, new_id)["status"] == "withdrawn"
    assert check(store.conn) == []


def test_only_editors_change_entries_and_synonyms(store, actors):
    with pytest.raises(Forbidden, match="知识库编辑"):
        entries.save_entry(store, actors["a1"], {"id": "X", "title": "t", "answer": "a"})
    with pytest.raises(Forbidden):
        entries.set_status(store, actors["s1"], "KB-QA-0001", "withdrawn")
    with pytest.raises(Forbidden):
        synonyms.set_synonym(store, actors["a1"], "吵", "噪声")
    with pytest.raises(Forbidden):
        entries.give_feedback(store, actors["l2"], "KB-QA-0001", "outdated")


def test_every_bad_field_is_named_at_once(store, actors):
    with pytest.raises(InvalidInput) as caught:
        entries.save_entry(
            store,
            actors["e1"],
            {
                "id": "坏 编号",  # (an empty id is a new entry, numbered when saved)
                "title": "",
                "answer": "身份证 110101199003074512",
                "effective_from": "2026-05-01",
                "expires_on": "2026-04-01",
                "visibility": "everyone",
            },
        )
    assert set(caught.value.errors) >= {"id", "title", "expires_on", "visibility"}
    assert "失效日期" in caught.value.errors["expires_on"]


def test_direct_answer_cites_entries_and_counts_use(store, actors):
    agent = actors["a1"]
    before = row(store, "KB-QA-0005")["use_count"]
    t = new_ticket(store, actors)
    workflow.answer_directly(store, agent, t, "已告知供热测温流程。", ["KB-QA-0005", "KB-QA-0005"])
    assert row(store, "KB-QA-0005")["use_count"] == before + 1
    ticket = store.conn.execute("SELECT state, kb_refs FROM tickets WHERE id = ?", (t,)).fetchone()
    assert ticket["state"] == "answered" and ticket["kb_refs"] == '["KB-QA-0005"]'
    assert check(store.conn) == []


def test_agents_mark_entries_outdated(store, actors):
    entries.give_feedback(store, actors["a1"], "KB-QA-0003", "outdated", "服务电话已改")
    entries.give_feedback(store, actors["k1"], "KB-QA-0003", "answered")
    r = row(store, "KB-QA-0003")
    assert (r["outdated_count"], r["answered_count"]) == (1, 1)
    note = store.conn.execute("SELECT note FROM kb_feedback WHERE kind = 'outdated'").fetchone()
    assert note[0] == "服务电话已改"
    with pytest.raises(InvalidInput, match="反馈类型"):
        entries.give_feedback(store, actors["a1"], "KB-QA-0003", "great")
    assert check(store.conn) == []


def test_expiring_within_30_days(store, actors):
    editor = actors["e1"]
    for entry_id, expires in (("S-1", "2026-03-10"), ("S-2", "2026-04-30"), ("S-3", None)):
        entries.save_entry(
            store,
            editor,
            {
                "id": entry_id,
                "title": "临时政策",
                "answer": "a",
                "status": "published",
                "expires_on": expires,
            },
        )
    assert [r["id"] for r in entries.expiring(store.conn, date(2026, 3, 2))] == ["S-1"]


def test_synonym_table_edits_are_checked(store, actors):
    with pytest.raises(InvalidInput, match="空格"):
        synonyms.set_synonym(store, actors["e1"], "暖 气", "供热")
    with pytest.raises(InvalidInput, match="没有"):
        synonyms.remove_synonym(store, actors["e1"], "不存在的词")
    assert len(synonyms.STARTER) >= 100
    assert len(synonyms.pairs(store.conn)) >= 100
