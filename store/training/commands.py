"""The training sandbox's commands: scenarios saved, attempts started and scored, a
trainer's comment and assignments. Events on the ``training`` stream.

Practice happens only in a sandbox store: every command here refuses a production one.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from store.core import judging
from store.core.clock import from_text
from store.core.db import transaction
from store.core.errors import Forbidden, InvalidInput, NotFound
from store.core.events import Event
from store.core.payloads import Anything, Count, Flag, Key, Keys, OneOf, Schema, Text
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.core.validation import NOTE_MAX
from store.tickets.workflow import TicketDraft
from store.tickets.workflow import register as register_ticket
from store.training import sandbox, scoring
from store.training.scenarios import Scenario, parse, to_dict

MODES = {"practice": "练习", "exam": "考试"}
PRACTISING = frozenset({Role.TRAINEE, Role.TRAINER})
TEACHING = frozenset({Role.TRAINER})
EXAM_MINUTES_MAX = 240
# The words a trainee wrote, wherever the workflow keeps them.
_SAID = ("content", "request", "answer", "explanation", "note", "instructions", "reason")


def _in_sandbox(store: Store) -> None:
    if not sandbox.is_sandbox(store.conn):
        raise Forbidden("情景练习只能在培训环境（hotline sandbox new）中进行，生产座席不能练习。")


def _role(actor: Actor, allowed: frozenset[Role], what: str) -> None:
    if actor.role not in allowed:
        names = "、".join(r.label for r in sorted(allowed))
        raise Forbidden(f"{actor.role.label}不能{what}（限{names}）。")


def _subject_any(roles: frozenset[Role], what: str):
    def hook(store: Store, actor: Actor, event: Event, payload: dict) -> None:
        _role(actor, roles, what)

    return hook


judging.declare(
    "training.scenario_saved",
    Schema({"title": Text("情景标题", 60, required=True), "body": Anything()}),
    stream="training",
    subject=_subject_any(TEACHING | {Role.SYSTEM}, "编写情景"),
)
judging.declare(
    "training.attempt_started",
    Schema(
        {
            "scenario": Key("情景编号"),
            "mode": OneOf("方式", tuple(MODES)),
            "exam_id": Text("考试编号", 40),
            "earlier": Keys("历史工单"),
        }
    ),
    stream="training",
    subject=_subject_any(PRACTISING, "练习情景"),
)
judging.declare(
    "training.attempt_scored",
    Schema(
        {
            "ticket_id": Text("工单", 40, nullable=True),
            "score": Count("得分", 0, 100),
            "passed": Flag("是否通过"),
            "fatal": Anything(),
            "items": Anything(),
            "seconds": Count("用时", 0, 86400),
        }
    ),
    stream="training",
    subject=_subject_any(PRACTISING, "练习情景"),
)
judging.declare(
    "training.commented",
    Schema({"text": Text("点评", NOTE_MAX, required=True)}),
    stream="training",
    subject=_subject_any(TEACHING, "点评"),
)
judging.declare(
    "training.assigned",
    Schema(
        {
            "scenarios": Keys("情景"),
            "exam": Flag("考试"),
            "minutes": Count("考试时长（分钟）", 0, EXAM_MINUTES_MAX),
        }
    ),
    stream="training",
    subject=_subject_any(TEACHING, "布置练习"),
)


def _emit(store: Store, actor: Actor, kind: str, subject: str, raw: dict[str, Any]) -> Event:
    context = judging.Context(store, actor, subject, None, store.now())
    payload = judging.prepare(context, kind, raw)
    return store.emit(actor, kind, payload, subject_id=subject, stream="training")


def save_scenario(store: Store, actor: Actor, scenario: Scenario) -> Event:
    """Keep ``scenario`` (new, or a new version of the one with its code)."""
    _in_sandbox(store)
    _role(actor, TEACHING | {Role.SYSTEM}, "编写情景")
    with transaction(store.conn):
        raw = {"title": scenario.title, "body": to_dict(scenario)}
        return _emit(store, actor, "training.scenario_saved", scenario.code, raw)


def scenario(conn: sqlite3.Connection, code: str) -> Scenario:
    """The scenario kept under ``code``."""
    row = conn.execute("SELECT body FROM training_scenarios WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFound(f"没有编号为 {code} 的情景。")
    return parse(json.loads(row["body"]))


def start(store: Store, actor: Actor, code: str, mode: str = "practice", exam_id: str = "") -> str:
    """Begin an attempt at scenario ``code``: the caller's earlier tickets are put in the
    sandbox first. Returns the attempt's id."""
    _in_sandbox(store)
    _role(actor, PRACTISING, "练习情景")
    if mode not in MODES:
        raise InvalidInput("练习方式无效。")
    with transaction(store.conn):
        played = scenario(store.conn, code)
        # A city's own directory may not have the sample's districts: then none is recorded.
        known = store.conn.execute(
            "SELECT 1 FROM districts WHERE code = ?", (played.caller.district,)
        ).fetchone()
        district = played.caller.district if known else ""
        earlier = [
            register_ticket(
                store,
                actor,
                TicketDraft(
                    content=e.content,
                    topic_code=e.topic,
                    type=e.type,
                    caller_phone=e.phone or played.caller.phone,
                    caller_name=e.name if e.phone else played.caller.name,
                    district_code=district,
                ),
            ).subject_id
            or ""
            for e in played.earlier
        ]
        attempt_id = store.new_id()
        raw = {"scenario": code, "mode": mode, "exam_id": exam_id, "earlier": earlier}
        _emit(store, actor, "training.attempt_started", attempt_id, raw)
    return attempt_id


