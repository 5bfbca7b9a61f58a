"""``register``: a ticket taken down field by field during the call, each field prompted with
completion where it has a list; the store checks the whole form and the fields it refuses
are asked again; nothing is saved until the agent confirms."""

from __future__ import annotations

from dataclasses import dataclass, replace

from prompt_toolkit.completion import WordCompleter
from rich.table import Table
from rich.text import Text

from console.shell.choosing import pick
from console.shell.completion import PickerCompleter
from console.shell.context import Context
from console.shell.registry import UsageError, command
from console.shell.terminal import Cancelled
from console.text import safe_text
from store import DomainError
from store.services import intake
from store.services.vocabulary import TYPES, URGENCIES, format_for_reading, mask_phone


@dataclass
class _Form:
    """The answers so far, as typed, and what they mean for the draft."""

    draft: intake.TicketDraft
    topic: str = ""
    area: str = ""


def _ask_phone(ctx: Context, form: _Form) -> None:
    phone = ctx.ask("来电号码（可空）：").strip()
    if not phone:
        form.draft = replace(form.draft, caller_phone="", repeat=False)
        return
    history = intake.history(ctx.store, phone)  # a number that is not one is refused here
    note = f"该号码有 {len(history.tickets)} 件历史工单"
    if history.is_repeat_caller:
        note += f"，{history.window_days} 天内 {history.recent_count} 次来电：标记为重复件"
    ctx.out.print(Text(note + "。", style="yellow" if history.is_repeat_caller else "dim"))
    form.draft = replace(form.draft, caller_phone=phone, repeat=history.is_repeat_caller)


def _ask_listed(ctx: Context, message: str, words: dict[str, str], current: str) -> str:
    labels = list(words.values())
    typed = ctx.ask(f"{message}[{words[current]}] ", completer=WordCompleter(labels)).strip()
    if not typed:
        return current
    for code, label in words.items():
        if typed in (code, label):
            return code
    raise UsageError(f"请从以下选择：{'、'.join(labels)}。")


def _ask_topic(ctx: Context, form: _Form, pickers: intake.Pickers) -> None:
    typed = ctx.ask(
        "诉求分类（中文、拼音或首字母，Tab 补全）：", completer=PickerCompleter(pickers.topics)
    )
    chosen = pick(pickers.topics, typed, "诉求分类")
    form.topic = chosen.name
    form.draft = replace(form.draft, topic_code=chosen.code)
    ctx.out.print(Text(f"  → {chosen.label}", style="dim"))


def _ask_area(ctx: Context, form: _Form, pickers: intake.Pickers) -> None:
    typed = ctx.ask(
        "所在区域（区县或街道，可空）：", completer=PickerCompleter(pickers.areas)
    ).strip()
    if not typed:
        form.area = ""
        form.draft = replace(form.draft, district_code="", street_code="")
        return
    chosen = pick(pickers.areas, typed, "区域")
    district, _, street = chosen.code.partition("/")
    form.area = chosen.name
    form.draft = replace(form.draft, district_code=district, street_code=street)
    ctx.out.print(Text(f"  → {chosen.label}", style="dim"))


def _set(form: _Form, **fields) -> None:
    form.draft = replace(form.draft, **fields)


def _fields(ctx: Context, form: _Form, pickers: intake.Pickers) -> dict:
    """Each field's question, by the draft's field name (the names the store's errors use)."""

    def text(field: str, message: str):
        return lambda: _set(form, **{field: ctx.ask(message)})

    return {
        "caller_phone": lambda: _ask_phone(ctx, form),
        "caller_name": text("caller_name", "来电人称呼（可空）："),
        "type": lambda: _set(form, type=_ask_listed(ctx, "诉求类型：", TYPES, form.draft.type)),
        "topic_code": lambda: _ask_topic(ctx, form, pickers),
        "district_code": lambda: _ask_area(ctx, form, pickers),
        "address": text("address", "详细地址（可空）："),
        "content": lambda: _set(
            form, content=ctx.ask("诉求内容（可多行，空行或 Esc 回车结束）：\n", multiline=True)
        ),
        "request": text("request", "来电人诉求（希望如何处理，可空）："),
        "urgency": lambda: _set(
            form, urgency=_ask_listed(ctx, "紧急程度：", URGENCIES, form.draft.urgency)
        ),
    }


def _ask(ctx: Context, question) -> None:
    """Ask one field until its answer is usable (a wrong choice is said and asked again)."""
    while True:
        try:
            question()
            return
        except (UsageError, DomainError) as error:
            ctx.out.print(Text(getattr(error, "message", str(error)), style="red"))
            if not ctx.prompter.interactive:
                raise


def _summary(form: _Form) -> Table:
    d = form.draft
    grid = Table(box=None, show_header=False, pad_edge=False)
    grid.add_column(no_wrap=True)
    grid.add_column()
    for label, value in (
        ("来电号码", mask_phone(d.caller_phone) if d.caller_phone else "（未留）"),
        ("称呼", d.caller_name),
        ("类型", TYPES.get(d.type, d.type)),
        ("分类", form.topic),
        ("区域", form.area),
        ("地址", d.address),
        ("内容", d.content),
        ("诉求", d.request),
        ("紧急程度", URGENCIES.get(d.urgency, d.urgency)),
    ):
        grid.add_row(label, safe_text(value, 300))
    return grid


@command("register", "登记工单：逐项填写（Tab 补全分类、区域），确认后保存")
def register(ctx: Context, args) -> None:
    """The guided form; the ticket number, grouped for reading aloud, when saved."""
    pickers = intake.pickers(ctx.store)
    form = _Form(intake.TicketDraft(content="", topic_code=""))
    questions = _fields(ctx, form, pickers)
    for question in questions.values():
        _ask(ctx, question)
    while True:
        ctx.out.print(_summary(form))
        if not ctx.confirm("保存这张工单？"):
            raise Cancelled
        try:
            event = intake.register(ctx.store, ctx.actor, form.draft)
        except DomainError as error:
            wrong = error.errors or {error.field or "content": error.message}
            for message in wrong.values():
                ctx.out.print(Text(message, style="red"))
            if not ctx.prompter.interactive:
                raise
            for field in wrong:
                _ask(ctx, questions.get(field, questions["content"]))
            continue
        number = event.payload["number"]
        ctx.values.remember(number)
        ctx.out.print(Text(f"已登记：{format_for_reading(number)}", style="bold green"))
        return
