"""kill -9 at any moment leaves a consistent store that holds every reported ticket."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from store import Store
from store.core.rebuild import check

WRITER = Path(__file__).resolve().parents[1] / "support" / "crash_writer.py"


def _burst_and_kill(db: Path, kill_after: int) -> list[str]:
    """Start the writer, let it report ``kill_after`` numbers, SIGKILL it, return all it reported."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path.cwd()), os.environ.get("PYTHONPATH", "")]),
    }
    child = subprocess.Popen(
        [sys.executable, str(WRITER), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    reported = []
    for line in child.stdout:
        reported.append(line.strip())
        if len(reported) >= kill_after:
            child.send_signal(signal.SIGKILL)
            break
    rest, err = child.communicate(timeout=30)
    reported += [n for n in rest.split() if n]  # printed (so committed) before the kill landed
    assert child.returncode == -signal.SIGKILL, err
    return reported


def test_sigkill_mid_burst_loses_nothing_and_leaves_a_consistent_store(db_path):
    rng = random.Random(20261122)
    reported: list[str] = []
    for _ in range(4):
        reported += _burst_and_kill(db_path, rng.randrange(20, 120))
    assert len(reported) == len(set(reported)) >= 80
    # the CLI check, as an operator would run it after a crash
    result = subprocess.run(
        [sys.executable, "-m", "console.cli", "store", "rebuild", "--check", "--db", str(db_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "一致" in result.stdout
    with Store.open(db_path) as store:
        assert check(store.conn) == []
        stored = {r[0] for r in store.conn.execute("SELECT number FROM tickets")}
        assert set(reported) <= stored
        # every event is queued for sync, and the device sequence has no gaps
        events, outbox = store.conn.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM outbox)"
        ).fetchone()
        assert events == outbox
        seqs = [
            r[0]
            for r in store.conn.execute(
                "SELECT device_seq FROM events WHERE device_id=? ORDER BY device_seq",
                (store.device_id,),
            )
        ]
        assert seqs == list(range(1, len(seqs) + 1))
