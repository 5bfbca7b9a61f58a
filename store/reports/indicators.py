"""The indicators (KPIs) of a period, each by one function, over the tickets registered in it.

How each is counted is written once, here, and in docs/reports.md:

- a ticket belongs to the period of the day it was registered (the centers count by 受理时间);
- **answered directly** (直接答复): closed at intake or by a specialist desk with an answer —
  never dispatched, not refused, not sent to 110 and the other lines, not merged;
- **dispatched**: sent to a unit at least once; its figures are those of the latest dispatch
  (a re-dispatch starts the unit's clocks again);
- **signed on time** (及时签收): signed for the latest dispatch no later than its sign deadline;
  a dispatch counts once it is signed or its sign deadline has passed;
- **replied** (办结): the unit's reply stands — the ticket is waiting for review or a callback,
  called back or archived; a reply sent back for a redo no longer counts until replied again;
- **on time** (按期办结): replied no later than the handling deadline, as extended by the
  extensions approved; a ticket counts once it is replied or its deadline has passed;
- **called back** (回访): reached by the callback of its current reply; every ticket whose reply
  was accepted is due one;
- **satisfied** (满意): the caller's latest rating is one of the city's satisfied levels
  (``satisfied_levels``: whether 基本满意 counts is the city's choice);
- **closed at once** (一次性办结): answered directly or called back, with no redo and no later
  ticket merged into it (a caller who had to ring again about the same matter);
- **hours to sign / to reply**: from the latest dispatch to its signing / to the reply, in
  natural hours, averaged over the tickets signed / replied.

The call indicators (接通率, 15 秒接通率, mean wait) count calls, not tickets: see
:mod:`store.reports.calls`.

A rate whose denominator is nothing is ``None`` (shown as "—"), never 0 or 100 %.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime

from store.core.clock import to_text
from store.directory.config import Config
from store.reports.calls import CallCounts

# The answered-directly rule as SQL over ``tickets t``.
ANSWERED_DIRECTLY = (
    "t.dispatch_count = 0 AND t.reason_code IS NULL AND t.transfer_line IS NULL"
    " AND t.merged_into IS NULL AND t.state IN ('answered', 'archived')"
)
REPLIED = (
    "(t.state IN ('replied', 'callback_pending', 'called_back')"
    " OR (t.state = 'archived' AND t.dispatch_count > 0))"
)
CALLED_BACK = "(t.state = 'called_back' OR (t.state = 'archived' AND t.dispatch_count > 0))"
CALLBACK_DUE = f"(t.state = 'callback_pending' OR {CALLED_BACK})"
SIGNED = "(c.started_at IS NOT NULL AND c.started_at >= s.started_at)"

# The tickets of a period with the clocks of their latest dispatch: s(ign), c(ontact, which
# signing starts), h(andle).
COHORT = (
    "FROM tickets t"
    " LEFT JOIN clocks s ON s.ticket_id = t.id AND s.kind = 'sign'"
    " LEFT JOIN clocks c ON c.ticket_id = t.id AND c.kind = 'contact'"
    " LEFT JOIN clocks h ON h.ticket_id = t.id AND h.kind = 'handle'"
    " WHERE t.registered_at >= :start AND t.registered_at < :end"
)


def _hours(a: str, b: str) -> str:
    return f"(julianday({b}) - julianday({a})) * 24.0"


# One pass over the cohort: every count the indicators are made of.
_COUNTS = f"""
SELECT
  count(*) AS registered,
  coalesce(sum({ANSWERED_DIRECTLY}), 0) AS answered_directly,
  coalesce(sum(t.dispatch_count > 0), 0) AS dispatched,
  coalesce(sum(t.dispatch_count > 0 AND ({SIGNED} OR s.due_at <= :now)), 0) AS sign_due,
  coalesce(sum(t.dispatch_count > 0 AND {SIGNED} AND c.started_at <= s.due_at), 0)
    AS signed_on_time,
  coalesce(sum(t.dispatch_count > 0 AND {SIGNED}), 0) AS signed,
  sum(CASE WHEN t.dispatch_count > 0 AND {SIGNED}
      THEN {_hours("s.started_at", "c.started_at")} END) AS sign_hours,
  coalesce(sum(t.dispatch_count > 0 AND {REPLIED}), 0) AS replied,
  coalesce(sum(t.dispatch_count > 0 AND ({REPLIED} OR h.due_at <= :now)), 0) AS handle_due,
  coalesce(sum(t.dispatch_count > 0 AND {REPLIED} AND h.stopped_at <= h.due_at), 0)
    AS replied_on_time,
  sum(CASE WHEN t.dispatch_count > 0 AND {REPLIED}
      THEN {_hours("s.started_at", "h.stopped_at")} END) AS reply_hours,
  coalesce(sum({CALLBACK_DUE}), 0) AS callback_due,
  coalesce(sum({CALLED_BACK}), 0) AS called_back,
  coalesce(sum(t.satisfaction IS NOT NULL), 0) AS rated,
  coalesce(sum(t.satisfaction IN (SELECT value FROM json_each(:satisfied))), 0) AS satisfied,
  coalesce(sum({ANSWERED_DIRECTLY} OR {CALLED_BACK}), 0) AS closed,
  coalesce(sum(({ANSWERED_DIRECTLY} OR {CALLED_BACK}) AND t.redo_count = 0
      AND NOT EXISTS (SELECT 1 FROM tickets m WHERE m.merged_into = t.id)), 0) AS closed_at_once
{COHORT}
"""


@dataclass(frozen=True, slots=True)
class Counts:
    """The counts of a period's tickets the indicators are made of."""

    registered: int
    answered_directly: int
    dispatched: int
    sign_due: int
    signed_on_time: int
    signed: int
    sign_hours: float | None  # summed over the signed
    replied: int
    handle_due: int
    replied_on_time: int
    reply_hours: float | None  # summed over the replied
    callback_due: int
    called_back: int
    rated: int
    satisfied: int
    closed: int
    closed_at_once: int


