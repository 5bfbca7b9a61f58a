"""The training tables: scenarios, attempts with their scores and comments, assignments."""

from __future__ import annotations

import json
import sqlite3

from store.core.events import Event
from store.core.projector import handles, insert, table
from store.training import sandbox as _sandbox  # noqa: F401  (the sandbox table)

# A scenario's new version and a trainee's new set replace the old rows whole.
table("training_scenarios")
table("training_attempts", made_by="training.attempt_started")
table("training_assignments")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@handles("training.scenario_saved")
def _scenario_saved(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute("DELETE FROM training_scenarios WHERE code = ?", (e.subject_id,))
    insert(
        conn,
        "training_scenarios",
        {
            "code": e.subject_id,
            "title": e.payload["title"],
            "outcome": e.payload["body"]["expected"]["outcome"],
            "body": _json(e.payload["body"]),
            "saved_at": e.occurred_at,
            "saved_by": e.actor_id,
        },
    )


@handles("training.attempt_started")
def _started(conn: sqlite3.Connection, e: Event) -> None:
    insert(
        conn,
        "training_attempts",
        {
            "id": e.subject_id,
            "scenario_code": e.payload["scenario"],
            "trainee_id": e.actor_id,
            "mode": e.payload["mode"],
            "exam_id": e.payload["exam_id"],
            "earlier": _json(e.payload["earlier"]),
            "started_at": e.occurred_at,
        },
    )


@handles("training.attempt_scored")
def _scored(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        "UPDATE training_attempts SET finished_at = ?, ticket_id = ?, score = ?, passed = ?,"
        " fatal = ?, items = ?, seconds = ? WHERE id = ? AND finished_at IS NULL",
        (
            e.occurred_at,
            p["ticket_id"],
            p["score"],
            int(p["passed"]),
            _json(p["fatal"]),
            _json(p["items"]),
            p["seconds"],
            e.subject_id,
        ),
    )


@handles("training.commented")
def _commented(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE training_attempts SET comment = ?, commented_by = ?, commented_at = ? WHERE id = ?",
        (e.payload["text"], e.actor_id, e.occurred_at, e.subject_id),
    )


@handles("training.assigned")
def _assigned(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute("DELETE FROM training_assignments WHERE trainee_id = ?", (e.subject_id,))
    for code in e.payload["scenarios"]:
        insert(
            conn,
            "training_assignments",
            {
                "trainee_id": e.subject_id,
                "scenario_code": code,
                "exam": int(e.payload["exam"]),
                "minutes": e.payload["minutes"],
                "assigned_by": e.actor_id,
                "assigned_at": e.occurred_at,
            },
        )
