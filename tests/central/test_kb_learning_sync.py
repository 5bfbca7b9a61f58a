"""The knowledge base learns from what agents cite, across seats, through the real central
server on SQLite and PostgreSQL: an agent's citations after the same words become a
proposal at the editor's seat, the editor accepts it online, and a third seat ranks the
entry first for those words after its next sync."""

from __future__ import annotations

from support.central_harness import PASSWORD, signed_in

from store.services import kb, reference
from store.services.sync import AgentSession

WORDS = "老板跑路"  # a caller's words; the agents cite 单位拖欠工资怎么办 for them
UNPAID_WAGES = "KB-QA-0008"


def _first(seat) -> str:
    with seat.open() as store:
        return kb.lookup(store, WORDS).results.hits[0].id


def test_an_accepted_proposal_changes_every_seats_ranking(central, make_seat):
    agent_seat, editor_seat, other = make_seat("a"), make_seat("e"), make_seat("c")
    assert _first(other) != UNPAID_WAGES  # 预付卡商家跑路 comes first on the word 跑路
    with agent_seat.open() as store:
        agent = signed_in(store, "a1")
        for _ in range(3):
            assert kb.record_search(store, agent, WORDS, UNPAID_WAGES)
        assert kb.record_search(store, agent, "楼上漏水", None)  # nothing was cited
        assert not kb.record_search(store, agent, "13912345678", None)  # never kept
    assert agent_seat.sync().rejected == 0

    editor_seat.sync()
    with editor_seat.open() as store:
        editor = signed_in(store, "e1")
        found = kb.proposals(store)
        assert [(p.query, p.entry_id, p.hits) for p in found] == [(WORDS, UNPAID_WAGES, 3)]
        assert [m.query for m in kb.misses(store)] == ["楼上漏水"]
        session = AgentSession.for_seat(store, "e1", PASSWORD)
        args = {"query": WORDS, "entry_id": UNPAID_WAGES, "accept": True}
        reference.run(store, editor, "kb.proposal_decide", args, session)
        assert kb.proposals(store) == []  # decided: not proposed again
        questions = kb.entry(store, UNPAID_WAGES)["questions"]
        assert WORDS in questions

    other.sync()
    assert _first(other) == UNPAID_WAGES
