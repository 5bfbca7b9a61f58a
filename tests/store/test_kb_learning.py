"""The knowledge base's learning loop in the store: evidence from agents' searches,
proposals at the threshold, the editor's decisions, and what is never kept."""

from __future__ import annotations

import pytest

from store import DomainError
from store.core.rebuild import check
from store.kb import learning
from store.services import kb


def test_evidence_becomes_a_proposal_at_the_threshold(store, actors):
    agent = actors["a1"]
    for _ in range(learning.THRESHOLD):
        assert learning.proposals(store.conn) == []
        kb.record_search(store, agent, "  老板 跑路 ", "KB-QA-0008")
    (found,) = learning.proposals(store.conn)
    assert (found.query, found.entry_id, found.hits) == ("老板 跑路", "KB-QA-0008", 3)
    assert found.title == "单位拖欠工资怎么办"
    assert check(store.conn) == []  # the counts replay to the same table


def test_words_already_in_the_entry_are_not_proposed(store, actors):
    for _ in range(3):
        kb.record_search(store, actors["a1"], "拖欠工资", "KB-QA-0008")  # in the title
        kb.record_search(store, actors["a1"], "讨薪", "KB-QA-0008")  # one of its questions
    assert learning.proposals(store.conn) == []


def test_a_refused_proposal_is_never_made_again(store, actors):
    for _ in range(3):
        kb.record_search(store, actors["a1"], "工资被扣", "KB-QA-0008")
    learning.decide(store, actors["e1"], "工资被扣", "KB-QA-0008", accept=False)
    kb.record_search(store, actors["a1"], "工资被扣", "KB-QA-0008")
    assert learning.proposals(store.conn) == []
    assert "工资被扣" not in kb.entry(store, "KB-QA-0008")["questions"]


def test_misses_are_searches_that_never_led_to_a_citation(store, actors):
    agent = actors["a1"]
    kb.record_search(store, agent, ("楼上漏水", "房顶渗水"), None)
    kb.record_search(store, agent, "楼上漏水", None)
    kb.record_search(store, agent, "房顶渗水", "KB-QA-0012")  # found after all
    assert [(m.query, m.hits) for m in learning.misses(store.conn)] == [("楼上漏水", 2)]


@pytest.mark.parametrize("words", ["13912345678", "身份证 110101199003074514", "x" * 41, "  "])
def test_personal_numbers_and_long_text_are_never_kept(store, actors, words):
    assert kb.record_search(store, actors["a1"], words, None) == 0
    assert store.conn.execute("SELECT count(*) FROM kb_evidence").fetchone()[0] == 0


def test_only_answering_roles_give_evidence_and_only_editors_decide(store, actors):
    with pytest.raises(DomainError):
        kb.record_search(store, actors["l2"], "老板跑路", "KB-QA-0008")
    with pytest.raises(DomainError):
        learning.decide(store, actors["a1"], "老板跑路", "KB-QA-0008", accept=True)
    with pytest.raises(DomainError):
        kb.record_search(store, actors["a1"], "老板跑路", "KB-NO-SUCH")


def test_the_vocabulary_is_a_thousand_distinct_reviewed_pairs():
    from store.kb.synonyms import STARTER, read_vocabulary

    terms = [t for t, _ in STARTER]
    assert len(STARTER) >= 1000
    assert len(set(terms)) == len(terms)  # one official term for each everyday word
    assert all(t != c for t, c in STARTER)
    assert read_vocabulary("# 注释\n不动产 | 房本 房证\n\n") == [
        ("房本", "不动产"),
        ("房证", "不动产"),
    ]


def test_a_new_store_starts_with_the_vocabulary(store):
    count = store.conn.execute("SELECT count(*) FROM kb_synonyms").fetchone()[0]
    assert count >= 1000
    assert "不动产" in kb.synonym_pairs(store).get("房本", "")
