"""Every command from every state: allowed transitions work, all others are refused and write nothing."""

from __future__ import annotations

import pytest
from support.lifecycle import COMMANDS, EXPECTED_AFTER, bring_to, event_count

from store import Actor
from store.core.errors import Forbidden, InvalidState
from store.tickets import workflow
from store.tickets.states import TRANSITIONS, State


def _ticket(store, t):
    return dict(store.conn.execute("SELECT * FROM tickets WHERE id=?", (t,)).fetchone())


@pytest.mark.parametrize("state", list(State), ids=str)
@pytest.mark.parametrize("event_type", sorted(COMMANDS))
def test_command_from_state(store, actors, event_type, state):
    t = bring_to(store, actors, state)
    run = COMMANDS[event_type][0](store, actors, t)
    transition = TRANSITIONS[event_type]
    before_events, before_row = event_count(store), _ticket(store, t)
    if state in transition.sources:
        event = run()
        after = _ticket(store, t)["state"]
        expected = transition.target or EXPECTED_AFTER.get(event_type, state)
        assert after == expected
        assert event_count(store) == before_events + 1
        last = store.conn.execute(
            "SELECT type, subject_id FROM events ORDER BY pos DESC LIMIT 1"
        ).fetchone()
        assert tuple(last) == (event_type, t)
        if event is not None and hasattr(event, "type"):
            assert event.type == event_type
    else:
        with pytest.raises(InvalidState) as info:
            run()
        assert state.label in info.value.message  # the agent is told the current state
        assert event_count(store) == before_events
        assert _ticket(store, t) == before_row


@pytest.mark.parametrize("event_type", sorted(COMMANDS))
def test_role_not_allowed_is_refused(store, actors, event_type):
    transition = TRANSITIONS[event_type]
    start = sorted(transition.sources, key=list(State).index)[0]
    if event_type == "ticket.redone":
        start = State.CALLED_BACK
    t = bring_to(store, actors, start)
    prepare, outsider_id = COMMANDS[event_type]
    outsider = Actor.system() if outsider_id == "system" else actors[outsider_id]
    assert outsider.role not in transition.roles
    if event_type == "ticket.merged":  # preparing a merge registers its target: do that as an agent
        target = bring_to(store, actors, State.REGISTERED)
        run = lambda: workflow.merge(store, outsider, t, target)  # noqa: E731
    else:  # the same command with every actor it uses replaced by the outsider
        run = prepare(store, {k: outsider for k in actors}, t)
    before = event_count(store)
    with pytest.raises(Forbidden) as info:
        run()
    assert outsider.role.label in info.value.message
    assert event_count(store) == before


def test_register_refused_for_liaison(store, actors):
    from support.lifecycle import draft

    from store.tickets import workflow

    before = event_count(store)
    with pytest.raises(Forbidden):
        workflow.register(store, actors["l2"], draft())
    assert event_count(store) == before
