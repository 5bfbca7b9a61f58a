"""A seat's file in trouble — read-only, damaged, empty, truncated — is told apart before
anything opens it, in Chinese, never with a traceback; what can be read is still read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from support.central_harness import ROOT, Seat, projection_differences, signed_in
from support.files import damage, damage_table, remount_read_only, tmpfs
from support.lifecycle import draft

from store import Store
from store.tickets import workflow

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def hotline(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _seat_copy(template, path):
    shutil.copyfile(template, path)
    Store.open(path).close()  # migrated, identity made: a working seat file
    return path


def test_a_read_only_file_is_refused_before_login_and_searches_still_work(city_template):
    with tmpfs("16m") as where:
        db = _seat_copy(city_template, where / "seat.db")
        remount_read_only(where)
        console = hotline("--db", str(db))
        assert console.returncode == 2
        assert "只读" in console.stderr and "Traceback" not in console.stderr + console.stdout
        found = hotline("--db", str(db), "kb", "search", "噪声")
        assert found.returncode == 0 and "噪声" in found.stdout, found.stderr
        info = hotline("store", "info", "--db", str(db))
        assert info.returncode == 0 and "工单" in info.stdout, info.stderr


def test_empty_and_truncated_files_are_not_new_seats(city_template, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (("--db", str(empty)), ("--db", str(empty), "store", "info")):
        result = hotline(*args)
        assert result.returncode == 2 and "空的" in result.stderr
    assert empty.stat().st_size == 0  # nothing was made of it
    cut = _seat_copy(city_template, tmp_path / "cut.db")
    with cut.open("r+b") as f:
        f.truncate(cut.stat().st_size // 2)
    result = hotline("--db", str(cut), "sync", "status")
    assert result.returncode == 2 and "不完整" in result.stderr and "recover" in result.stderr


@SQLITE
def test_a_damaged_seat_is_found_and_rebuilt_from_the_central_server(central, make_seat, tmp_path):
    seat = make_seat("a")
    with seat.open() as store:
        agent = signed_in(store, "a1")
        ticket = workflow.register(store, agent, draft()).subject_id
    seat.sync()
    with seat.open() as store:
        workflow.note(store, signed_in(store, "a1"), ticket, "损坏前未发送的备注")
    copy = Seat.copy_of(seat, tmp_path / "copy.db")
    damage(copy.path)  # 256 KiB of noise in the middle
    damage_table(seat.path, "tickets")  # the seat itself: its projections ruined
    for args in (("store", "info"), ("store", "rebuild", "--check"), ("store", "check")):
        result = hotline(*args, "--db", str(copy.path))
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "已损坏" in result.stderr and "recover" in result.stderr
        assert "Traceback" not in result.stderr
    out = tmp_path / "recovered.db"
    recovered = hotline("store", "recover", "--db", str(seat.path), "--out", str(out))
    assert recovered.returncode == 0, recovered.stderr
    assert "已恢复到" in recovered.stdout and "带回未发送的事件 1 个" in recovered.stdout
    assert hotline("store", "check", "--db", str(out)).returncode == 0
    Seat.at(out).sync()
    assert projection_differences(out, central.mirror) == {}
    notes = [e for e in central.log() if e["type"] == "ticket.noted"]
    assert len(notes) == 1  # the unsent note reached the server
    with Store.open(out) as store:
        assert store.conn.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket,)).fetchone()


def test_an_unexpected_error_is_a_sentence_and_a_masked_log(tmp_path):
    code = (
        "import sys\n"
        "from console import cli, store_commands\n"
        "def boom(args):\n"
        "    raise ValueError('来电人 13812345678 引起')\n"
        "store_commands.run = boom\n"
        "sys.argv = ['hotline', 'store', 'info', '--db', 'x.db']\n"
        "sys.exit(cli.run())\n"
    )
    state = tmp_path / "state"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_STATE_HOME": str(state)},
    )
    assert result.returncode == 70
    assert "意外错误" in result.stderr and "Traceback" not in result.stderr
    log = (state / "hotline" / "log" / "console.log").read_text()
    assert "ValueError" in log and "13812345678" not in log and "号码已隐去" in log
