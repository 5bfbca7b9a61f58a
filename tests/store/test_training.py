"""The training sandbox in the store: its mark and what notices tampering with it, the
scenario file format, the shipped scenarios, and scoring on the rubric."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support.cli import hotline
from support.lifecycle import draft

from store import Actor, DomainError, Role, Store
from store.services import sandbox
from store.tickets import workflow
from store.training import commands as training
from store.training.scenarios import OUTCOMES, from_toml, to_toml
from store.training.scoring import RUBRIC
from store.training.shipped import shipped


@pytest.fixture
def sandbox_path(city_template, tmp_path):
    return sandbox.create(tmp_path / "training.db", city_template).path


def _trainee(store: Store) -> Actor:
    return Actor("t1", Role.TRAINEE, "孙悦")


def test_the_shipped_scenarios_cover_every_outcome_and_the_hard_calls():
    found = shipped()
    assert len(found) >= 24
    assert {s.expected.outcome for s in found} == set(OUTCOMES)
    assert {"110", "119", "120", "122"} <= {s.expected.line for s in found}
    titles = " ".join(s.title + s.summary for s in found)
    for case in ("调休", "涉企", "不愿留姓名", "反复来电", "并单", "家暴"):
        assert case in titles, case
    assert sum(RUBRIC[k][1] for k in RUBRIC) == 100
    for scenario in found:  # every file reads back to itself
        assert from_toml(to_toml(scenario)) == scenario


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("code = 'A1'", "情景缺少来电人"),
        ("not toml ==", "TOML"),
        (to_toml(shipped()[0]).replace('outcome = "dispatch"', 'outcome = "fly"'), "应有办理方式"),
        (to_toml(shipped()[0]).replace('phone = "13951230101"', 'phone = "139abc"'), "来电号码"),
        (to_toml(shipped()[0]).replace('code = "A01"', 'code = "A 01;"'), "情景编号"),
    ],
)
def test_a_bad_scenario_file_is_refused_in_chinese(text, said):
    with pytest.raises(DomainError) as refused:
        from_toml(text)
    assert said in refused.value.message


def test_a_sandbox_is_marked_and_its_copy_stays_one(sandbox_path, tmp_path):
    with Store.open(sandbox_path) as store:
        assert sandbox.banner(store) == "培训环境 · 数据不会上报"
        assert store.device_id.startswith("sandbox-")
        assert sandbox.problems(store.conn) == []
        assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(sandbox_path, copy)
    with Store.open(copy) as store:
        assert store.device_id.startswith("sandbox-")  # a new id, still a sandbox's
        assert sandbox.banner(store)


@pytest.mark.parametrize(
    "tamper",
    [
        "DELETE FROM sandbox",
        "DELETE FROM events WHERE type = 'sandbox.marked'",
        "UPDATE meta SET value = '01234567-0000-7000-8000-000000000000' WHERE key = 'device_id'",
    ],
)
def test_store_check_notices_a_mark_edited_by_hand(sandbox_path, tamper):
    with Store.open(sandbox_path) as store:  # some sandbox work first
        training.start(store, _trainee(store), "A02")
    conn = sqlite3.connect(sandbox_path)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    with Store.open(sandbox_path) as store:
        assert sandbox.banner(store)  # still a sandbox: the other marks say so
    done = hotline("store", "check", "--db", str(sandbox_path))
    assert done.returncode == 1
    assert "培训" in done.stderr


def test_practice_only_in_a_sandbox(store):
    with pytest.raises(DomainError) as refused:
        training.start(store, _trainee(store), "A01")
    assert "培训环境" in refused.value.message


def _play(path, code, handle) -> training.scoring.Score:
    with Store.open(path) as store:
        trainee = _trainee(store)
        attempt = training.start(store, trainee, code)
        handle(store, trainee)
        return training.finish(store, trainee, attempt)


def test_a_good_direct_answer_scores_full_marks(sandbox_path):
    def answer(store, t):
        event = workflow.register(
            store,
            t,
            draft(
                content="来电人咨询公积金提取用于支付房租需要什么材料",
                topic_code="0108",
                caller_phone="13951230119",
                caller_name="许女士",
                type="consult",
                request="告知材料",
            ),
        )
        entry = store.conn.execute(
            "SELECT id FROM kb_entries WHERE title LIKE '%公积金%提取%'"
        ).fetchone()
        refs = [entry["id"]] if entry else []
        workflow.answer_directly(store, t, event.subject_id, "可以提取公积金支付房租。", refs)

    score = _play(sandbox_path, "A19", answer)
    items = {i.key: i for i in score.items}
    assert items["outcome"].earned == 25 and items["elements"].earned == 25
    assert items["speech"].earned == 15
    assert score.passed and not score.fatal


def test_an_emergency_handled_as_a_complaint_fails_the_attempt(sandbox_path):
    def as_complaint(store, t):
        workflow.register(store, t, draft(content="楼上邻居吵架扰民，请处理", type="complaint"))

    score = _play(sandbox_path, "A03", as_complaint)
    assert not score.passed
    assert any("110" in f for f in score.fatal)
    outcome = next(i for i in score.items if i.key == "outcome")
    assert outcome.earned == 0 and "转应急热线" in outcome.expected


def test_telling_who_reported_fails_with_the_data_masked(sandbox_path):
    def reveal(store, t):
        event = workflow.register(
            store,
            t,
            draft(content="来电人追问是谁举报其养狗扰民", caller_phone="13951230116"),
        )
        workflow.not_accept(store, t, event.subject_id, "SECRET", "举报人李建国，电话13700001234")

    score = _play(sandbox_path, "A16", reveal)
    assert not score.passed
    assert score.fatal == ("泄露了他人信息（李某、137****1234）",)


def test_nothing_registered_scores_low_and_says_why(sandbox_path):
    score = _play(sandbox_path, "A21", lambda store, t: None)
    outcome = next(i for i in score.items if i.key == "outcome")
    assert outcome.done == "没有登记工单" and score.total < 20


def test_scores_replay_to_the_same_tables(sandbox_path):
    _play(sandbox_path, "A21", lambda store, t: None)
    with Store.open(sandbox_path) as store:
        trainer = Actor("tr9", Role.TRAINER)
        attempt = store.conn.execute("SELECT id FROM training_attempts").fetchone()["id"]
        training.comment(store, trainer, attempt, "地址要问到门牌号")
    done = hotline("store", "check", "--db", str(sandbox_path))
    assert done.returncode == 0, done.stderr


def test_a_sandbox_from_a_real_seat_takes_no_ticket_and_no_caller(store, actors, tmp_path):
    from support.lifecycle import new_ticket

    new_ticket(store, actors, caller_phone="13912345678")
    seat = store.conn.execute("PRAGMA database_list").fetchone()["file"]
    agents = store.conn.execute("SELECT count(*) FROM agents").fetchone()[0]
    entries = store.conn.execute("SELECT count(*) FROM kb_entries").fetchone()[0]
    store.close()
    made = sandbox.create(tmp_path / "city-training.db", tmp_path / "unused", Path(seat))
    assert made.events_taken > 0 and "座席库" in made.mark.origin
    with Store.open(made.path) as copy:
        count = lambda sql: copy.conn.execute(sql).fetchone()[0]  # noqa: E731
        assert count("SELECT count(*) FROM tickets") == 0
        assert count("SELECT count(*) FROM events WHERE stream = 'ticket'") == 0
        assert count("SELECT count(*) FROM agents") == agents
        assert count("SELECT count(*) FROM kb_entries") == entries
        assert count("SELECT count(*) FROM training_scenarios") >= 24
    raw = made.path.read_bytes()
    assert b"13912345678" not in raw


def test_the_sandbox_commands_speak_chinese_on_bad_input(sandbox_path, db_path, tmp_path):
    bad = tmp_path / "bad.toml"
    text = to_toml(shipped()[0]).replace('phone = "13951230101"', 'phone = "1395abc"')
    bad.write_text(text, encoding="utf-8")
    done = hotline("sandbox", "import", str(bad), "--db", str(sandbox_path))
    assert done.returncode == 1 and "来电号码" in done.stderr and "Traceback" not in done.stderr
    done = hotline("sandbox", "scenarios", "--db", str(db_path))
    assert done.returncode == 2 and "不是培训库" in done.stderr
    done = hotline("sandbox", "new", "--out", str(sandbox_path))
    assert done.returncode == 1 and "已存在" in done.stderr
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 20)
    for seat, said in ((tmp_path / "none.db", "找不到座席库"), (garbage, "不是 SQLite")):
        done = hotline("sandbox", "new", "--from", str(seat), "--out", str(tmp_path / "t.db"))
        assert done.returncode == 1 and said in done.stderr and "意外错误" not in done.stderr
    assert not (tmp_path / "t.db").exists()