def new_exam_id() -> str:
    """An id naming one sitting of an exam (its attempts share it)."""
    return "exam-" + uuid.uuid4().hex[:12]


def finish(store: Store, actor: Actor, attempt_id: str) -> scoring.Score:
    """Score the attempt on what the trainee did since it began; the score is kept."""
    _in_sandbox(store)
    with transaction(store.conn):
        attempt = _attempt(store.conn, attempt_id)
        if attempt["trainee_id"] != actor.id:
            raise Forbidden("只能结束自己的练习。")
        if attempt["finished_at"] is not None:
            raise InvalidInput("这次练习已经评分。")
        played = scenario(store.conn, attempt["scenario_code"])
        done = handled(store, attempt)
        result = scoring.score(played, done)
        raw = {
            "ticket_id": (done.ticket or {}).get("id"),
            "score": result.total,
            "passed": result.passed,
            "fatal": list(result.fatal),
            "items": [item_dict(i) for i in result.items],
            "seconds": done.seconds,
        }
        _emit(store, actor, "training.attempt_scored", attempt_id, raw)
    return result


def item_dict(item: scoring.Item) -> dict[str, Any]:
    """A rubric item as the score event keeps it."""
    return {
        "key": item.key,
        "label": item.label,
        "weight": item.weight,
        "earned": item.earned,
        "expected": item.expected,
        "done": item.done,
    }


def handled(store: Store, attempt: sqlite3.Row) -> scoring.Handled:
    """What the trainee did during ``attempt``: the last ticket they registered since it
    began (the caller's seeded history aside) and everything they wrote on it."""
    conn = store.conn
    earlier = json.loads(attempt["earlier"] or "[]")
    rows = conn.execute(
        "SELECT * FROM tickets WHERE registered_by = ? AND registered_at >= ?"
        " ORDER BY registered_at DESC, id DESC LIMIT ?",
        (attempt["trainee_id"], attempt["started_at"], len(earlier) + 1),
    )
    row = next((r for r in rows if r["id"] not in earlier), None)
    seconds = int((store.now() - from_text(attempt["started_at"])).total_seconds())
    if row is None:
        return scoring.Handled(None, "", seconds=max(0, seconds))
    ticket = dict(row)
    said = []
    for (payload,) in conn.execute(
        "SELECT payload FROM events WHERE subject_id = ? AND actor_id = ? ORDER BY pos",
        (ticket["id"], attempt["trainee_id"]),
    ):
        data = json.loads(payload)
        said += [str(data[k]) for k in _SAID if data.get(k)]
    unit = conn.execute(
        "SELECT name FROM units WHERE id = ?", (ticket.get("lead_unit_id") or "",)
    ).fetchone()
    desk = conn.execute("SELECT name FROM desks WHERE id = ?", (ticket.get("desk_id") or "",))
    desk = desk.fetchone()
    refs = json.loads(ticket.get("kb_refs") or "[]")
    titles = [
        row["title"]
        for ref in refs
        if (row := conn.execute("SELECT title FROM kb_entries WHERE id = ?", (ref,)).fetchone())
    ]
    into = conn.execute(
        "SELECT caller_phone FROM tickets WHERE id = ?", (ticket.get("merged_into") or "",)
    ).fetchone()
    return scoring.Handled(
        ticket=ticket,
        said="\n".join(said),
        unit_name=unit["name"] if unit else "",
        desk_name=desk["name"] if desk else "",
        kb_titles=tuple(titles),
        merged_into_phone=into["caller_phone"] if into else "",
        seconds=max(0, seconds),
    )


def comment(store: Store, actor: Actor, attempt_id: str, text: str) -> Event:
    """The trainer's comment on an attempt, which the trainee sees with the score."""
    _in_sandbox(store)
    _role(actor, TEACHING, "点评")
    with transaction(store.conn):
        _attempt(store.conn, attempt_id)
        return _emit(store, actor, "training.commented", attempt_id, {"text": text})


def assign(
    store: Store,
    actor: Actor,
    trainee_id: str,
    codes: list[str],
    exam: bool = False,
    minutes: int = 0,
) -> Event:
    """Give a trainee a set of scenarios to practise (or, ``exam``, to sit in ``minutes``);
    it replaces the set given before."""
    _in_sandbox(store)
    _role(actor, TEACHING, "布置练习")
    with transaction(store.conn):
        row = store.conn.execute(
            "SELECT role FROM agents WHERE id = ? AND active = 1", (trainee_id,)
        ).fetchone()
        if row is None or row["role"] != Role.TRAINEE:
            raise NotFound(f"没有学员 {trainee_id[:20]}。")
        for code in codes:
            scenario(store.conn, code)
        if exam and not 1 <= minutes <= EXAM_MINUTES_MAX:
            raise InvalidInput(f"考试时长须在 1–{EXAM_MINUTES_MAX} 分钟之间。", field="minutes")
        raw = {"scenarios": list(codes), "exam": exam, "minutes": minutes if exam else 0}
        return _emit(store, actor, "training.assigned", trainee_id, raw)


def _attempt(conn: sqlite3.Connection, attempt_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM training_attempts WHERE id = ?", (attempt_id,)).fetchone()
    if row is None:
        raise NotFound("没有这次练习。")
    return row