def counts(
    conn: sqlite3.Connection,
    bounds: tuple[str, str],
    now: datetime,
    config: Config,
    where: str = "",
    params: dict | None = None,
) -> Counts:
    """The counts over the tickets registered from ``bounds[0]`` up to ``bounds[1]`` (stored
    times; a period's :meth:`~store.reports.periods.Period.bounds`, or a shift's) and
    matching ``where``, an SQL condition on ``t``, with deadlines judged at ``now``."""
    start, end = bounds
    sql = _COUNTS + (f" AND ({where})" if where else "")
    row = conn.execute(
        sql,
        {
            "start": start,
            "end": end,
            "now": to_text(now),
            "satisfied": json.dumps(config.satisfied_levels, ensure_ascii=False),
            **(params or {}),
        },
    ).fetchone()
    return Counts(*row)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def direct_answer_rate(c: Counts) -> float | None:
    """直接答复率: answered directly / registered."""
    return _rate(c.answered_directly, c.registered)


def timely_sign_rate(c: Counts) -> float | None:
    """及时签收率: signed on time / dispatches due to be signed."""
    return _rate(c.signed_on_time, c.sign_due)


def on_time_close_rate(c: Counts) -> float | None:
    """按期办结率: replied on time / tickets due to be replied."""
    return _rate(c.replied_on_time, c.handle_due)


def close_rate(c: Counts) -> float | None:
    """办结率: replied / dispatched."""
    return _rate(c.replied, c.dispatched)


def callback_rate(c: Counts) -> float | None:
    """回访率: called back / due for a callback."""
    return _rate(c.called_back, c.callback_due)


def satisfaction_rate(c: Counts) -> float | None:
    """满意率: satisfied / rated."""
    return _rate(c.satisfied, c.rated)


def one_time_close_rate(c: Counts) -> float | None:
    """一次性办结率: closed at once / closed."""
    return _rate(c.closed_at_once, c.closed)


def mean_sign_hours(c: Counts) -> float | None:
    """平均签收时长 in hours, over the tickets signed."""
    return c.sign_hours / c.signed if c.signed and c.sign_hours is not None else None


def mean_reply_hours(c: Counts) -> float | None:
    """平均办结时长 in hours, over the tickets replied."""
    return c.reply_hours / c.replied if c.replied and c.reply_hours is not None else None


@dataclass(frozen=True, slots=True)
class Indicators:
    """A period's indicators (rates as fractions 0–1; None where nothing was due)."""

    answer_rate: float | None
    answered_within_15s_rate: float | None
    mean_wait_seconds: float | None
    direct_answer_rate: float | None
    timely_sign_rate: float | None
    on_time_close_rate: float | None
    close_rate: float | None
    callback_rate: float | None
    satisfaction_rate: float | None
    one_time_close_rate: float | None
    mean_sign_hours: float | None
    mean_reply_hours: float | None

    def as_json(self) -> dict[str, float | None]:
        """The indicators by name, rounded for reading."""
        return {k: None if v is None else round(v, 4) for k, v in asdict(self).items()}


LABELS: dict[str, str] = {
    "answer_rate": "接通率",
    "answered_within_15s_rate": "15秒接通率",
    "mean_wait_seconds": "平均等待时长（秒）",
    "direct_answer_rate": "直接答复率",
    "timely_sign_rate": "及时签收率",
    "on_time_close_rate": "按期办结率",
    "close_rate": "办结率",
    "callback_rate": "回访率",
    "satisfaction_rate": "满意率",
    "one_time_close_rate": "一次性办结率",
    "mean_sign_hours": "平均签收时长（小时）",
    "mean_reply_hours": "平均办结时长（小时）",
}


def indicators(c: Counts, calls: CallCounts | None = None) -> Indicators:
    """Every indicator of the counts: the tickets' from ``c``, the calls' from ``calls``
    (None where the calls are not counted, as for a part of the tickets)."""
    return Indicators(
        calls.answer_rate if calls else None,
        calls.answered_within_15s_rate if calls else None,
        calls.mean_wait_seconds if calls else None,
        direct_answer_rate(c),
        timely_sign_rate(c),
        on_time_close_rate(c),
        close_rate(c),
        callback_rate(c),
        satisfaction_rate(c),
        one_time_close_rate(c),
        mean_sign_hours(c),
        mean_reply_hours(c),
    )
