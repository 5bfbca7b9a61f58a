"""Scoring an attempt against its scenario: the rubric, its weights, and the fatal errors.

Pure: it reads what the trainee did (:class:`Handled`, gathered from the sandbox's ticket)
and the scenario, and says for each rubric item what was expected, what was done and the
points earned. docs/training.md prints the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from store.tickets.states import AT_UNIT, State
from store.tickets.vocabulary import TYPES, URGENCIES
from store.training.scenarios import ELEMENTS, FLAGS, OUTCOMES, Scenario

# The rubric: item -> (label, weight). The weights add up to 100.
RUBRIC: dict[str, tuple[str, int]] = {
    "elements": ("五要素完整准确", 25),
    "classification": ("分类（类型、分类、紧急程度、标记）", 20),
    "outcome": ("办理方式与去向", 25),
    "knowledge": ("知识库使用", 10),
    "speech": ("话术（应说的话、不应说的话）", 15),
    "time": ("用时", 5),
}
PASS_MARK = 60

EMERGENCY_MISSED = "紧急情况未转 {line}：来电人可能有危险"
PRIVATE_EXPOSED = "泄露了他人信息（{what}）"


@dataclass(frozen=True, slots=True)
class Handled:
    """What the trainee did in the attempt (None ticket: nothing was registered)."""

    ticket: dict[str, Any] | None
    said: str  # every text the trainee wrote: content, request, answer, explanation, notes
    unit_name: str = ""
    desk_name: str = ""
    kb_titles: tuple[str, ...] = ()
    merged_into_phone: str = ""
    seconds: int = 0


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: str
    weight: int
    earned: float
    expected: str
    done: str


@dataclass(frozen=True, slots=True)
class Score:
    total: int
    passed: bool
    fatal: tuple[str, ...]
    items: tuple[Item, ...]


def outcome_of(ticket: dict[str, Any] | None) -> str:
    """The outcome a ticket's state shows ('' while it is only registered)."""
    if ticket is None:
        return ""
    state = State(ticket["state"])
    if state in AT_UNIT:
        return "dispatch"
    return {
        State.ANSWERED: "answer",
        State.AT_DESK: "desk",
        State.TRANSFERRED: "emergency",
        State.NOT_ACCEPTED: "not_accepted",
        State.MERGED: "merge",
    }.get(state, "")


def score(scenario: Scenario, done: Handled) -> Score:
    """Score ``done`` against ``scenario`` on :data:`RUBRIC`; fatal errors fail it."""
    items = (
        _elements(scenario, done),
        _classification(scenario, done),
        _outcome(scenario, done),
        _knowledge(scenario, done),
        _speech(scenario, done),
        _time(scenario, done),
    )
    if done.ticket is None:  # nothing handled earns nothing, the time and silence included
        items = tuple(replace(item, earned=0.0) for item in items)
    fatal = _fatal(scenario, done)
    total = round(sum(item.earned for item in items))
    return Score(total, not fatal and total >= PASS_MARK, fatal, items)


def _item(key: str, share: float, expected: str, done: str) -> Item:
    label, weight = RUBRIC[key]
    return Item(key, label, weight, round(weight * max(0.0, min(1.0, share)), 1), expected, done)


def _elements(scenario: Scenario, done: Handled) -> Item:
    wanted = scenario.expected.elements
    if not wanted:
        return _item("elements", 1, "（本情景不要求）", "—")
    t = done.ticket or {}
    caller = scenario.caller
    has = {
        "who": bool(t.get("caller_phone") == caller.phone)
        and (not caller.gives_name or _same_surname(t.get("caller_name", ""), caller.name)),
        "when": bool(t.get("happened")),
        "where": bool(t.get("district_code"))
        and (not caller.district or t.get("district_code") == caller.district)
        and (not caller.address or caller.address in t.get("address", "")),
        "what": len(t.get("content", "")) >= 10,
        "ask": bool(t.get("request")),
    }
    got = [key for key in wanted if has[key]]
    missing = [ELEMENTS[key] for key in wanted if not has[key]]
    expected = "、".join(ELEMENTS[k] for k in wanted)
    if caller.address:
        expected += f"（地址含“{caller.address}”）"
    shown = "齐全准确" if not missing else "缺少或有误：" + "、".join(missing)
    return _item("elements", len(got) / len(wanted), expected, shown)


def _same_surname(recorded: str, name: str) -> bool:
    return bool(recorded) and (not name or recorded[0] == name[0])


