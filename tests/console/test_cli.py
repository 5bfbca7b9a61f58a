"""The ``hotline`` command line, run as a real process."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import hotline

from store.core.migrations import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "hotline.db.sample"


def test_help_lists_the_subcommands():
    result = hotline("--help")
    assert result.returncode == 0
    assert "console" in result.stdout and "store" in result.stdout
    store_help = hotline("store", "--help").stdout
    assert "rebuild" in store_help and "info" in store_help


def test_rebuild_check_passes_on_the_sample_and_leaves_it_unchanged():
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    result = hotline("store", "rebuild", "--check", "--db", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "一致" in result.stdout
    assert hotline("store", "info", "--db", str(SAMPLE)).returncode == 0
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before
    assert not Path(f"{SAMPLE}-wal").exists()


def test_rebuild_check_names_the_difference_and_rebuild_repairs_it(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE agents SET name = '被篡改' WHERE id = 'a1'")
    conn.execute("DELETE FROM topics WHERE code = '1601'")
    conn.commit()
    conn.close()
    result = hotline("store", "rebuild", "--check", "--db", str(db_path))
    assert result.returncode == 1
    assert "agents" in result.stderr and "被篡改" in result.stderr
    assert "topics" in result.stderr and "1601" in result.stderr
    repaired = hotline("store", "rebuild", "--db", str(db_path))
    assert repaired.returncode == 0 and "重建" in repaired.stdout
    assert hotline("store", "rebuild", "--check", "--db", str(db_path)).returncode == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM agents WHERE id='a1'").fetchone()[0] == "张敏"
    conn.close()


def test_store_info_and_missing_database(db_path, tmp_path):
    info = hotline("store", "info", "--db", str(db_path))
    assert info.returncode == 0 and "承办单位：6" in info.stdout
    missing = hotline("store", "rebuild", "--check", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "数据库不存在" in missing.stderr


@pytest.mark.parametrize("args", [["store"], ["store", "rebuild"], ["nonsense"]])
def test_usage_errors_exit_2(args):
    assert hotline(*args).returncode == 2


def test_default_database_is_a_per_user_copy_of_the_sample(tmp_path):
    code = (
        "from console.paths import default_db, SAMPLE\n"
        "p = default_db(); print(p); print(p.stat().st_size == SAMPLE.stat().st_size)\n"
        "p.write_bytes(b'seat work'); print(default_db().read_bytes() == b'seat work')\n"
    )
    env = {**__import__("os").environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    path, same_size, kept = result.stdout.split()
    assert path.startswith(str(tmp_path / "data")) and path.endswith(".db")
    assert f"-v{SCHEMA_VERSION}-" in path  # named for the sample it copies
    assert same_size == "True"  # a copy of the sample …
    assert kept == "True"  # … made once: the seat's own work is never overwritten by the sample


def test_store_info_counts_every_table(db_path):
    result = hotline("store", "info", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    tables = result.stdout.split("各表行数：")[1]
    assert "events " in tables and "tickets " in tables and "kb_entries " in tables


def test_store_query_lists_rows_with_numbers_masked(store, actors, db_path):
    from support.lifecycle import new_ticket

    new_ticket(store, actors)
    store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    sql = "SELECT number, caller_phone, content FROM tickets"
    result = hotline("store", "query", sql, "--db", str(db_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()[:2]
    assert header == "number,caller_phone,content"
    assert "〔号码已隐去〕" in row and not any(c.isdigit() for c in row.split(",")[1])
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM tickets",
        "UPDATE agents SET role = 'admin'",
        "SELECT 1; DELETE FROM tickets",
        "ATTACH DATABASE '/tmp/elsewhere.db' AS x",
        "PRAGMA writable_schema = 1",
    ],
)
def test_store_query_refuses_anything_but_one_select(db_path, sql):
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = hotline("store", "query", sql, "--db", str(db_path))
    assert result.returncode == 2
    assert "查询" in result.stderr and "Traceback" not in result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
