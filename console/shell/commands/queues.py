"""The queues: callbacks (reveal a number, record a call, guided) and the supervisors' review
(approve, refuse) — for the roles that open them in the console."""

from __future__ import annotations

from datetime import timedelta

from prompt_toolkit.completion import WordCompleter
from rich.text import Text

from console.shell import render
from console.shell.context import Context
from console.shell.registry import UsageError, arguments, command
from console.shell.terminal import Cancelled
from console.text import safe_text
from store.services import callbacks, review
from store.services.vocabulary import format_for_reading, parse_due


@command("callbacks", "回访队列：待回访（按期限），以及已回访、未接通待重拨", screen="callback")
def callback_queue(ctx: Context, args) -> None:
    """The callback agent's two lists."""
    lists = callbacks.lists(ctx.store)
    ctx.out.print(render.queue(lists.due, title=f"待回访 {len(lists.due)} 件", empty="没有"))
    ctx.out.print(
        render.queue(lists.done, title=f"已回访、待重拨 {len(lists.done)} 件", empty="没有")
    )


@command("reveal", "查看来电人完整号码（须写理由，每次留痕）", screen="callback")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("--reason", required=True, help="查看理由，如 回访"),
    )
)
def reveal(ctx: Context, args) -> None:
    """Show the caller's full number; the store logs who, when and why."""
    phone = callbacks.reveal_caller(ctx.store, ctx.actor, ctx.ticket(args.number), args.reason)
    ctx.out.print(Text(f"{format_for_reading(args.number)} 来电号码：{phone}（已记录查看）"))


def _yes(ctx: Context, message: str) -> bool:
    answer = ctx.ask(f"{message} [y/n] ", completer=WordCompleter(["y", "n"])).strip().lower()
    if answer not in ("y", "n", "yes", "no", "是", "否"):
        raise UsageError("请回答 y 或 n。")
    return answer in ("y", "yes", "是")


@command(
    "record", "记录一次回访：是否接通、是否解决、满意度（逐项询问，确认后保存）", screen="callback"
)
@arguments(lambda p: p.add_argument("number", metavar="工单号", help="工单号"))
def record(ctx: Context, args) -> None:
    """The guided callback form."""
    ticket_id = ctx.ticket(args.number)
    form = callbacks.form(ctx.store, ticket_id)
    ctx.out.print(Text(f"{format_for_reading(form.number)}  {form.caller}  承办：{form.unit}"))
    ctx.out.print(Text("诉求：", style="bold") + safe_text(form.content, 300))
    ctx.out.print(Text("答复：", style="bold") + safe_text(form.reply, 300))
    reached = _yes(ctx, "接通了吗？")
    solved = satisfaction = next_at = None
    if reached:
        solved = _yes(ctx, "诉求解决了吗？")
        typed = ctx.ask(
            f"满意度（{'、'.join(form.scale)}）：", completer=WordCompleter(form.scale)
        ).strip()
        if typed not in form.scale:
            raise UsageError(f"满意度须为：{'、'.join(form.scale)}。")
        satisfaction = typed
    else:
        default = form.now + timedelta(hours=form.retry_hours)
        typed = ctx.ask("下次回访时间：", default=f"{default:%Y-%m-%d %H:%M}").strip()
        next_at = parse_due(typed, field="next_attempt_at")
    note = ctx.ask("回访记录（可空）：").strip()
    if reached:
        said = f"已接通，{'已解决' if solved else '未解决'}，{satisfaction}"
    else:
        said = f"未接通，{next_at:%m-%d %H:%M} 再拨"
    if not ctx.confirm(f"保存：{said}？"):
        raise Cancelled
    callbacks.callback(
        ctx.store,
        ctx.actor,
        ticket_id,
        reached=reached,
        solved=solved,
        satisfaction=satisfaction,
        note=note,
        next_attempt_at=next_at,
    )
    ctx.values.remember(form.number)
    ctx.out.print(Text(f"{format_for_reading(form.number)}：回访已记录（{said}）。", style="green"))


@command("review", "审核队列：退单、延期、答复（approve 同意，refuse 不同意）", screen="review")
def review_queue(ctx: Context, args) -> None:
    """What waits for a supervisor, in the order it arrived."""
    rows = review.queue(ctx.store)
    ctx.out.print(render.queue(rows, title=f"待审核 {len(rows)} 件", empty="没有待审核事项"))


@command("approve", "同意：退单、延期（可用 --due 改期限）或答复", screen="review")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("--due", default="", help="同意延期时的新期限，如 2026-12-10 17:30"),
    )
)
def approve(ctx: Context, args) -> None:
    """Approve what the ticket waits for."""
    new_due = parse_due(args.due) if args.due else None
    review.approve(ctx.store, ctx.actor, ctx.ticket(args.number), new_due)
    ctx.out.print(Text(f"{format_for_reading(args.number)}：已同意。", style="green"))


@command("refuse", "不同意：驳回退单或延期，或退回答复重办（须写理由）", screen="review")
@arguments(
    lambda p: (
        p.add_argument("number", metavar="工单号", help="工单号"),
        p.add_argument("reason", nargs="+", help="理由（承办单位可见）"),
    )
)
def refuse(ctx: Context, args) -> None:
    """Refuse it, with the reason the unit reads."""
    review.refuse(ctx.store, ctx.actor, ctx.ticket(args.number), " ".join(args.reason))
    ctx.out.print(Text(f"{format_for_reading(args.number)}：已驳回。", style="green"))
