"""Looking things up: the knowledge base, the supervisor's watch, the bulletins and the sync."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text

from console.report_commands import print_bulletin
from console.shell import render
from console.shell.context import Context
from console.shell.registry import UsageError, arguments, command
from console.text import safe_text
from console.widgets.sync_status import describe
from store.services import kb, reports, sync, watch
from store.services.vocabulary import URGENCIES, format_for_reading

KB_SHOWN = 5


@command("kb", "知识库检索（中文、拼音、错别字均可），显示最相关条目的答复")
@arguments(lambda p: p.add_argument("query", nargs="+", help="检索词"))
def kb_search(ctx: Context, args) -> None:
    """The hits, and the best one's answer in full, as the intake panel shows them."""
    found = kb.lookup(ctx.store, " ".join(args.query))
    results = found.results
    if not results.hits:
        ctx.out.print(Text("知识库没有找到相关条目。", style="dim"))
        return
    grid = render.table(
        "编号", "标题", title=f"知识库 {len(results.hits)} 条（{results.elapsed_ms:.0f} 毫秒）"
    )
    for hit in results.hits[:KB_SHOWN]:
        grid.add_row(hit.id, render.words(hit.title))
    ctx.out.print(grid)
    if results.corrected:
        ctx.out.print(Text(f"已按“{results.corrected}”检索。", style="dim"))
    if found.first:
        ctx.out.print(Text(found.first.get("title", ""), style="bold"))
        ctx.out.print(safe_text(str(found.first.get("answer", "")), 1200))


def _figures(ctx: Context) -> Group:
    n = watch.now(ctx.store)
    lights = render.table("紧急程度", "超期", "临期", "正常", title=f"在办时效（{n.at:%H:%M:%S}）")
    for code, label in URGENCIES.items():
        by = n.by_light.get(code, {})
        lights.add_row(label, *(str(by.get(k, 0)) for k in ("red", "yellow", "green")))
    queues = Text(
        f"待审核 {sum(n.review.values())}  待回访 {n.callbacks_due}  回访超期 {n.callbacks_overdue}"
        f"  未接通待重拨 {n.callbacks_not_reached}  同步被拒 {n.rejected_events}"
    )
    units = render.table("承办单位", "在办", "超期", "临期", "超时未签收", title="超期较多的单位")
    for u in n.units[:8]:
        units.add_row(
            safe_text(u.name, 24), str(u.open), str(u.red), str(u.yellow), str(u.sign_overdue)
        )
    urgent = render.table("工单号", "紧急", "状态", "承办单位", title="紧急、特急在办")
    for u in n.urgent[:5]:
        urgent.add_row(
            format_for_reading(u.number),
            URGENCIES.get(u.urgency, u.urgency),
            render.state(u.state),
            safe_text(u.unit, 20),
        )
    today = watch.days(ctx.store)[0].figures
    flow = "  ".join(f"{label} {today[key]}" for key, label, _sql in watch.FLOW)
    handover = watch.last_handover(ctx.store)
    shift = Text("还没有交接记录。", style="dim")
    if handover is not None:
        acknowledged = (
            f"{handover.acknowledged_by} 已接班" if handover.acknowledged_at else "尚未确认接班"
        )
        shift = Text(f"上次交班：{handover.by} {handover.at:%m-%d %H:%M}，{acknowledged}")
    seen = watch.seats_seen(ctx.store)
    presence = Text(
        "中心所见座席：未连中心" if seen is None else f"中心所见座席：5 分钟内 {seen.count} 个",
        style="dim",
    )
    return Group(lights, queues, units, urgent, Text(f"今日：{flow}"), shift, presence)


@command(
    "watch",
    "值班监控：在办时效、待办、超期单位、紧急件；--every N 每 N 秒刷新，按任意键停止",
    screen="watch",
)
@arguments(lambda p: p.add_argument("--every", type=int, default=0, help="刷新间隔（秒）"))
def watch_figures(ctx: Context, args) -> None:
    """The watch's figures once, or again every N seconds until a key is pressed."""
    if args.every < 0:
        raise UsageError("刷新间隔须为正数。")
    while True:
        ctx.out.print(_figures(ctx))
        if not args.every or ctx.prompter.wait_for_key(args.every):
            return
        ctx.out.rule()


_PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "range": "range"}


@command(
    "report", "报表：report monthly 2026-10 | weekly 2026-W43 | daily 2026-11-20 | range 起 --to 止"
)
@arguments(
    lambda p: (
        p.add_argument("kind", choices=list(_PERIODS)),
        p.add_argument("value", help="月份、周、日期，或区间的起始日期"),
        p.add_argument("--to", default="", help="区间的截止日期"),
        p.add_argument("--out", type=Path, help="写入 Excel 工作簿（.xlsx）"),
    )
)
def report(ctx: Context, args) -> None:
    """The bulletin of a period, as text; ``--out`` also writes the workbook."""
    wanted = reports.period(_PERIODS[args.kind], args.value, first=args.value, last=args.to)
    made = reports.make(ctx.store, wanted)
    print_bulletin(made, lambda line: ctx.out.print(Text(line)))
    if args.out:
        out = args.out if args.out.suffix.lower() == ".xlsx" else args.out.with_suffix(".xlsx")
        try:
            reports.save_workbook(ctx.store, made, out)
        except OSError as error:
            raise UsageError(f"无法写入 {out}：{error.strerror}") from None
        ctx.out.print(Text(f"已写入 {out}", style="green"))


@command("sync", "同步：status 状态（默认），now 立即同步一轮，rejected 被拒事件及原因")
@arguments(
    lambda p: p.add_argument(
        "what", nargs="?", default="status", choices=["status", "now", "rejected"]
    )
)
def sync_state(ctx: Context, args) -> None:
    """The link with the central server."""
    if args.what == "now":
        if not sync.is_registered(ctx.store):
            raise UsageError("本座席未注册中心服务器（hotline sync register）。")
        try:
            done = sync.run_round(ctx.store)
        except sync.Offline:
            raise UsageError("同步未完成：连不上中心服务器，稍后会自动重试。") from None
        except sync.Refused as error:
            raise UsageError(f"同步未完成：{error.message}") from None
        ctx.out.print(
            Text(f"已同步：发送 {done.pushed}，被拒 {done.rejected}，收到 {done.pulled}。")
        )
    elif args.what == "rejected":
        rows = sync.rejected(ctx.store)
        if not rows:
            ctx.out.print(Text("没有被拒事件。", style="dim"))
        for r in rows:
            what = format_for_reading(r.ticket_number) if r.ticket_number else r.type
            ctx.out.print(Text(f"{what}  {r.occurred_at[:16]}  {r.reason}"))
    ctx.out.print(Text(describe(sync.status(ctx.store))))
