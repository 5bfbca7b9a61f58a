"""The training sandbox in the console, driven by Pilot on a sandbox made from the sample
city: the banner, a trainee playing a scenario and reading the score with its reasons, the
trainer's grid, replay and comment (which the trainee then sees), and an exam."""

from __future__ import annotations

import shutil

import pytest
from support.cli import ROOT
from support.lifecycle import MutableClock
from support.pilot import fill_form, mounted, settle, text_of, until
from textual.widgets import DataTable, Input, OptionList

from console.app import HotlineApp
from console.screens.intake import IntakeScreen
from console.screens.scenarios import ScenarioPicker, ScoreScreen
from console.screens.trainer import AttemptScreen, TrainerScreen
from store import Actor, Role, Store
from store.services import sandbox
from store.tickets import workflow
from store.training import commands as training

BANNER = "培训环境 · 数据不会上报"


@pytest.fixture(scope="session")
def sandbox_template(tmp_path_factory):
    return sandbox.create(
        tmp_path_factory.mktemp("sandbox") / "training.db", ROOT / "hotline.db.sample"
    ).path


@pytest.fixture
def sandbox_db(sandbox_template, tmp_path):
    path = tmp_path / "training.db"
    shutil.copyfile(sandbox_template, path)
    return path


async def _login(app, pilot, agent: str, home):
    await pilot.pause()
    await until(pilot, lambda: app.title.endswith(BANNER), "the sandbox banner at login")
    assert BANNER in text_of(app, "#login-banner")
    await pilot.press(*agent, "enter", *"hotline", "enter")
    return await mounted(app, pilot, home, "Footer", "the home screen")


async def _choose(app, pilot, code: str):
    await pilot.press("f11")
    picker = await mounted(app, pilot, ScenarioPicker, "#scenario-table", "the scenarios")
    table = picker.query_one(DataTable)
    await until(pilot, lambda: table.row_count >= 24, "the shipped scenarios")
    table.move_cursor(row=table.get_row_index(code))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, IntakeScreen), "the call")
    await until(pilot, lambda: f"情景 {code}" in text_of(app, "#script-title"), "the scenario")


