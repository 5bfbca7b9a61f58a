"""``hotline shell`` reading a pipe: the password from the environment, plain text out, the
first error ends it with a non-zero status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from store import Store

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"


def shell(db: Path, text: str, *, agent: str = "a1", password: str = "secret-1", env=None):
    environment = {**os.environ, "HOTLINE_PASSWORD": password, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "console.cli", "shell", "--as", agent, "--db", str(db)],
        input=text,
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )


def test_commands_from_a_pipe_print_plain_text(db_path):
    form = "\n".join(
        ["register", PHONE, "", "", "物业管理", "", "", "楼道灯坏了一个月", "", "", "", "y"]
    )
    done = shell(db_path, f"{form}\nlookup {PHONE}\n", env={"FORCE_COLOR": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已登记：" in done.stdout and "的工单 1 件" in done.stdout
    assert "\x1b[" not in done.stdout  # no colour, no cursor movement into a pipe
    assert PHONE not in done.stdout  # masked: an agent does not see the whole number
    with Store.open(db_path) as store:
        assert store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1


def test_the_first_error_stops_a_pipe_with_a_status(db_path):
    done = shell(db_path, "lookup 1391234567a\nregister\n")
    assert done.returncode == 1
    assert "号码只能包含数字" in done.stdout
    assert "来电号码" not in done.stdout.split("号码只能包含数字")[1]  # register never ran
    usage = shell(db_path, "dispatch\n")
    assert usage.returncode == 2 and "缺少参数" in usage.stdout


def test_a_wrong_password_and_a_wrong_id_read_the_same(db_path):
    wrong_password = shell(db_path, "help\n", password="nope")
    wrong_id = shell(db_path, "help\n", agent="nobody")
    assert wrong_password.returncode == wrong_id.returncode == 2
    assert wrong_password.stderr == wrong_id.stderr != ""
    assert "nope" not in wrong_password.stderr + wrong_password.stdout
    assert "Traceback" not in wrong_password.stderr + wrong_id.stderr


def test_without_a_password_in_the_environment_it_says_how(db_path):
    environment = {k: v for k, v in os.environ.items() if k != "HOTLINE_PASSWORD"}
    done = subprocess.run(
        [sys.executable, "-m", "console.cli", "shell", "--db", str(db_path)],
        input="help\n",
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2 and "HOTLINE_PASSWORD" in done.stderr
