"""The committed sample database and its generator."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "hotline.db.sample"


@pytest.fixture(scope="module")
def sample():
    conn = sqlite3.connect(f"file:{SAMPLE}?mode=ro", uri=True)
    yield conn
    conn.close()


def one(conn, sql):
    return conn.execute(sql).fetchone()[0]


def test_sample_size_and_city(sample):
    # 5,100 tickets and their 90 days of calls (4,400 calls, 13,000 of the 37,000 events)
    assert SAMPLE.stat().st_size < 32 * 1024 * 1024
    levels = dict(sample.execute("SELECT level, count(*) FROM units GROUP BY level"))
    assert sum(levels.values()) >= 500 and set(levels) == {1, 2, 3}
    assert one(sample, "SELECT count(*) FROM desks") >= 10
    roles = dict(sample.execute("SELECT role, count(*) FROM agents GROUP BY role"))
    staff = sum(n for r, n in roles.items() if r != "liaison")
    assert 25 <= staff <= 40
    assert {
        "agent",
        "desk",
        "callback",
        "supervisor",
        "trainee",
        "trainer",
        "editor",
        "admin",
        "liaison",
    } <= set(roles)


def test_sample_tickets_mix(sample):
    from store.tickets.states import State

    total = one(sample, "SELECT count(*) FROM tickets")
    assert total >= 5000
    states = dict(sample.execute("SELECT state, count(*) FROM tickets GROUP BY state"))
    assert set(states) == {s.value for s in State}  # every state of the workflow
    answered = states["answered"] / total
    assert 0.58 <= answered <= 0.72
    first, last = sample.execute(
        "SELECT min(registered_at), max(registered_at) FROM tickets"
    ).fetchone()
    assert first[:10] >= "2026-08-22" and last[:10] == "2026-11-20"
    checks = {
        "overdue": "SELECT count(*) FROM clocks WHERE stopped_at IS NULL AND kind='handle' AND due_at < '2026-11-20T20:00'",
        "returned": "SELECT count(*) FROM tickets WHERE return_count > 0",
        "extended": "SELECT count(*) FROM tickets WHERE extension_count > 0",
        "redone": "SELECT count(*) FROM tickets WHERE redo_count > 0",
        "110": "SELECT count(*) FROM tickets WHERE channel='from_110' OR transfer_line IS NOT NULL",
        "business": "SELECT count(*) FROM tickets WHERE business = 1",
        "repeat callers": "SELECT count(*) FROM (SELECT caller_phone FROM tickets "
        "WHERE registered_at >= '2026-10-21' GROUP BY caller_phone HAVING count(*) >= 2)",
    }
    for label, sql in checks.items():
        assert one(sample, sql) >= 10, label
    topics = one(sample, "SELECT count(DISTINCT topic_code) FROM tickets")
    assert topics >= 40


def test_sample_texts_read_like_calls(sample):
    texts = [
        r[0] for r in sample.execute("SELECT content FROM tickets ORDER BY random() LIMIT 200")
    ]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)
    assert all("{" not in t for t in texts)  # every template slot filled
    assert len(set(texts)) > 150


def test_generator_is_deterministic(tmp_path):
    digests = []
    for name in ("one.db", "two.db"):
        out = tmp_path / name
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_sample_db.py"),
                "--tickets",
                "150",
                "--days",
                "20",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_sample_calls_make_the_answer_rates(sample):
    offered, answered, within, abandoned = sample.execute(
        "SELECT count(*), sum(answered_at IS NOT NULL), sum(answer_wait_s <= 15),"
        " sum(abandoned_at IS NOT NULL) FROM calls"
    ).fetchone()
    assert offered > 4000
    assert 0.97 <= answered / offered <= 0.995  # ~99 % answered
    assert 0.8 <= within / offered <= 0.95  # most within 15 s
    assert abandoned >= 20
    hours = dict(sample.execute("SELECT substr(offered_at, 12, 2), count(*) FROM calls GROUP BY 1"))
    assert hours["10"] > 5 * hours["03"]  # offered by the hour of the day
    linked = one(sample, "SELECT count(*) FROM call_tickets")
    phone = one(sample, "SELECT count(*) FROM tickets WHERE channel = 'phone'")
    assert linked == phone
