"""Commands on tickets: look a caller or a ticket up, search, answer, dispatch, transfer,
urge and supervise. Registering is guided (:mod:`console.shell.commands.register`)."""

from __future__ import annotations

from rich.text import Text

from console.shell import render
from console.shell.choosing import pick
from console.shell.context import Context
from console.shell.registry import UsageError, arguments, command
from console.text import due_text
from store.services import intake, tickets
from store.services.vocabulary import CLOCK_KINDS, EMERGENCY_LINES, format_for_reading, mask_phone

NUMBER_DIGITS = 14


@command("lookup", "查来电人的历史工单（电话号码），或一张工单及其办理过程（工单号）")
@arguments(lambda p: p.add_argument("what", nargs="+", help="电话号码或工单号"))
def lookup(ctx: Context, args) -> None:
    """A phone number: the caller's tickets; a ticket number: the ticket and its timeline."""
    what = "".join(args.what)
    if len(what) == NUMBER_DIGITS and what.isdigit():
        found = tickets.detail(ctx.store, ctx.ticket(what))
        ctx.values.remember(found.number)
        ctx.out.print(render.detail(found))
        return
    history = intake.history(ctx.store, what)
    title = f"来电人 {mask_phone(history.phone)} 的工单 {len(history.tickets)} 件"
    if history.is_repeat_caller:
        title += f"（{history.window_days} 天内 {history.recent_count} 次，重复来电）"
    ctx.out.print(render.tickets(history.tickets, title=title, empty=f"{title}：没有记录。"))


def _search_arguments(p) -> None:
    p.add_argument("words", nargs="*", help="内容中的词（每个词都须出现）")
    p.add_argument("--state", default="", help="状态，如 handling")
    p.add_argument("--light", default="", choices=["", "red", "yellow", "green"])
    p.add_argument("--phone", default="", help="来电号码")
    p.add_argument("--number", default="", help="工单号（可只输前几位）")
    p.add_argument("--from", dest="date_from", default="", help="受理起始日期 年-月-日")
    p.add_argument("--to", dest="date_to", default="", help="受理截止日期 年-月-日")


@command("search", "工单查询：内容、状态、时效灯、号码、日期")
@arguments(_search_arguments)
def search(ctx: Context, args) -> None:
    """Tickets matching the words and filters, newest first (at most 200)."""
    wanted = tickets.criteria(
        words=" ".join(args.words),
        state=args.state,
        light=args.light,
        phone=args.phone,
        number=args.number,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    found = tickets.find(ctx.store, wanted)
    title = f"找到 {len(found)} 件" + ("（最多显示 200 件）" if len(found) >= tickets.SHOWN else "")
    ctx.out.print(render.tickets(found, title=title, empty="没有符合条件的工单。"))


def _number_and_text(label: str, required: bool = True):
    def declare(p) -> None:
        p.add_argument("number", metavar="工单号", help="工单号")
        p.add_argument("text", nargs="+" if required else "*", help=label)

    return declare


def _done(ctx: Context, ref: str, message: str) -> None:
    ctx.out.print(Text(f"{format_for_reading(ref)}：{message}", style="green"))


@command("answer", "直接答复并办结（来电人已在电话中得到答复）")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("text", nargs="+", help="答复内容"),
        p.add_argument("--kb", action="append", default=[], help="引用的知识条目编号"),
    )
)
def answer(ctx: Context, args) -> None:
    """Close the ticket with the answer the caller was given."""
    ticket_id = ctx.ticket(args.number)
    intake.answer_directly(ctx.store, ctx.actor, ticket_id, " ".join(args.text), args.kb)
    _done(ctx, args.number, "已直接答复办结。")


def unit_of(ctx: Context, typed: str) -> str:
    """The id of the unit ``typed`` names (id, name, Chinese, pinyin or initials)."""
    return pick(ctx.values.units or tickets.units(ctx.store), typed, "承办单位").code


@command("dispatch", "派单到承办单位（主办，可加协办），开始签收、办理时限")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("unit", metavar="主办单位", help="主办单位：名称、拼音或首字母（Tab 补全）"),
        p.add_argument("--assist", action="append", default=[], help="协办单位，可多个"),
        p.add_argument("--note", default="", help="派单意见"),
    )
)
def dispatch(ctx: Context, args) -> None:
    """Send the ticket to its lead unit; print the deadlines it started."""
    ticket_id = ctx.ticket(args.number)
    lead = unit_of(ctx, args.unit)
    assisting = [unit_of(ctx, a) for a in args.assist]
    intake.dispatch(ctx.store, ctx.actor, ticket_id, lead, assisting, args.note)
    found = tickets.detail(ctx.store, ticket_id)
    running = "；".join(
        f"{CLOCK_KINDS.get(c.kind, c.kind)}至 {due_text(c.due_at)}"
        for c in found.clocks
        if not c.stopped_at
    )
    _done(ctx, args.number, f"已派单。{running}")


@command("transfer", "转 110/119/120/122，或用 --desk 转专席")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("line", nargs="?", default="", help="110、119、120 或 122"),
        p.add_argument("--desk", default="", help="专席编号"),
        p.add_argument("--three-way", action="store_true", help="三方通话（默认一键转接）"),
        p.add_argument("--note", default="", help="说明"),
    )
)
def transfer(ctx: Context, args) -> None:
    """Hand the call to an emergency line or a specialist desk."""
    ticket_id = ctx.ticket(args.number)
    mode = "three_way" if args.three_way else "one_key"
    if args.desk:
        intake.transfer_desk(ctx.store, ctx.actor, ticket_id, args.desk, mode, args.note)
        _done(ctx, args.number, f"已转专席 {args.desk}。")
    elif args.line in EMERGENCY_LINES:
        intake.transfer_emergency(ctx.store, ctx.actor, ticket_id, args.line, mode, args.note)
        _done(ctx, args.number, f"已转 {EMERGENCY_LINES[args.line]}。")
    else:
        raise UsageError("请写明转往 110、119、120、122，或用 --desk 指定专席。")


@command("urge", "催办（对承办单位说的话可省略）")
@arguments(_number_and_text("催办内容", required=False))
def urge(ctx: Context, args) -> None:
    """Urge the unit holding the ticket."""
    tickets.urge(ctx.store, ctx.actor, ctx.ticket(args.number), " ".join(args.text))
    _done(ctx, args.number, "已催办。")


@command("supervise", "督办（须写督办通知）")
@arguments(_number_and_text("督办通知"))
def supervise(ctx: Context, args) -> None:
    """Send a formal supervision notice."""
    tickets.supervise(ctx.store, ctx.actor, ctx.ticket(args.number), " ".join(args.text))
    _done(ctx, args.number, "已督办。")
