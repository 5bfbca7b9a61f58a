"""Playing training scenarios on the intake screen (a sandbox only).

F11 chooses a scenario: the caller's number comes in as the switch would put it, the
caller's lines appear one by one beside the form, and the trainee handles the call with the
real form and the real outcome keys. F12 ends the attempt and scores it. An exam plays the
scenarios given, one after another, without hints, against the clock, and shows the scores
only at the end.
"""

from __future__ import annotations

import time

from textual import work
from textual.binding import Binding
from textual.widgets import Input

from console.screens.scenarios import ScenarioPicker, ScoreScreen
from console.widgets.attempt_view import items_of
from console.widgets.script_panel import ScriptPanel
from store import DomainError
from store.services import session, training


class Practice:
    """Mixed into the intake screen: the training keys and the attempt being played."""

    PRACTICE_BINDINGS = [
        Binding("f11", "practise", "情景练习", id="intake.practise", priority=True),
        Binding("f12", "finish_attempt", "结束评分", id="intake.finish_attempt", priority=True),
    ]

    def init_practice(self) -> None:
        self.attempt_id: str | None = None
        self.exam: list[str] = []  # scenarios of the exam still to play
        self.exam_id = ""
        self.exam_scores: list[tuple[str, training.Score]] = []
        self.exam_ends: float | None = None
        self._exam_timer = None

    def practising(self) -> bool:
        """Whether this seat plays scenarios: a sandbox, and a trainee or trainer."""
        actor = self.app.actor
        return (
            bool(self.app.sandbox) and actor is not None and session.opens_queue(actor, "training")
        )

    @work(exclusive=True, group="practice")
    async def action_practise(self) -> None:
        """Choose a scenario (or the exam) and start it."""
        if not self.practising() or self.attempt_id:
            if self.attempt_id:
                self.app.notify("请先按 F12 结束当前情景。", markup=False)
            return
        backend, actor = self.app.backend, self.app.actor
        rows = await backend.call(training.scenarios, actor)
        exam = await backend.call(training.exam_set, actor)
        mine = await backend.call(training.attempts, actor.id, 5)
        chosen = await self.app.push_screen_wait(ScenarioPicker(rows, exam, mine))
        if chosen is None:
            return
        mode, code = chosen
        if mode == "exam":
            codes, minutes = exam
            self.exam, self.exam_id, self.exam_scores = list(codes), training.new_exam_id(), []
            self.exam_ends = time.monotonic() + minutes * 60
            self._exam_timer = self.set_timer(minutes * 60, self._time_up)
            await self._begin(self.exam.pop(0), "exam")
        else:
            await self._begin(code, "practice")

    async def _begin(self, code: str, mode: str) -> None:
        backend, actor = self.app.backend, self.app.actor
        try:
            self.attempt_id = await backend.call(training.start, actor, code, mode, self.exam_id)
            scenario = await backend.call(training.scenario, code)
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        self._clear_call()
        panel = self.query_one(ScriptPanel)
        panel.play(scenario, hint=mode == "practice", ends_at=self.exam_ends)
        phone = self.query_one("#caller_phone", Input)
        self.popped_phone = phone.value = scenario.caller.phone  # as the switch would
        self.lookup(scenario.caller.phone)
        self.refresh_bindings()

    @work(exclusive=True, group="practice")
    async def action_finish_attempt(self) -> None:
        """Score the attempt being played; in an exam, go on to the next scenario."""
        await self._finish()

    async def _finish(self) -> None:
        if not self.attempt_id:
            return
        attempt_id, self.attempt_id = self.attempt_id, None
        try:
            score = await self.app.backend.call(training.finish, self.app.actor, attempt_id)
        except DomainError as error:
            self.attempt_id = attempt_id
            self.app.notify(error.message, severity="error", markup=False)
            return
        panel = self.query_one(ScriptPanel)
        panel.stop()
        code = panel.scenario.code
        self._clear_call()
        self.refresh_bindings()
        if self.exam_id:
            self.exam_scores.append((f"{code} {panel.scenario.title}", score))
            if self.exam and (self.exam_ends is None or time.monotonic() < self.exam_ends):
                await self._begin(self.exam.pop(0), "exam")
                return
            self._exam_over()
            return
        title = f"情景 {code} · {panel.scenario.title}"
        await self.app.push_screen_wait(
            ScoreScreen(title, score.total, score.passed, score.fatal, items_of(score.items))
        )

    def _exam_over(self) -> None:
        """The exam's result: each scenario's score, then the average."""
        scores, self.exam, self.exam_id, self.exam_ends = self.exam_scores, [], "", None
        if self._exam_timer is not None:  # ended early: the clock must not end the next one
            self._exam_timer.stop()
            self._exam_timer = None
        items = [
            {
                "label": name,
                "weight": 100,
                "earned": s.total,
                "expected": "通过" if s.passed else "未通过",
                "done": "；".join(s.fatal) or "",
            }
            for name, s in scores
        ]
        total = round(sum(s.total for _, s in scores) / len(scores)) if scores else 0
        passed = bool(scores) and all(s.passed for _, s in scores)
        self.app.push_screen(ScoreScreen("考试成绩（平均分）", total, passed, [], items))

    @work(exclusive=True, group="practice")
    async def _time_up(self) -> None:
        """The exam's time is over: the scenario being played is scored as it stands."""
        if not self.exam_id:
            return
        self.exam = []
        self.app.notify("考试时间到：正在评分。", markup=False)
        if self.attempt_id:
            await self._finish()
        else:
            self._exam_over()

    def practice_check(self, action: str) -> bool | None:
        """The training keys show only on a practising seat; F12 only during an attempt."""
        if action == "practise":
            return self.practising()
        if action == "finish_attempt":
            return bool(self.attempt_id) if self.practising() else False
        return True
