"""Practising in the training sandbox, for the front ends: scenarios to play, attempts
started and scored, the trainer's grid, comments and assignments, scenarios imported and
exported as TOML (docs/training.md)."""

from __future__ import annotations

from store.core.roles import Actor
from store.core.seat import Store
from store.training import commands, read
from store.training.commands import MODES, assign, comment, finish, new_exam_id, start
from store.training.read import Attempt, Grid, ScenarioRow, Weakness
from store.training.scenarios import ELEMENTS, FLAGS, OUTCOMES, Scenario, from_toml, to_toml
from store.training.scoring import PASS_MARK, RUBRIC, Item, Score

__all__ = [
    "ELEMENTS",
    "FLAGS",
    "MODES",
    "OUTCOMES",
    "PASS_MARK",
    "RUBRIC",
    "Attempt",
    "Grid",
    "Item",
    "Scenario",
    "ScenarioRow",
    "Score",
    "Weakness",
    "assign",
    "attempt",
    "attempts",
    "comment",
    "exam_set",
    "export_scenario",
    "finish",
    "grid",
    "import_scenario",
    "new_exam_id",
    "scenario",
    "scenarios",
    "start",
    "trend",
    "weakest",
]


def scenarios(store: Store, actor: Actor) -> list[ScenarioRow]:
    """Every scenario, those given to ``actor`` first, with their best score."""
    return read.scenarios(store.conn, actor.id)


def scenario(store: Store, code: str) -> Scenario:
    """The scenario kept under ``code`` (refused if there is none)."""
    return commands.scenario(store.conn, code)


def attempts(store: Store, trainee_id: str | None = None, limit: int = 200) -> list[Attempt]:
    """Scored attempts, newest first."""
    return read.attempts(store.conn, trainee_id, limit)


def attempt(store: Store, attempt_id: str) -> Attempt | None:
    return read.attempt(store.conn, attempt_id)


def grid(store: Store) -> Grid:
    return read.grid(store.conn)


def weakest(store: Store, trainee_id: str | None = None) -> list[Weakness]:
    return read.weakest(store.conn, trainee_id)


def trend(store: Store, trainee_id: str) -> list[tuple[str, int]]:
    return read.trend(store.conn, trainee_id)


def exam_set(store: Store, actor: Actor) -> tuple[list[str], int]:
    """The exam given to ``actor``: its scenarios and minutes (empty if none)."""
    return read.exam_set(store.conn, actor.id)


def import_scenario(store: Store, actor: Actor, text: str) -> Scenario:
    """Read a scenario file's text and keep it (a new one, or a new version)."""
    found = from_toml(text)
    commands.save_scenario(store, actor, found)
    return found


def export_scenario(store: Store, code: str) -> str:
    """The scenario ``code`` as a TOML file's text."""
    return to_toml(commands.scenario(store.conn, code))
