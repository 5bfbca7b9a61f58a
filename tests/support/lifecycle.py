"""Driving tickets through the workflow in tests: reach any state, run any command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from store import Actor, Store
from store.core.clock import CITY_TZ, from_text
from store.tickets import workflow
from store.tickets.states import State

START = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)  # a Monday, no holiday near


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def event_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM events").fetchone()[0]


Actors = dict[str, Actor]


def draft(**overrides) -> workflow.TicketDraft:
    fields = dict(
        content="来电人反映小区楼下烧烤店油烟直排，影响开窗。",
        topic_code="0303",
        caller_phone="13812345678",
        type="complaint",
        district_code="D1",
        street_code="S11",
        request="要求督促安装油烟净化设施。",
    )
    fields.update(overrides)
    return workflow.TicketDraft(**fields)


def new_ticket(store: Store, a: Actors, **overrides) -> str:
    return workflow.register(store, a["a1"], draft(**overrides)).subject_id


def handle_due(store: Store, t: str):
    row = store.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id=? AND kind='handle'", (t,)
    ).fetchone()
    return from_text(row[0])


def _steps_to(state: State) -> list[Callable[[Store, Actors, str], object]]:
    w = workflow
    S = State
    to_handling = [
        lambda s, a, t: w.dispatch(s, a["a1"], t, "U2"),
        lambda s, a, t: w.sign(s, a["l2"], t),
    ]
    to_replied = to_handling + [
        lambda s, a, t: w.reply(s, a["l2"], t, "已督促商户安装油烟净化器。")
    ]
    to_pending = to_replied + [lambda s, a, t: w.review(s, a["s1"], t, True)]
    paths = {
        S.REGISTERED: [],
        S.ANSWERED: [lambda s, a, t: w.answer_directly(s, a["a1"], t, "已告知。", [])],
        S.NOT_ACCEPTED: [
            lambda s, a, t: w.not_accept(s, a["a1"], t, "LITIGATION", "已告知诉讼渠道")
        ],
        S.TRANSFERRED: [lambda s, a, t: w.transfer_emergency(s, a["a1"], t, "110")],
        S.AT_DESK: [lambda s, a, t: w.transfer_desk(s, a["a1"], t, "YSHJ")],
        S.MERGED: [lambda s, a, t: w.merge(s, a["a1"], t, new_ticket(s, a), "同一诉求")],
        S.DISPATCHED: to_handling[:1],
        S.HANDLING: to_handling,
        S.RETURN_REQUESTED: to_handling
        + [lambda s, a, t: w.request_return(s, a["l2"], t, "不属本单位职责")],
        S.RETURNED: to_handling
        + [
            lambda s, a, t: w.request_return(s, a["l2"], t, "不属本单位职责"),
            lambda s, a, t: w.decide_return(s, a["s1"], t, True),
        ],
        S.EXTENSION_REQUESTED: to_handling
        + [
            lambda s, a, t: w.request_extension(
                s, a["l2"], t, "需协调", s.config().calendar().add_workdays(handle_due(s, t), 3)
            ),
        ],
        S.REPLIED: to_replied,
        S.CALLBACK_PENDING: to_pending,
        S.CALLED_BACK: to_pending
        + [
            lambda s, a, t: w.callback(
                s, a["c1"], t, reached=True, solved=False, satisfaction="不满意"
            ),
        ],
        S.ARCHIVED: [
            lambda s, a, t: w.answer_directly(s, a["a1"], t, "已告知。", []),
            lambda s, a, t: w.archive(s, a["s1"], t),
        ],
    }
    return paths[state]


def bring_to(store: Store, a: Actors, state: State, **overrides) -> str:
    """A new ticket in ``state``, reached through the real commands."""
    t = new_ticket(store, a, **overrides)
    for step in _steps_to(state):
        step(store, a, t)
    actual = store.conn.execute("SELECT state FROM tickets WHERE id=?", (t,)).fetchone()[0]
    assert actual == state, (state, actual)
    return t


# Every workflow command with valid arguments: event type → (prepare → run).
# ``prepare`` may write (e.g. the ticket to merge into); the returned callable runs the command.
Prepared = Callable[[], object]


def _merge(s: Store, a: Actors, t: str) -> Prepared:
    target = new_ticket(s, a)
    return lambda: workflow.merge(s, a["a1"], t, target, "重复来电")


def _extension(s: Store, a: Actors, t: str) -> Prepared:
    row = s.conn.execute(
        "SELECT due_at FROM clocks WHERE ticket_id=? AND kind='handle'", (t,)
    ).fetchone()
    due = s.config().calendar().add_workdays(from_text(row[0]), 3) if row else s.now()
    return lambda: workflow.request_extension(s, liaison(s, a, t), t, "需要协调多个部门", due)


def _callback(s: Store, a: Actors, t: str) -> Prepared:
    """First callback unsatisfied (so redo is reachable), later ones satisfied."""
    redone = s.conn.execute("SELECT redo_count FROM tickets WHERE id=?", (t,)).fetchone()[0]
    level = "满意" if redone else "不满意"
    return lambda: workflow.callback(
        s, a["c1"], t, reached=True, solved=bool(redone), satisfaction=level
    )


LIAISONS = {"U2": "l2", "U3": "l3", "U5": "l5"}


def liaison(s: Store, a: Actors, t: str) -> Actor:
    """The liaison of the ticket's current lead unit (U2's if it has none yet)."""
    lead = s.conn.execute("SELECT lead_unit_id FROM tickets WHERE id=?", (t,)).fetchone()[0]
    return a[LIAISONS.get(lead, "l2")]


def _redispatch_target(s: Store, t: str) -> str:
    lead = s.conn.execute("SELECT lead_unit_id FROM tickets WHERE id=?", (t,)).fetchone()[0]
    return "U3" if lead != "U3" else "U5"


w = workflow
COMMANDS: dict[str, tuple[Callable[[Store, Actors, str], Prepared], str]] = {
    # event type: (prepare, id of an actor whose role may NOT run it)
    "ticket.answered": (
        lambda s, a, t: lambda: w.answer_directly(s, a["a1"], t, "已告知办理流程。", ["LAW-00001"]),
        "l2",
    ),
    "ticket.not_accepted": (
        lambda s, a, t: lambda: w.not_accept(s, a["a1"], t, "LITIGATION", "已告知"),
        "c1",
    ),
    "ticket.transferred_emergency": (
        lambda s, a, t: lambda: w.transfer_emergency(s, a["a1"], t, "110", "three_way"),
        "e1",
    ),
    "ticket.transferred_desk": (
        lambda s, a, t: lambda: w.transfer_desk(s, a["a1"], t, "12333"),
        "c1",
    ),
    "ticket.handed_back": (lambda s, a, t: lambda: w.hand_back(s, a["k1"], t, "不属本专席"), "a1"),
    "ticket.taken": (lambda s, a, t: lambda: w.take(s, a["k1"], t), "a1"),
    "ticket.merged": (_merge, "l2"),
    "ticket.dispatched": (lambda s, a, t: lambda: w.dispatch(s, a["a1"], t, "U2", ["U3"]), "c1"),
    "ticket.signed": (lambda s, a, t: lambda: w.sign(s, liaison(s, a, t), t), "a1"),
    "ticket.contacted": (
        lambda s, a, t: lambda: w.contact(s, liaison(s, a, t), t, "已电话联系来电人"),
        "s1",
    ),
    "ticket.return_requested": (
        lambda s, a, t: lambda: w.request_return(s, liaison(s, a, t), t, "不属本单位职责"),
        "a1",
    ),
    "ticket.return_decided": (lambda s, a, t: lambda: w.decide_return(s, a["s1"], t, True), "a1"),
    "ticket.redispatched": (
        lambda s, a, t: lambda: w.redispatch(s, a["s1"], t, _redispatch_target(s, t)),
        "a1",
    ),
    "ticket.extension_requested": (_extension, "s1"),
    "ticket.extension_decided": (
        lambda s, a, t: lambda: w.decide_extension(s, a["s1"], t, True),
        "l2",
    ),
    "ticket.replied": (
        lambda s, a, t: lambda: w.reply(s, liaison(s, a, t), t, "已处理完毕，商户已整改。"),
        "a1",
    ),
    "ticket.reviewed": (lambda s, a, t: lambda: w.review(s, a["s1"], t, True), "c1"),
    "ticket.called_back": (_callback, "a1"),
    "ticket.redone": (
        lambda s, a, t: lambda: w.redo(s, a["c1"], t, "来电人不满意，诉求合理"),
        "a1",
    ),
    "ticket.urged": (lambda s, a, t: lambda: w.urge(s, a["a1"], t, "来电人催促"), "l2"),
    "ticket.supervised": (lambda s, a, t: lambda: w.supervise(s, a["s1"], t, "请立即办理"), "a1"),
    "ticket.escalated": (lambda s, a, t: lambda: w.escalate(s, a["s1"], t, "群体性诉求"), "a1"),
    "ticket.noted": (lambda s, a, t: lambda: w.note(s, a["a1"], t, "来电人下午再来电"), "system"),
    "ticket.caller_revealed": (
        lambda s, a, t: lambda: w.reveal_caller(s, a["c1"], t, "回访拨号"),
        "a1",
    ),
    "ticket.archived": (
        lambda s, a, t: lambda: w.archive(s, a["s1"], t, "诉求不合理，已解释"),
        "a1",
    ),
}

# Where a command leads when the transition table leaves it to the command.
EXPECTED_AFTER: dict[str, State] = {
    "ticket.return_decided": State.RETURNED,
    "ticket.reviewed": State.CALLBACK_PENDING,
    "ticket.called_back": State.CALLED_BACK,
}
