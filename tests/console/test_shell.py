"""``hotline shell`` driven through the real PromptSession (prompt-toolkit's pipe input):
what it prints, and what the store holds afterwards."""

from __future__ import annotations

import asyncio
import io

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from support.lifecycle import bring_to
from support.pilot import PHONE

from console.shell.completion import LiveValues
from console.shell.context import Context
from console.shell.shell import Shell
from console.shell.terminal import MaskedHistory, Prompter, output
from store import Store
from store.services import session, tickets
from store.tickets.states import State

CTRL_C, CTRL_D, TAB = "\x03", "\x04", "\t"
CONTENT = "小区物业不修楼道灯，已经一个月了。"


def shell_session(store: Store, agent: str, keys: str) -> tuple[int, str]:
    """Log ``agent`` in and type ``keys`` at the shell; the exit status and what it printed."""
    actor = session.sign_in(store, agent, "secret-1")
    printed = io.StringIO()
    values = LiveValues(None, actor)
    values.read(store)
    with create_pipe_input() as keyboard:
        keyboard.send_text(keys)
        prompter = Prompter(input=keyboard, output=DummyOutput())
        status = Shell(Context(store, actor, output(printed, width=80), prompter, values)).loop()
    return status, printed.getvalue()


def lines(*typed: str) -> str:
    return "".join(t + "\r" for t in typed)


def registered(store: Store, phone: str = PHONE) -> list:
    return tickets.find(store, tickets.criteria(phone=phone))


def test_a_guided_registration_is_saved_once_confirmed(store):
    keys = lines(
        "register",
        PHONE,
        "王先生",
        "投诉",
        "wygl" + TAB,  # completion by pinyin initials, as the console's picker
        "hbjd" + TAB,
        "幸福小区3栋",
        CONTENT,
        "[red]楼上[/red]\x1b[2J噪声",  # markup and an escape sequence, as data
        "",  # an empty line ends the text
        "尽快修好",
        "",  # urgency: the default
        "y",
    )
    status, printed = shell_session(store, "a1", keys + CTRL_D)
    assert status == 0, printed
    (ticket,) = registered(store)
    assert "已登记：" in printed and ticket.number[:6] in printed.replace(" ", "")
    detail = tickets.detail(store, ticket.id)
    fields = dict(detail.fields)
    assert "物业管理" in " ".join(fields.values()) and "湖滨街道" in " ".join(fields.values())
    assert CONTENT in fields["诉求内容"] and "[red]楼上[/red]" in fields["诉求内容"]
    assert "\x1b" not in printed and "138" not in printed.replace("138****", "")


def test_nothing_is_saved_unless_confirmed_and_ctrl_c_keeps_the_shell(store):
    keys = lines("register", PHONE, "", "", "wygl", "", "", CONTENT, "", "", "", "n")
    keys += "regis" + CTRL_C + lines(f"lookup {PHONE}") + CTRL_D
    status, printed = shell_session(store, "a1", keys)
    assert status == 0
    assert "已取消，未保存" in printed
    assert registered(store) == []
    assert "的工单 0 件" in printed  # the shell went on after Ctrl+C


def test_a_refused_field_is_asked_again_and_the_rest_kept(store):
    too_long = "长" * 10_000
    keys = lines("register", PHONE, "", "", "wygl", "", "", too_long, "", "", "", "y")
    keys += lines(CONTENT, "", "y") + CTRL_D  # only the content is asked again
    status, printed = shell_session(store, "a1", keys)
    assert status == 0
    assert "诉求内容" in printed and "字" in printed  # the store's own Chinese message
    (ticket,) = registered(store)
    assert dict(tickets.detail(store, ticket.id).fields)["诉求内容"] == CONTENT


