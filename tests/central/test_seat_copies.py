"""A seat restored from a backup, or a second copy of one seat file, recovers by itself:
it keeps every unsent event, takes an identity of its own, never reuses a sequence number
or a ticket number, and never stops syncing. Real seat files, ``hotline sync``."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest
from support.central_harness import ROOT, Seat, check_invariants, hotline_command, signed_in
from support.lifecycle import draft

from store.core.errors import DomainError
from store.core.identity import file_identity
from store.tickets import workflow
from store.tickets.read.queries import get_ticket


def _register(seat) -> tuple[str, str]:
    with seat.open() as store:
        event = workflow.register(store, signed_in(store, "a1"), draft())
    return event.subject_id, event.payload["number"]


def _hotline_sync(seat) -> subprocess.CompletedProcess:
    return subprocess.run(
        hotline_command("--db", str(seat.path), "sync"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )


def test_a_seat_restored_from_a_backup_recovers_by_itself(central, make_seat, tmp_path):
    seat = make_seat("a")
    first, _ = _register(seat)
    seat.sync()
    backup = Seat.copy_of(seat, tmp_path / "backup.db")
    _, later = _register(seat)  # the original goes on after the backup was taken
    seat.sync()
    shutil.copyfile(backup.path, seat.path)  # restored over itself: the same file
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"a.db{suffix}").unlink(missing_ok=True)
    with seat.open() as store:
        agent = signed_in(store, "a1")
        with pytest.raises(DomainError, match="从备份恢复"):
            workflow.register(store, agent, draft())  # no number it may have issued before
        workflow.note(store, agent, first, "恢复后继续工作")  # the rest of the work goes on
    result = _hotline_sync(seat)
    assert result.returncode == 0, result.stderr
    assert "已取得新的座席身份" in result.stdout
    assert "Traceback" not in result.stderr
    _, fresh = _register(seat)
    assert fresh != later
    assert seat.sync().rejected == 0
    with seat.open() as store:
        assert get_ticket(store.conn, later)  # the original's last ticket reached it too
    check_invariants(central, [seat])


def test_two_copies_of_one_seat_file_both_keep_working(central, make_seat, tmp_path):
    original = make_seat("a")
    ticket, _ = _register(original)
    original.sync()
    copy = Seat.copy_of(original, tmp_path / "copy.db")
    with copy.open() as store:
        agent = signed_in(store, "a1")
        with pytest.raises(DomainError, match="复制的"):
            workflow.register(store, agent, draft())
        workflow.note(store, agent, ticket, "副本上的备注")
    with original.open() as store:
        workflow.note(store, signed_in(store, "a1"), ticket, "原座席的备注")
    assert original.sync().rejected == 0
    report = copy.sync()
    assert report.rekeyed and report.rejected == 0
    numbers = {_register(seat)[1] for seat in (original, copy, original, copy)}
    assert len(numbers) == 4
    for seat in (original, copy, original):
        assert seat.sync().rejected == 0
    check_invariants(central, [original, copy])


def test_a_copy_that_was_not_noticed_is_set_right_by_the_server(central, make_seat, tmp_path):
    """A copy made in a way the seat cannot see (its marks rewritten): both files write one
    device sequence number; the server takes the first and has the second renumbered."""
    original = make_seat("a")
    ticket, _ = _register(original)
    original.sync()
    twin = Seat.copy_of(original, tmp_path / "twin.db")
    conn = sqlite3.connect(twin.path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'identity.file'", (_inode(twin.path),))
    conn.commit()
    conn.close()
    for seat, text in ((original, "原座席"), (twin, "孪生副本")):
        with seat.open() as store:
            workflow.note(store, signed_in(store, "a1"), ticket, text)
    assert original.sync().rejected == 0
    assert twin.sync().rejected == 0  # renumbered, not refused
    assert twin.sync().rejected == 0  # an identity of its own, then sent
    notes = [e for e in central.log() if e["type"] == "ticket.noted"]
    assert len(notes) == 2
    check_invariants(central, [original, twin])


def _inode(path) -> str:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return file_identity(conn)
    finally:
        conn.close()
