"""The trainer at ``hotline shell`` on a sandbox: the banner, scenario export and import,
assigning an exam, the scores and an attempt beside the expected handling, a comment; a
trainee sees only their own and may not comment."""

from __future__ import annotations

import os
import subprocess
import sys

from support.cli import ROOT

from store import Actor, Role, Store
from store.services import sandbox
from store.tickets import workflow
from store.training import commands as training


def shell(db, text: str, agent: str):
    return subprocess.run(
        [sys.executable, "-m", "console.cli", "shell", "--as", agent, "--db", str(db)],
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, "HOTLINE_PASSWORD": "secret-1"},
        cwd=ROOT,
        timeout=120,
    )


def test_the_trainer_works_from_the_shell(city_template, tmp_path):
    db = sandbox.create(tmp_path / "training.db", city_template).path
    with Store.open(db) as store:
        store.conn.execute("UPDATE agents SET role = 'trainer' WHERE id = 's2'")  # a trainer
        trainee = Actor("t1", Role.TRAINEE, "孙悦")
        attempt = training.start(store, trainee, "A05")
        workflow.register(
            store,
            trainee,
            workflow.TicketDraft(
                content="公园有老人晕倒", topic_code="0401", caller_phone="13951230105"
            ),
        )
        training.finish(store, trainee, attempt)
    exported = tmp_path / "A05.toml"
    text = exported.read_text() if exported.exists() else ""
    done = shell(
        db,
        f"training export A05 {exported}\n"
        "training assign t1 A05 A06 --exam 20\n"
        "training scores\n"
        f"training show {attempt}\n"
        f"training comment {attempt} 晕倒要先转120\n",
        "s2",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "培训环境 · 数据不会上报" in done.stderr
    assert 'code = "A05"' in exported.read_text() and text == ""
    assert "已给 t1 布置考试（20 分钟）：A05、A06" in done.stdout
    flat = "".join(ch for ch in done.stdout if ch not in " │\n")  # table cells wrap at 80
    assert "致命错误" in flat and "紧急情况未转120" in flat and "最薄弱的评分项" in flat
    renamed = exported.read_text().replace('code = "A05"', 'code = "X05"')
    (tmp_path / "X05.toml").write_text(renamed)
    assert shell(db, f"training import {tmp_path / 'X05.toml'}\n", "s2").returncode == 0
    mine = shell(db, "training scores\ntraining comment x 不行\n", "t1")
    assert "晕倒要先转120" in mine.stdout
    assert mine.returncode != 0 and "只有培训师" in mine.stdout + mine.stderr
    with Store.open(db) as store:
        assert (
            store.conn.execute(
                "SELECT count(*) FROM training_scenarios WHERE code = 'X05'"
            ).fetchone()[0]
            == 1
        )
        assert (
            store.conn.execute(
                "SELECT count(*) FROM training_assignments WHERE trainee_id = 't1' AND exam = 1"
            ).fetchone()[0]
            == 2
        )
