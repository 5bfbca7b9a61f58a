"""Hypothesis: random command sequences never leave projections that differ from a rebuild,
and a refused command never writes anything."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.lifecycle import COMMANDS, EXPECTED_AFTER, MutableClock, draft

from store import Store
from store.core.errors import DomainError
from store.core.rebuild import check
from store.directory import commands as d
from store.tickets import workflow
from store.tickets.states import TRANSITIONS

COMMAND_NAMES = sorted(COMMANDS)
CLOSERS = {
    "ticket.answered",
    "ticket.not_accepted",
    "ticket.transferred_emergency",
    "ticket.merged",
    "ticket.archived",
}
# Commands that move a ticket to another state (not notes, urges, reveals …).
MOVERS = {c for c in COMMAND_NAMES if TRANSITIONS[c].target is not None or c in EXPECTED_AFTER}

step = st.tuples(
    # mostly commands valid from the ticket's current state, so sequences get deep into the
    # workflow; some registrations, waits, and arbitrary commands that will often be refused
    st.sampled_from(["valid"] * 8 + ["register", "wait", "any"]),
    st.integers(0, 1),
    st.integers(0, 1000),
)


# Each example replays the whole log after every step: 50 examples keep the suite within its
# time on a busy two-core machine; HOTLINE_PROPERTY_EXAMPLES=500 for a long run.
EXAMPLES = int(os.environ.get("HOTLINE_PROPERTY_EXAMPLES", "50"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=20, max_size=60))
def test_random_command_sequences_keep_projections_equal_to_a_rebuild(
    workflow_city_template, steps
):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seat.db"
        shutil.copyfile(workflow_city_template, path)
        clock = MutableClock()
        store = Store.open(path, clock=clock, rng=random.Random(0))
        try:
            actors = {
                r[0]: d.get_actor(store.conn, r[0])
                for r in store.conn.execute("SELECT id FROM agents")
            }
            tickets: list[str] = []
            for name, pick, arg in steps:
                if name == "wait":
                    clock.advance(hours=arg % 72 + 1)
                    continue
                if name == "any":
                    name = COMMAND_NAMES[arg % len(COMMAND_NAMES)]
                if not tickets:
                    tickets.append(workflow.register(store, actors["a1"], draft()).subject_id)
                before = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
                try:
                    if name == "register":
                        kinds = ["consult", "complaint", "help", "report"]
                        urg = ["normal", "normal", "urgent", "critical"]
                        d_ = draft(type=kinds[pick], urgency=urg[arg % 4])
                        tickets.append(workflow.register(store, actors["a1"], d_).subject_id)
                    else:
                        t = tickets[pick % len(tickets)]
                        if name == "valid":
                            state = store.conn.execute(
                                "SELECT state FROM tickets WHERE id=?", (t,)
                            ).fetchone()[0]
                            options = [c for c in COMMAND_NAMES if state in TRANSITIONS[c].sources]
                            onward = [c for c in options if c in MOVERS and c not in CLOSERS]
                            if onward and arg % 4:  # mostly keep the ticket going
                                options = onward
                            name = options[arg // 4 % len(options)]
                        COMMANDS[name][0](store, actors, t)()
                except DomainError:
                    after = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
                    # merge may have registered its target before being refused; nothing else writes
                    assert after - before <= (1 if name == "ticket.merged" else 0)
                differences = check(store.conn)
                assert differences == [], "\n".join(x.describe() for x in differences)
        finally:
            store.close()