def test_a_callback_recorded_in_the_shell_is_in_the_timeline(store, actors):
    t = bring_to(store, actors, State.CALLBACK_PENDING)
    number = tickets.detail(store, t).number
    keys = lines(
        f"reveal {number} --reason 回访", f"record {number}", "y", "y", "满意", "已解决", "y"
    )
    status, printed = shell_session(store, "c1", keys + CTRL_D)
    assert status == 0, printed
    assert "13812345678" in printed and "已记录查看" in printed  # revealed, and logged
    assert "回访已记录" in printed
    timeline = tickets.detail(store, t).timeline
    assert [e.action for e in timeline][-2:] == ["查看来电号码", "回访"]
    assert store.conn.execute("SELECT reason FROM reveals").fetchone()[0] == "回访"


def test_roles_and_bad_input_get_chinese_answers(store):
    keys = lines("review", "lookup 1391234567a", "frobnicate", 'search "unclosed', "dispatch")
    status, printed = shell_session(store, "a1", keys + CTRL_D)
    assert status == 0  # on a terminal the shell carries on
    assert "话务员不能使用 review" in printed
    assert "号码只能包含数字" in printed  # the store's own message
    assert "没有这个命令：frobnicate" in printed
    assert "引号不成对" in printed
    assert "缺少参数：工单号, 主办单位" in printed and "用法：dispatch" in printed
    assert "Traceback" not in printed


def test_completion_offers_commands_units_by_pinyin_and_queue_numbers(store, actors):
    t = bring_to(store, actors, State.REPLIED)
    number = tickets.detail(store, t).number
    actor = session.sign_in(store, "s1", "secret-1")
    values = LiveValues(None, actor)
    values.read(store)
    shell = Shell(Context(store, actor, output(io.StringIO()), None, values))

    def offered(text: str) -> list[str]:
        found = shell.completer.get_completions(Document(text), CompleteEvent())
        return [c.text for c in found]

    assert offered("dsp") == ["dispatch"]  # fuzzy: the letters in order
    assert "review" in offered("re")
    assert offered(f"dispatch {number} dhqzj")[0] == "东湖区住建局"  # by initials
    assert "东湖区住建局" in offered(f"dispatch {number} donghu")  # by full pinyin
    assert offered("approve ") == [number]  # the review queue's tickets
    assert set(offered("search --light ")) == {"red", "yellow", "green"}
    assert "--assist" in offered(f"dispatch {number} U2 --a")


def test_the_history_file_keeps_no_caller_number(tmp_path):
    history = MaskedHistory(str(tmp_path / "history"))
    history.append_string(f"lookup {PHONE}")
    history.append_string("search 燃气 --light red")
    text = (tmp_path / "history").read_text(encoding="utf-8")
    assert PHONE not in text and "lookup 〔号码已隐去〕" in text
    assert "search 燃气 --light red" in text


@pytest.mark.parametrize("agent", ["s1"])
def test_the_watch_and_reports_for_a_supervisor(store, actors, agent):
    bring_to(store, actors, State.HANDLING)
    keys = lines("watch", "report monthly 2026-03", "report monthly 2026-13") + CTRL_D
    status, printed = shell_session(store, agent, keys)
    assert status == 0
    assert "在办时效" in printed and "东湖区住建局" in printed
    assert "2026年03月 受理 1 件" in printed
    assert "月份应写作" in printed


async def test_a_ticket_registered_in_the_shell_is_in_the_consoles_history(store, db_path):
    from support.lifecycle import MutableClock
    from support.pilot import ready, settle, table_text, type_phone
    from textual.widgets import DataTable

    from console.app import HotlineApp

    store.close()

    def register_in_the_shell():
        keys = lines("register", PHONE, "", "", "wygl" + TAB, "", "", CONTENT, "", "", "", "y")
        with Store.open(db_path) as seat:  # prompt-toolkit runs its own loop: on a thread
            status, printed = shell_session(seat, "a1", keys + CTRL_D)
            assert status == 0, printed
            return registered(seat)[0]

    ticket = await asyncio.to_thread(register_in_the_shell)
    app = HotlineApp(db_path, clock=MutableClock(), login=("a1", "secret-1"))
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await type_phone(pilot, PHONE)
        await settle(app, pilot)
        history = table_text(app.screen.query_one("#history-table", DataTable))
        assert ticket.number[:6] in history.replace(" ", "") and "楼道灯" in history
