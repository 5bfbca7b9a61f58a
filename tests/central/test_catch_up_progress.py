"""A seat that has fallen far behind shows its catch-up: ``hotline sync`` counts the events
it receives, with the rate and the time left."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from support.central_harness import signed_in

from store.core.clock import system_clock
from store.services import calls


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_long_catch_up_counts_what_it_receives(make_seat):
    behind, busy = make_seat("behind"), make_seat("busy")
    with busy.open() as store:
        recorder = signed_in(store, "s1")
        at = system_clock() - timedelta(hours=2)
        for n in range(1500):  # a busy queue's afternoon, recorded while the other seat was off
            number = calls.from_switch(f"139{n:08d}")
            calls.offered(store, recorder, calls.CallSeen(f"c.{n}", number, "12345", at))
    busy.sync()
    process = behind.sync_process()
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "接收事件" in err and "个/秒" in err
    last = [line for line in err.splitlines() if line.startswith("接收事件")][-1]
    done, total = last.split()[1].split("（")[0].split("/")
    assert int(done) == int(total) >= 1500
    with behind.open() as store:
        assert store.conn.execute("SELECT count(*) FROM calls").fetchone()[0] == 1500


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_seeded_server_says_how_far_its_import_went(central, city_template):
    template = sqlite3.connect(f"file:{city_template}?mode=ro", uri=True)  # shared: read only
    total = template.execute("SELECT count(*) FROM events").fetchone()[0]
    template.close()
    log = central.log_path.read_text(encoding="utf-8")
    assert f"导入初始事件 {total}/{total}（" in log and "个/秒" in log
    assert f"已导入 {total} 个事件" in log
