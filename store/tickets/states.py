"""The ticket state machine of docs/domain.md §3, in one place.

Each command names the states it may start from, the roles allowed to run it and the
state it leads to. Commands check here before they write; the projector uses the same
table to move a ticket on, so the rules and the replay can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from store.core.errors import Forbidden, InvalidState
from store.core.roles import Actor, Role


class State(StrEnum):
    REGISTERED = "registered"
    ANSWERED = "answered"
    NOT_ACCEPTED = "not_accepted"
    TRANSFERRED = "transferred"
    AT_DESK = "at_desk"
    MERGED = "merged"
    DISPATCHED = "dispatched"
    HANDLING = "handling"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"
    EXTENSION_REQUESTED = "extension_requested"
    REPLIED = "replied"
    CALLBACK_PENDING = "callback_pending"
    CALLED_BACK = "called_back"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: "已受理",
    State.ANSWERED: "已直接答复",
    State.NOT_ACCEPTED: "不予受理",
    State.TRANSFERRED: "已转出",
    State.AT_DESK: "专席处理中",
    State.MERGED: "已并单",
    State.DISPATCHED: "待签收",
    State.HANDLING: "办理中",
    State.RETURN_REQUESTED: "退单待审",
    State.RETURNED: "待改派",
    State.EXTENSION_REQUESTED: "延期待审",
    State.REPLIED: "待审核",
    State.CALLBACK_PENDING: "待回访",
    State.CALLED_BACK: "已回访",
    State.ARCHIVED: "已归档",
}

# Closed for the hotline's own work (nothing more is owed to the caller).
CLOSED: frozenset[State] = frozenset(
    {State.ANSWERED, State.NOT_ACCEPTED, State.TRANSFERRED, State.MERGED, State.ARCHIVED}
)
# With a handling unit: what urging, supervision and escalation apply to.
AT_UNIT: frozenset[State] = frozenset(
    {
        State.DISPATCHED,
        State.HANDLING,
        State.RETURN_REQUESTED,
        State.RETURNED,
        State.EXTENSION_REQUESTED,
        State.REPLIED,
    }
)
OPEN: frozenset[State] = frozenset(State) - CLOSED

S = State
R = Role
_INTAKE_ROLES = frozenset({R.AGENT, R.DESK, R.SUPERVISOR, R.TRAINEE, R.TRAINER})
_HOTLINE_ROLES = frozenset({R.AGENT, R.DESK, R.CALLBACK, R.SUPERVISOR, R.TRAINEE, R.TRAINER})
_EVERYONE = frozenset(Role) - {R.SYSTEM}


@dataclass(frozen=True, slots=True)
class Transition:
    """One command of the workflow."""

    label: str  # Chinese name of the action, for messages and the timeline
    sources: frozenset[State] | None  # None: the command creates the ticket
    roles: frozenset[Role]
    target: State | None  # None: the state stays, or the command decides (see projector)


def _t(label, sources, roles, target) -> Transition:
    return Transition(
        label, None if sources is None else frozenset(sources), frozenset(roles), target
    )


# Keyed by event type: the command ``register`` writes ``ticket.registered`` and so on.
TRANSITIONS: dict[str, Transition] = {
    "ticket.registered": _t("受理登记", None, _INTAKE_ROLES, S.REGISTERED),
    "ticket.answered": _t("直接答复", {S.REGISTERED, S.AT_DESK}, _INTAKE_ROLES, S.ANSWERED),
    "ticket.not_accepted": _t("不予受理", {S.REGISTERED, S.AT_DESK}, _INTAKE_ROLES, S.NOT_ACCEPTED),
    "ticket.transferred_emergency": _t(
        "转110/119/120/122", {S.REGISTERED, S.AT_DESK}, _INTAKE_ROLES, S.TRANSFERRED
    ),
    "ticket.transferred_desk": _t(
        "转专席", {S.REGISTERED, S.AT_DESK}, {R.AGENT, R.DESK, R.SUPERVISOR, R.TRAINEE}, S.AT_DESK
    ),
    "ticket.handed_back": _t("专席退回话务", {S.AT_DESK}, {R.DESK, R.SUPERVISOR}, S.REGISTERED),
    "ticket.taken": _t("专席接手", {S.AT_DESK}, {R.DESK}, None),
    "ticket.merged": _t("并单", {S.REGISTERED, S.AT_DESK}, _INTAKE_ROLES, S.MERGED),
    "ticket.dispatched": _t(
        "派单", {S.REGISTERED, S.AT_DESK}, {R.AGENT, R.DESK, R.SUPERVISOR, R.TRAINEE}, S.DISPATCHED
    ),
    "ticket.signed": _t("签收", {S.DISPATCHED}, {R.LIAISON}, S.HANDLING),
    "ticket.contacted": _t("联系来电人", {S.HANDLING, S.EXTENSION_REQUESTED}, {R.LIAISON}, None),
    "ticket.return_requested": _t(
        "申请退单", {S.DISPATCHED, S.HANDLING}, {R.LIAISON}, S.RETURN_REQUESTED
    ),
    # Approved: RETURNED; refused: back to ``resume_state``.
    "ticket.return_decided": _t("审核退单", {S.RETURN_REQUESTED}, {R.SUPERVISOR}, None),
    "ticket.redispatched": _t(
        "改派", {S.RETURNED, S.DISPATCHED, S.HANDLING}, {R.SUPERVISOR}, S.DISPATCHED
    ),
    "ticket.extension_requested": _t("申请延期", {S.HANDLING}, {R.LIAISON}, S.EXTENSION_REQUESTED),
    "ticket.extension_decided": _t("审核延期", {S.EXTENSION_REQUESTED}, {R.SUPERVISOR}, S.HANDLING),
    "ticket.replied": _t("办结答复", {S.HANDLING, S.EXTENSION_REQUESTED}, {R.LIAISON}, S.REPLIED),
    # Accepted: CALLBACK_PENDING; sent back: HANDLING (redo).
    "ticket.reviewed": _t("审核答复", {S.REPLIED}, {R.SUPERVISOR}, None),
    # Reached: CALLED_BACK; not reached: stays CALLBACK_PENDING.
    "ticket.called_back": _t("回访", {S.CALLBACK_PENDING}, {R.CALLBACK, R.SUPERVISOR}, None),
    "ticket.redone": _t("重办", {S.CALLED_BACK}, {R.CALLBACK, R.SUPERVISOR}, S.HANDLING),
    "ticket.urged": _t("催办", AT_UNIT, _HOTLINE_ROLES, None),
    "ticket.supervised": _t("督办", AT_UNIT, {R.SUPERVISOR}, None),
    "ticket.escalated": _t("提级办理", OPEN - {S.REGISTERED}, {R.SUPERVISOR}, None),
    "ticket.noted": _t("备注", frozenset(State), _EVERYONE, None),
    "ticket.caller_revealed": _t(
        "查看来电号码", frozenset(State), {R.CALLBACK, R.SUPERVISOR}, None
    ),
    "ticket.archived": _t(
        "归档",
        {S.ANSWERED, S.NOT_ACCEPTED, S.TRANSFERRED, S.MERGED, S.CALLED_BACK},
        {R.CALLBACK, R.SUPERVISOR},
        S.ARCHIVED,
    ),
}


# Commands that move a ticket on (its state, or who holds it). Of two seats doing one of
# these to the same ticket while offline, the first to reach the central server wins and the
# second is rejected: each such event records how many moves its seat had seen
# (``moves_seen``), and the server accepts it only if it has seen exactly as many.
MOVES: frozenset[str] = frozenset(
    name
    for name, transition in TRANSITIONS.items()
    if transition.sources is not None
    and (
        transition.target is not None
        or name
        in {"ticket.taken", "ticket.return_decided", "ticket.reviewed", "ticket.called_back"}
    )
)
MOVES_SEEN = "moves_seen"


def check(event_type: str, actor: Actor, state: State | None) -> Transition:
    """Raise a domain error unless ``actor`` may do ``event_type`` from ``state``."""
    transition = TRANSITIONS[event_type]
    if actor.role not in transition.roles:
        allowed = "、".join(sorted(r.label for r in transition.roles))
        raise Forbidden(f"{actor.role.label}不能执行“{transition.label}”（限{allowed}）。")
    if transition.sources is not None and state not in transition.sources:
        current = state.label if state else "无"
        raise InvalidState(f"工单当前状态为“{current}”，不能执行“{transition.label}”。")
    return transition
