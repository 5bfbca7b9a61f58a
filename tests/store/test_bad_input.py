"""Bad input gets a clear Chinese error and writes nothing."""

from __future__ import annotations

import pytest
from support.lifecycle import bring_to, draft, event_count

from store.core.errors import DomainError
from store.core.validation import mask_phone, normalize_phone
from store.tickets import workflow as w
from store.tickets.states import State

BAD_DRAFTS = {
    "empty content": (dict(content="   "), "content", "请填写诉求内容"),
    "10,000 characters": (dict(content="噪" * 10_000), "content", "过长"),
    "phone with letters": (dict(caller_phone="138abc45678"), "caller_phone", "只能包含数字"),
    "phone too short": (dict(caller_phone="13812"), "caller_phone", "位数不对"),
    "escape sequence": (dict(content="施工噪声\x1b[31m很大"), "content", "控制字符"),
    "NUL byte": (dict(caller_name="王\x00先生"), "caller_name", "控制字符"),
    "bidi override": (dict(address="梧桐路\u202e88号"), "address", "控制字符"),
    "unknown topic": (dict(topic_code="9999"), "topic_code", "诉求分类不存在"),
    "no topic": (dict(topic_code=""), "topic_code", "请选择诉求分类"),
    "unknown district": (dict(district_code="D9"), "district_code", "区县不存在"),
    "street of another district": (
        dict(district_code="D2", street_code="S11"),
        "street_code",
        "不属于",
    ),
    "unknown type": (dict(type="rant"), "type", "诉求类型无效"),
    "not a string": (dict(content=12345), "content", "必须是文字"),
    "missing phone on a phone call": (dict(caller_phone=""), "caller_phone", "请填写来电号码"),
    "bad 110 incident number": (dict(incident_110="JC-01;DROP"), "incident_110", "110 警情号"),
}


@pytest.mark.parametrize("case", sorted(BAD_DRAFTS))
def test_bad_draft_is_refused_with_the_field_named(store, actors, case):
    overrides, field, message = BAD_DRAFTS[case]
    before = event_count(store)
    with pytest.raises(DomainError) as info:
        w.register(store, actors["a1"], draft(**overrides))
    assert info.value.field == field
    assert message in info.value.message
    assert event_count(store) == before
    assert store.conn.execute("SELECT count(*) FROM number_counters").fetchone()[0] == 0


def test_markup_is_just_text(store, actors):
    t = w.register(
        store, actors["a1"], draft(content="[/red][link=x]点我[/link] [bold]救命")
    ).subject_id
    assert (
        store.conn.execute("SELECT content FROM tickets WHERE id=?", (t,)).fetchone()[0]
        == "[/red][link=x]点我[/link] [bold]救命"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a, t: w.dispatch(s, a["a1"], t, "NOPE"),
        lambda s, a, t: w.dispatch(s, a["a1"], t, "U2", ["U2"]),
        lambda s, a, t: w.dispatch(s, a["a1"], t, "U2", ["GHOST"]),
        lambda s, a, t: w.transfer_desk(s, a["a1"], t, "NODESK"),
        lambda s, a, t: w.not_accept(s, a["a1"], t, "NOREASON"),
        lambda s, a, t: w.transfer_emergency(s, a["a1"], t, "911"),
        lambda s, a, t: w.answer_directly(s, a["a1"], t, "", []),
        lambda s, a, t: w.answer_directly(s, a["a1"], t, "已告知", ["bad id with spaces"]),
        lambda s, a, t: w.note(s, a["a1"], t, "\x07响铃"),
        lambda s, a, t: w.merge(s, a["a1"], t, "no-such-ticket"),
    ],
    ids=[
        "unknown unit",
        "lead also assisting",
        "unknown assisting unit",
        "unknown desk",
        "unknown reason",
        "unknown line",
        "empty answer",
        "bad kb id",
        "control char note",
        "unknown merge target",
    ],
)
def test_bad_command_arguments_write_nothing(store, actors, call):
    t = bring_to(store, actors, State.REGISTERED)
    before = event_count(store)
    with pytest.raises(DomainError) as info:
        call(store, actors, t)
    assert info.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    assert event_count(store) == before


def test_unknown_ticket(store, actors):
    with pytest.raises(DomainError, match="工单不存在"):
        w.sign(store, actors["l2"], "019a0000-0000-7000-8000-000000000000")


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0573-8888 1234", "057388881234"),
        ("88881234", "88881234"),
        ("（0573）88881234", "057388881234"),
    ],
)
def test_phone_numbers_as_typed(typed, kept):
    assert normalize_phone(typed) == kept


def test_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("057388881234") == "057*****1234"