async def test_a_trainee_plays_a_scenario_and_reads_the_score(sandbox_db):
    app = HotlineApp(sandbox_db, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await _login(app, pilot, "t01", IntakeScreen)
        assert BANNER in app.title
        await _choose(app, pilot, "A10")
        screen = app.screen
        assert "提示" in text_of(app, "#script-title")  # practice shows the hint
        assert screen.query_one("#caller_phone", Input).value == "13951230110"
        await until(pilot, lambda: "已经到法院起诉" in text_of(app, "#script-lines"), "line 1")
        await until(pilot, lambda: screen.pickers is not None, "the form's lists")
        await fill_form(app, pilot, content="来电人称二手房买卖纠纷已起诉，要求政府催法院。")
        await pilot.press("f5")
        dialog = await mounted(app, pilot, type(app.screen), "#reasons", "the reasons")
        options = dialog.query_one(OptionList)
        options.highlighted = [r.code for r in dialog.reasons].index("LITIGATION")
        dialog.query_one("#explanation", Input).value = "已告知向法院了解审理进度"
        await pilot.press("f2")
        await until(
            pilot, lambda: isinstance(app.screen, IntakeScreen) and screen.call_done, "saved"
        )
        await pilot.press("f12")
        score = await mounted(app, pilot, ScoreScreen, "#score-report", "the score")
        await settle(app, pilot)
        shown = text_of(app, "#score-report")
        assert "得分" in shown and "办理方式与去向" in shown and "不予受理 → LITIGATION" in shown
        assert "没说到" not in shown.split("话术")[1].split("\n")[0]  # 法院 was said
        assert score is app.screen
    with Store.open(sandbox_db) as store:
        row = store.conn.execute(
            "SELECT score, passed, items FROM training_attempts WHERE trainee_id = 't01'"
        ).fetchone()
    assert row["score"] >= 60 and row["passed"] == 1


def _scored_attempt(path) -> str:
    with Store.open(path) as store:
        trainee = Actor("t01", Role.TRAINEE, "金轩")
        attempt = training.start(store, trainee, "A03")
        workflow.register(
            store,
            trainee,
            workflow.TicketDraft(
                content="楼上吵架扰民投诉",
                topic_code="0302",
                type="complaint",
                caller_phone="13951230103",
            ),
        )
        training.finish(store, trainee, attempt)
    return attempt


async def test_the_trainer_reviews_comments_and_the_trainee_sees_it(sandbox_db):
    attempt = _scored_attempt(sandbox_db)
    app = HotlineApp(sandbox_db, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _login(app, pilot, "tr01", TrainerScreen)
        grid = screen.query_one("#trainer-grid", DataTable)
        await until(pilot, lambda: grid.row_count >= 2, "the trainees")
        row = grid.get_row("t01")
        column = 1 + [c.label.plain for c in grid.ordered_columns][1:].index("A03")
        assert str(row[column]) != "·"
        assert "最薄弱的评分项" in text_of(app, "#trainer-weak")
        attempts = screen.query_one("#trainer-attempts", DataTable)
        await until(pilot, lambda: attempts.row_count == 1, "the attempt")
        assert "致命错误" in " ".join(str(c) for c in attempts.get_row(attempt))
        attempts.focus()
        await pilot.press("enter")
        review = await mounted(app, pilot, AttemptScreen, "#attempt-report", "the replay")
        await until(pilot, lambda: "应有办理" in text_of(app, "#attempt-script"), "the script")
        assert "紧急情况未转 110" in text_of(app, "#attempt-report")
        review.query_one("#attempt-comment", Input).value = "听到“救命”要立即转 110"
        await pilot.press("f2")
        await settle(app, pilot)
    with Store.open(sandbox_db) as store:
        kept = store.conn.execute(
            "SELECT comment, commented_by FROM training_attempts WHERE id = ?", (attempt,)
        ).fetchone()
    assert tuple(kept) == ("听到“救命”要立即转 110", "tr01")
    app = HotlineApp(sandbox_db, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await _login(app, pilot, "t01", IntakeScreen)
        await pilot.press("f11")
        await mounted(app, pilot, ScenarioPicker, "#my-attempts", "the scenarios")
        assert "培训师点评：听到“救命”要立即转 110" in text_of(app, "#my-attempts")


async def test_an_exam_plays_its_set_without_hints_and_scores_at_the_end(sandbox_db):
    with Store.open(sandbox_db) as store:
        training.assign(store, Actor("tr01", Role.TRAINER), "t01", ["A05", "A06"], True, 10)
    app = HotlineApp(sandbox_db, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await _login(app, pilot, "t01", IntakeScreen)
        await pilot.press("f11")
        await mounted(app, pilot, ScenarioPicker, "#scenario-table", "the scenarios")
        await pilot.press("f8")
        await until(pilot, lambda: "情景 A05" in text_of(app, "#script-title"), "the first")
        assert "提示" not in text_of(app, "#script-title")
        await until(pilot, lambda: "考试剩余" in text_of(app, "#script-clock"), "the clock")
        await pilot.press("f12")
        await until(pilot, lambda: "情景 A06" in text_of(app, "#script-title"), "the second")
        assert not isinstance(app.screen, ScoreScreen)  # no score until the end
        await pilot.press("f12")
        await mounted(app, pilot, ScoreScreen, "#score-report", "the exam's result")
        await settle(app, pilot)
        shown = text_of(app, "#score-report")
        assert "A05" in shown and "A06" in shown and "未通过" in shown
    with Store.open(sandbox_db) as store:
        modes = store.conn.execute(
            "SELECT DISTINCT mode, count(DISTINCT exam_id) FROM training_attempts"
        ).fetchall()
    assert [tuple(m) for m in modes] == [("exam", 1)]


async def test_the_trainer_writes_a_scenario_in_the_console(sandbox_db):
    from textual.widgets import TextArea

    from console.screens.trainer import ScenarioEditor

    app = HotlineApp(sandbox_db, clock=MutableClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await _login(app, pilot, "tr01", TrainerScreen)
        await pilot.press("f6")
        editor = await mounted(app, pilot, ScenarioEditor, "#scenario-text", "the editor")
        area = editor.query_one(TextArea)
        await until(pilot, lambda: 'code = "A01"' in area.text, "the template")
        area.text = area.text.replace('code = "A01"', 'code = "B01"').replace(
            'phone = "13951230101"', 'phone = "1395x"'
        )
        await pilot.press("f2")
        await until(pilot, lambda: "来电号码" in text_of(app, "#dialog-error"), "the refusal")
        area.text = area.text.replace('phone = "1395x"', 'phone = "13951239999"')
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, TrainerScreen), "saved")
        grid = app.screen.query_one("#trainer-grid", DataTable)
        await until(
            pilot, lambda: "B01" in [c.label.plain for c in grid.ordered_columns], "the column"
        )
    with Store.open(sandbox_db) as store:
        saved = training.scenario(store.conn, "B01")
        by = store.conn.execute(
            "SELECT saved_by FROM training_scenarios WHERE code = 'B01'"
        ).fetchone()[0]
    assert (saved.caller.phone, by) == ("13951239999", "tr01")
