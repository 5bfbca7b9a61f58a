"""What the training screens read: scenarios to play, a trainee's attempts, the trainer's
grid of trainees × scenarios, the weakest rubric items, one attempt side by side."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from store.training.scenarios import Scenario, parse


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    code: str
    title: str
    level: str
    outcome: str  # the expected outcome's code
    assigned: bool  # given to this trainee
    exam: bool  # given as part of an exam
    best: int | None  # this trainee's best score
    tries: int


@dataclass(frozen=True, slots=True)
class Attempt:
    id: str
    scenario_code: str
    scenario_title: str
    trainee_id: str
    trainee_name: str
    mode: str
    exam_id: str
    started_at: str
    finished_at: str | None
    score: int | None
    passed: bool
    fatal: list[str]
    items: list[dict]
    seconds: int | None
    comment: str
    ticket_id: str | None


@dataclass(frozen=True, slots=True)
class Grid:
    """Trainees × scenarios: each cell the latest score (None: not tried)."""

    trainees: list[tuple[str, str]]  # (id, name)
    scenarios: list[tuple[str, str]]  # (code, title)
    cells: dict[tuple[str, str], int | None]
    tries: dict[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Weakness:
    label: str
    share: float  # points earned / points possible, over the attempts counted
    attempts: int


def scenarios(conn: sqlite3.Connection, trainee_id: str) -> list[ScenarioRow]:
    """Every scenario, the trainee's assigned ones first, with their best score."""
    rows = conn.execute(
        "SELECT s.code, s.title, s.outcome, s.body, a.scenario_code IS NOT NULL AS assigned,"
        " coalesce(a.exam, 0) AS exam,"
        " (SELECT max(score) FROM training_attempts t WHERE t.scenario_code = s.code"
        "   AND t.trainee_id = ? AND t.score IS NOT NULL) AS best,"
        " (SELECT count(*) FROM training_attempts t WHERE t.scenario_code = s.code"
        "   AND t.trainee_id = ?) AS tries"
        " FROM training_scenarios s LEFT JOIN training_assignments a"
        "   ON a.scenario_code = s.code AND a.trainee_id = ?"
        " ORDER BY assigned DESC, s.code",
        (trainee_id, trainee_id, trainee_id),
    ).fetchall()
    return [
        ScenarioRow(
            r["code"],
            r["title"],
            json.loads(r["body"]).get("level", ""),
            r["outcome"],
            bool(r["assigned"]),
            bool(r["exam"]),
            r["best"],
            r["tries"],
        )
        for r in rows
    ]


def exam_set(conn: sqlite3.Connection, trainee_id: str) -> tuple[list[str], int]:
    """The scenarios of the exam given to the trainee, and its minutes (empty: none)."""
    rows = conn.execute(
        "SELECT scenario_code, minutes FROM training_assignments"
        " WHERE trainee_id = ? AND exam = 1 ORDER BY scenario_code",
        (trainee_id,),
    ).fetchall()
    return [r["scenario_code"] for r in rows], (rows[0]["minutes"] if rows else 0)


def scenario_of(conn: sqlite3.Connection, code: str) -> Scenario | None:
    row = conn.execute("SELECT body FROM training_scenarios WHERE code = ?", (code,)).fetchone()
    return parse(json.loads(row["body"])) if row else None


_ATTEMPTS = (
    "SELECT t.*, coalesce(s.title, t.scenario_code) AS scenario_title,"
    " coalesce(a.name, t.trainee_id) AS trainee_name"
    " FROM training_attempts t LEFT JOIN training_scenarios s ON s.code = t.scenario_code"
    " LEFT JOIN agents a ON a.id = t.trainee_id"
)


def _attempt(r: sqlite3.Row) -> Attempt:
    return Attempt(
        r["id"],
        r["scenario_code"],
        r["scenario_title"],
        r["trainee_id"],
        r["trainee_name"],
        r["mode"],
        r["exam_id"],
        r["started_at"],
        r["finished_at"],
        r["score"],
        bool(r["passed"]),
        json.loads(r["fatal"]),
        json.loads(r["items"]),
        r["seconds"],
        r["comment"],
        r["ticket_id"],
    )


def attempts(
    conn: sqlite3.Connection, trainee_id: str | None = None, limit: int = 200
) -> list[Attempt]:
    """Scored attempts, newest first (one trainee's, or everyone's)."""
    where = " WHERE t.finished_at IS NOT NULL"
    args: tuple = ()
    if trainee_id:
        where += " AND t.trainee_id = ?"
        args = (trainee_id,)
    rows = conn.execute(
        _ATTEMPTS + where + " ORDER BY t.finished_at DESC LIMIT ?", (*args, limit)
    ).fetchall()
    return [_attempt(r) for r in rows]


def attempt(conn: sqlite3.Connection, attempt_id: str) -> Attempt | None:
    row = conn.execute(_ATTEMPTS + " WHERE t.id = ?", (attempt_id,)).fetchone()
    return _attempt(row) if row else None


def grid(conn: sqlite3.Connection) -> Grid:
    """Every trainee against every scenario: the latest score of each pair."""
    trainees = [
        (r["id"], r["name"])
        for r in conn.execute(
            "SELECT id, name FROM agents WHERE role = 'trainee' AND active = 1 ORDER BY id"
        )
    ]
    codes = [
        (r["code"], r["title"])
        for r in conn.execute("SELECT code, title FROM training_scenarios ORDER BY code")
    ]
    cells: dict[tuple[str, str], int | None] = {}
    tries: dict[tuple[str, str], int] = defaultdict(int)
    for r in conn.execute(
        "SELECT trainee_id, scenario_code, score FROM training_attempts"
        " WHERE finished_at IS NOT NULL ORDER BY finished_at"
    ):
        key = (r["trainee_id"], r["scenario_code"])
        cells[key] = r["score"]
        tries[key] += 1
    return Grid(trainees, codes, cells, dict(tries))


def weakest(conn: sqlite3.Connection, trainee_id: str | None = None) -> list[Weakness]:
    """The rubric items by the share of their points earned, weakest first."""
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    counted: dict[str, int] = defaultdict(int)
    for found in attempts(conn, trainee_id, limit=1000):
        for item in found.items:
            earned[item["label"]] += item["earned"]
            possible[item["label"]] += item["weight"]
            counted[item["label"]] += 1
    out = [
        Weakness(label, earned[label] / possible[label], counted[label])
        for label in possible
        if possible[label]
    ]
    return sorted(out, key=lambda w: w.share)


def trend(conn: sqlite3.Connection, trainee_id: str) -> list[tuple[str, int]]:
    """The trainee's scores in the order they were earned: (day, score)."""
    return [
        (r["finished_at"][:10], r["score"])
        for r in conn.execute(
            "SELECT finished_at, score FROM training_attempts"
            " WHERE trainee_id = ? AND finished_at IS NOT NULL ORDER BY finished_at",
            (trainee_id,),
        )
    ]
