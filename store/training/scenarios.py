"""Scripted calls (情景): the file format, read and written as TOML.

A scenario holds the caller's lines in the order they are spoken (each after a pause), the
caller's own data, the caller's earlier tickets if the call is a repeat, and the expected
handling the attempt is scored against (docs/training.md describes every key). Reading one
checks every key and says in Chinese which is wrong; nothing half-read is ever kept.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from typing import Any

from store.core.errors import InvalidInput
from store.tickets.vocabulary import TYPES as TICKET_TYPES
from store.tickets.vocabulary import URGENCIES as TICKET_URGENCIES

OUTCOMES = {
    "answer": "直接答复",
    "dispatch": "派单",
    "desk": "转专席",
    "emergency": "转应急热线",
    "not_accepted": "不予受理",
    "merge": "并单",
}
ELEMENTS = {
    "who": "来电人",
    "when": "发生时间",
    "where": "地点",
    "what": "事情经过",
    "ask": "诉求",
}
TYPES = tuple(TICKET_TYPES)
URGENCIES = tuple(TICKET_URGENCIES)
FLAGS = {
    "repeat": "重复来电",
    "business": "涉企",
    "anonymous": "匿名",
    "confidential": "保密",
    "leader_attention": "领导关注",
}
LINES = ("110", "119", "120", "122")
LEVELS = ("基础", "进阶", "综合")
CODE = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
TEXT_MAX = 2000
MAX_LINES = 60


@dataclass(frozen=True, slots=True)
class Line:
    """What the caller says, ``after_s`` seconds after the previous line."""

    text: str
    after_s: float = 3.0


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller's own data: what a good agent records (a name may be withheld)."""

    phone: str
    name: str = ""
    gender: str = ""
    district: str = ""  # district code the matter is in
    address: str = ""  # words the recorded address must contain
    gives_name: bool = True


@dataclass(frozen=True, slots=True)
class Earlier:
    """One of the caller's earlier tickets, registered in the sandbox (under the trainee's
    name, still open) when the attempt starts, so the caller's history shows it."""

    content: str
    topic: str
    type: str = "complaint"
    phone: str = ""  # another caller's ticket (a neighbour's report): their number
    name: str = ""


@dataclass(frozen=True, slots=True)
class Expected:
    """The handling an attempt is scored against."""

    outcome: str
    type: str
    topic: str
    urgency: str = "normal"
    flags: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    unit: str = ""  # dispatch: words in the lead unit's name (alternatives: a|b)
    desk: str = ""  # desk: words in the desk's name (alternatives: a|b)
    line: str = ""  # emergency: 110 / 119 / 120 / 122
    reason: str = ""  # not accepted: the reason code
    kb: tuple[str, ...] = ()  # answer: words in the title of an entry to cite
    phrases: tuple[str, ...] = ()  # each: alternatives separated by |
    forbidden: tuple[str, ...] = ()  # promises and words a seat must not say
    private: tuple[str, ...] = ()  # another person's data: saying it fails the attempt
    seconds: int = 300  # the time a trained agent needs


@dataclass(frozen=True, slots=True)
class Scenario:
    code: str
    title: str
    level: str
    summary: str
    hint: str
    caller: Caller
    lines: tuple[Line, ...]
    expected: Expected
    earlier: tuple[Earlier, ...] = field(default=())

    @property
    def outcome_label(self) -> str:
        return OUTCOMES[self.expected.outcome]


def from_toml(text: str) -> Scenario:
    """Read a scenario file's text; raise :class:`InvalidInput` saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"情景文件格式错误（TOML）：{error}") from None
    return parse(data)


def parse(data: Any) -> Scenario:
    """A scenario from its parsed form (TOML tables, or the JSON the store keeps)."""
    if not isinstance(data, dict):
        raise InvalidInput("情景必须是一个表（键值对）。")
    code = _text(data, "code", "情景编号", limit=24)
    if not CODE.match(code):
        raise InvalidInput("情景编号只能用字母、数字、- 和 _（最多 24 个）。", field="code")
    caller = _table(data, "caller", "来电人")
    expected = _table(data, "expected", "应有处理")
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines or len(lines) > MAX_LINES:
        raise InvalidInput(f"情景须有 1–{MAX_LINES} 句来电人的话（[[lines]]）。", field="lines")
    scenario = Scenario(
        code=code,
        title=_text(data, "title", "情景标题", limit=60),
        level=_choice(data, "level", "难度", LEVELS, default="基础"),
        summary=_text(data, "summary", "情景说明", required=False),
        hint=_text(data, "hint", "练习提示", required=False),
        caller=Caller(
            phone=_phone(caller),
            name=_text(caller, "name", "来电人姓名", required=False, limit=20),
            gender=_choice(caller, "gender", "性别", ("", "男", "女"), default=""),
            district=_text(caller, "district", "所在区县代码", required=False, limit=16),
            address=_text(caller, "address", "地址要点", required=False, limit=60),
            gives_name=_flag(caller, "gives_name", default=True),
        ),
        lines=tuple(_line(item, i) for i, item in enumerate(lines, 1)),
        expected=_expected(expected),
        earlier=tuple(_earlier(item, i) for i, item in enumerate(data.get("earlier") or [], 1)),
    )
    return scenario


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data (what the store keeps, and what TOML is written from)."""
    return asdict(scenario)