def _classification(scenario: Scenario, done: Handled) -> Item:
    e, t = scenario.expected, done.ticket or {}
    share = 0.0
    notes = []
    if t.get("type") == e.type:
        share += 0.25
    else:
        notes.append(f"类型 {TYPES.get(t.get('type', ''), '未填')}")
    topic = t.get("topic_code", "")
    if topic == e.topic:
        share += 0.35
    elif topic[:2] == e.topic[:2]:
        share += 0.15
        notes.append(f"分类 {topic}（大类对）")
    else:
        notes.append(f"分类 {topic or '未填'}")
    if t.get("urgency") == e.urgency:
        share += 0.2
    else:
        notes.append(f"紧急程度 {URGENCIES.get(t.get('urgency', ''), '未填')}")
    marked = {flag for flag in FLAGS if t.get(flag)}
    wrong = marked ^ set(e.flags)
    share += 0.2 * (1 - len(wrong) / len(FLAGS))
    if wrong:
        notes.append("标记不符：" + "、".join(FLAGS[f] for f in sorted(wrong)))
    flags = "、".join(FLAGS[f] for f in e.flags) or "无"
    expected = f"{TYPES[e.type]} · {e.topic} · {URGENCIES[e.urgency]} · 标记 {flags}"
    return _item("classification", share, expected, "；".join(notes) or "全部正确")


def _outcome(scenario: Scenario, done: Handled) -> Item:
    e = scenario.expected
    got = outcome_of(done.ticket)
    expected = OUTCOMES[e.outcome] + _route(e.outcome, e.unit, e.desk, e.line, e.reason)
    if done.ticket is None:
        return _item("outcome", 0, expected, "没有登记工单")
    t = done.ticket
    done_route = _route(
        got,
        done.unit_name,
        done.desk_name,
        t.get("transfer_line") or "",
        t.get("reason_code") or "",
    )
    shown = (OUTCOMES.get(got) or "只登记、未办理") + done_route
    if got != e.outcome:
        return _item("outcome", 0, expected, shown)
    right = {
        "dispatch": _matches(e.unit, done.unit_name),
        "desk": _matches(e.desk, done.desk_name),
        "emergency": t.get("transfer_line") == e.line,
        "not_accepted": t.get("reason_code") == e.reason,
        "merge": done.merged_into_phone == scenario.caller.phone,
        "answer": True,
    }[got]
    return _item("outcome", 1 if right else 0.6, expected, shown)


def _matches(wanted: str, name: str) -> bool:
    return bool(name) and any(alt and alt in name for alt in wanted.split("|"))


def _route(outcome: str, unit: str, desk: str, line: str, reason: str) -> str:
    target = {
        "dispatch": unit,
        "desk": desk,
        "emergency": line,
        "not_accepted": reason,
        "merge": "来电人的在办工单",
    }.get(outcome, "")
    return f" → {target}" if target else ""


def _knowledge(scenario: Scenario, done: Handled) -> Item:
    wanted = scenario.expected.kb
    cited = "、".join(done.kb_titles) or "未引用"
    if not wanted:
        return _item("knowledge", 1, "（本情景不要求引用）", cited)
    hit = any(w in title for w in wanted for title in done.kb_titles)
    return _item("knowledge", 1 if hit else 0, "引用：" + " 或 ".join(wanted), cited)


def _speech(scenario: Scenario, done: Handled) -> Item:
    e = scenario.expected
    said = done.said
    found = [p for p in e.phrases if any(alt and alt in said for alt in p.split("|"))]
    missing = [p.split("|")[0] for p in e.phrases if p not in found]
    bad = [word for word in e.forbidden if word in said]
    share = (len(found) / len(e.phrases) if e.phrases else 1) * 10 / 15
    share += 0 if bad else 5 / 15
    parts = []
    if missing:
        parts.append("没说到：" + "、".join(missing))
    if bad:
        parts.append("说了不应说的：" + "、".join(bad))
    expected = "应说到：" + ("、".join(p.split("|")[0] for p in e.phrases) or "—")
    if e.forbidden:
        expected += "；不应说：" + "、".join(e.forbidden)
    return _item("speech", share, expected, "；".join(parts) or "到位")


def _time(scenario: Scenario, done: Handled) -> Item:
    goal = scenario.expected.seconds
    share = 1 if done.seconds <= goal else max(0.0, 2 - done.seconds / goal)
    return _item("time", share, f"≤ {goal} 秒", f"{done.seconds} 秒")


def _fatal(scenario: Scenario, done: Handled) -> tuple[str, ...]:
    e = scenario.expected
    out = []
    t = done.ticket or {}
    if e.outcome == "emergency" and t.get("transfer_line") != e.line:
        out.append(EMERGENCY_MISSED.format(line=e.line))
    exposed = [p for p in e.private if p in done.said]
    if exposed:
        out.append(PRIVATE_EXPOSED.format(what="、".join(_masked(p) for p in exposed)))
    return tuple(out)


def _masked(text: str) -> str:
    """Another person's data, shown as a trainer may see it: a phone masked, a name's
    surname only."""
    if text.isdigit() and len(text) >= 7:
        return f"{text[:3]}****{text[-4:]}"
    return text[0] + "某" if text else text
