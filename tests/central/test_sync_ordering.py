"""Server order is commit order with no gaps: a reader that has seen N has seen all before N.

The naive feed — a PostgreSQL ``BIGSERIAL`` id, readers asking for ``id > cursor`` — hands
out ids at insert time, not at commit time, so a slow transaction commits a smaller id
after a reader has moved past it, and that reader never sees it. The same many pushers and
pullers against the central server lose nothing.
"""

from __future__ import annotations

import random
import threading
import time

import httpx
import psycopg
import pytest
from support.central_harness import CentralProcess, Seat, pg_database, signed_in
from support.lifecycle import draft

from store.tickets import workflow


def _naive_feed(url: str, writers: int, readers: int, seconds: float) -> tuple[int, list[int]]:
    """Writers insert into a BIGSERIAL table, each in a transaction that takes a while to
    commit; readers poll by cursor. Returns (committed rows, how many each reader missed)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE naive_feed (id BIGSERIAL PRIMARY KEY, body TEXT)")
    stop = threading.Event()
    seen: list[set[int]] = [set() for _ in range(readers)]

    def write(n: int) -> None:
        rng = random.Random(n)
        with psycopg.connect(url) as conn:
            while not stop.is_set():
                with conn.transaction():
                    conn.execute("INSERT INTO naive_feed (body) VALUES ('e')")
                    time.sleep(rng.uniform(0, 0.01))  # the rest of a push's work

    def read(n: int) -> None:
        cursor = 0
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                done = stop.is_set()
                rows = conn.execute(
                    "SELECT id FROM naive_feed WHERE id > %s ORDER BY id", (cursor,)
                ).fetchall()
                for (row_id,) in rows:
                    seen[n].add(row_id)
                    cursor = row_id
                if done:
                    return
                time.sleep(0.001)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    threads += [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    with psycopg.connect(url) as conn:
        committed = {r[0] for r in conn.execute("SELECT id FROM naive_feed").fetchall()}
    return len(committed), [len(committed - s) for s in seen]


def test_a_naive_autoincrement_feed_loses_events_under_concurrent_writers():
    with pg_database() as url:
        committed, missed = _naive_feed(url, writers=8, readers=4, seconds=3)
    assert committed > 200
    assert sum(missed) > 0, "the naive feed should have skipped late commits"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_many_pushers_and_pullers_never_miss_an_event(database_url, city_template, tmp_path):
    central = CentralProcess(tmp_path, database_url, seed=city_template).start()
    try:
        seats = []
        for i in range(6):
            seat = Seat(tmp_path / f"seat{i}.db", city_template)
            seat.register(central, f"seat{i}")
            seats.append(seat)
        head = max(int(r["server_seq"]) for r in central.log())
        stop, pushed = threading.Event(), threading.Event()
        errors: list[BaseException] = []
        pulled: list[list[int]] = [[] for _ in range(4)]

        def push(seat: Seat) -> None:
            try:
                with seat.open() as store:
                    agent = signed_in(store, "a1")
                    while not stop.is_set():
                        workflow.register(store, agent, draft())
                        seat.sync()
            except BaseException as error:  # surfaced below
                errors.append(error)

        def pull(n: int, token: str) -> None:
            cursors = dict.fromkeys(("ticket", "kb", "directory", "config"), head)
            with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as http:
                while True:
                    done = pushed.is_set()
                    page = http.post(
                        f"{central.url}/v1/sync/pull", json={"cursors": cursors, "limit": 500}
                    ).json()
                    pulled[n] += [e["server_seq"] for e in page["events"]]
                    cursors = page["cursors"]
                    if done and not page["more"]:
                        return

        threads = [threading.Thread(target=push, args=(s,)) for s in seats]
        threads += [
            threading.Thread(target=pull, args=(n, seats[n].token())) for n in range(len(pulled))
        ]
        for t in threads:
            t.start()
        time.sleep(6)
        stop.set()
        for t in threads[: len(seats)]:
            t.join(60)
        pushed.set()  # pullers take one last page after the last push has landed
        for t in threads[len(seats) :]:
            t.join(60)
        assert not errors, errors
        tickets = [int(r["server_seq"]) for r in central.log() if int(r["server_seq"]) > head]
        ticket_seqs = sorted(tickets)
        assert len(ticket_seqs) > 30
        for seen in pulled:
            assert seen == sorted(seen)  # in server order
            assert set(ticket_seqs) <= set(seen)  # and nothing skipped
    finally:
        central.stop()