def to_toml(scenario: Scenario) -> str:
    """The scenario as a TOML file a trainer can edit and import again."""
    data = to_dict(scenario)
    out = [f"{key} = {_value(data[key])}" for key in ("code", "title", "level", "summary", "hint")]
    for name in ("caller", "expected"):
        out += ["", f"[{name}]"]
        out += [f"{key} = {_value(value)}" for key, value in data[name].items()]
    for name in ("lines", "earlier"):
        for item in data[name]:
            out += ["", f"[[{name}]]"]
            out += [f"{key} = {_value(value)}" for key, value in item.items()]
    return "\n".join(out) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _expected(data: dict[str, Any]) -> Expected:
    outcome = _choice(data, "outcome", "应有办理方式", tuple(OUTCOMES))
    expected = Expected(
        outcome=outcome,
        type=_choice(data, "type", "诉求类型", TYPES),
        topic=_text(data, "topic", "诉求分类代码", limit=16),
        urgency=_choice(data, "urgency", "紧急程度", URGENCIES, default="normal"),
        flags=_words(data, "flags", "标记", allowed=tuple(FLAGS)),
        elements=_words(data, "elements", "五要素", allowed=tuple(ELEMENTS)),
        unit=_text(data, "unit", "承办单位", required=outcome == "dispatch", limit=40),
        desk=_text(data, "desk", "专席", required=outcome == "desk", limit=40),
        line=_choice(data, "line", "应急热线", ("", *LINES), default=""),
        reason=_text(data, "reason", "不予受理原因代码", required=outcome == "not_accepted"),
        kb=_words(data, "kb", "应引用的知识库条目"),
        phrases=_words(data, "phrases", "应说到的话"),
        forbidden=_words(data, "forbidden", "不应说的话"),
        private=_words(data, "private", "他人信息"),
        seconds=_number(data, "seconds", "标准用时（秒）", default=300, low=30, high=3600),
    )
    if outcome == "emergency" and not expected.line:
        raise InvalidInput("转应急热线的情景须写明 line（110/119/120/122）。", field="line")
    return expected


def _line(item: Any, n: int) -> Line:
    if not isinstance(item, dict):
        raise InvalidInput(f"第 {n} 句格式无效。", field="lines")
    after = _number(item, "after_s", f"第 {n} 句的间隔（秒）", default=3, low=0, high=120)
    return Line(_text(item, "text", f"第 {n} 句", limit=TEXT_MAX), float(after))


def _earlier(item: Any, n: int) -> Earlier:
    if not isinstance(item, dict):
        raise InvalidInput(f"第 {n} 张历史工单格式无效。", field="earlier")
    return Earlier(
        content=_text(item, "content", f"第 {n} 张历史工单内容", limit=TEXT_MAX),
        topic=_text(item, "topic", f"第 {n} 张历史工单分类", limit=16),
        type=_choice(item, "type", "诉求类型", TYPES, default="complaint"),
        phone=_phone(item) if item.get("phone") else "",
        name=_text(item, "name", "历史工单来电人", required=False, limit=20),
    )


def _table(data: dict[str, Any], key: str, label: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise InvalidInput(f"情景缺少{label}（[{key}]）。", field=key)
    return value


def _text(
    data: dict[str, Any], key: str, label: str, *, required: bool = True, limit: int = TEXT_MAX
) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(f"{label}（{key}）须是文字。", field=key)
    value = "".join(ch for ch in value.strip() if ch.isprintable() or ch == "\n")
    if required and not value:
        raise InvalidInput(f"情景缺少{label}（{key}）。", field=key)
    if len(value) > limit:
        raise InvalidInput(f"{label}（{key}）不能超过 {limit} 字。", field=key)
    return value


def _choice(
    data: dict[str, Any], key: str, label: str, allowed: tuple[str, ...], default: str | None = None
) -> str:
    value = data.get(key, default)
    if value not in allowed:
        shown = "、".join(a for a in allowed if a) or "（空）"
        raise InvalidInput(f"{label}（{key}）须是：{shown}。", field=key)
    return value


def _words(
    data: dict[str, Any], key: str, label: str, allowed: tuple[str, ...] = ()
) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInput(f"{label}（{key}）须是文字列表。", field=key)
    if allowed and (odd := [v for v in value if v not in allowed]):
        raise InvalidInput(f"{label}（{key}）中的 {'、'.join(odd)} 无效。", field=key)
    return tuple(v.strip() for v in value)


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} 须是 true 或 false。", field=key)
    return value


def _number(data: dict[str, Any], key: str, label: str, *, default: int, low: int, high: int):
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidInput(f"{label}（{key}）须是 {low}–{high} 之间的数。", field=key)
    return int(value) if isinstance(value, int) else value


def _phone(caller: dict[str, Any]) -> str:
    phone = _text(caller, "phone", "来电号码", limit=20)
    if not phone.isdigit() or not 7 <= len(phone) <= 12:
        raise InvalidInput("来电号码须是 7–12 位数字。", field="phone")
    return phone
