"""The training sandbox at the command line: scenarios, scores, an attempt beside the
expected handling, the trainer's comment and assignments, scenarios in and out as TOML."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from console.shell import render
from console.shell.context import Context
from console.shell.registry import UsageError, arguments, command
from console.widgets.attempt_view import report
from store.core.roles import Role
from store.services import training


def _arguments(p) -> None:
    what = p.add_subparsers(dest="what", metavar="操作", required=True)
    what.add_parser("list", help="情景列表（含我的最好成绩）")
    scores = what.add_parser("scores", help="成绩：学员 × 情景、最薄弱的评分项、最近的练习")
    scores.add_argument("--trainee", help="只看这位学员（学员只能看自己的）")
    show = what.add_parser("show", help="一次练习：应有处理与实际处理逐项对照")
    show.add_argument("attempt", help="练习编号（见 scores）")
    note = what.add_parser("comment", help="点评一次练习（学员可见）")
    note.add_argument("attempt")
    note.add_argument("text", nargs="+")
    give = what.add_parser("assign", help="给学员布置情景；--exam 分钟数 作为限时考试")
    give.add_argument("trainee")
    give.add_argument("codes", nargs="+")
    give.add_argument("--exam", type=int, metavar="分钟", default=0)
    imp = what.add_parser("import", help="导入情景文件（TOML）")
    imp.add_argument("path", type=Path)
    exp = what.add_parser("export", help="导出情景为 TOML")
    exp.add_argument("code")
    exp.add_argument("path", type=Path, nargs="?")


@command("training", "培训：情景、成绩、点评与布置（培训库中）", screen="training")
@arguments(_arguments)
def training_command(ctx: Context, args) -> None:
    """One of the training sub-commands."""
    if args.what in ("comment", "assign", "import") and ctx.actor.role is not Role.TRAINER:
        raise UsageError("只有培训师可以点评、布置和导入情景。")
    {
        "list": _list,
        "scores": _scores,
        "show": _show,
        "comment": _comment,
        "assign": _assign,
        "import": _import,
        "export": _export,
    }[args.what](ctx, args)


def _list(ctx: Context, args) -> None:
    grid = render.table("编号", "情景", "难度", "应有办理", "布置", "最好")
    for row in training.scenarios(ctx.store, ctx.actor):
        grid.add_row(
            row.code,
            render.words(row.title),
            row.level,
            training.OUTCOMES.get(row.outcome, row.outcome),
            "考试" if row.exam else ("练习" if row.assigned else ""),
            "" if row.best is None else str(row.best),
        )
    ctx.out.print(grid)


def _scores(ctx: Context, args) -> None:
    trainee = args.trainee
    if ctx.actor.role is Role.TRAINEE:
        trainee = ctx.actor.id  # a trainee sees their own
    if ctx.actor.role is Role.TRAINER and not trainee:
        found = training.grid(ctx.store)
        # Scenarios down, trainees across: a class has few trainees and many scenarios.
        names = [name for _, name in found.trainees]
        grid = render.table("情景", *names, title="情景 × 学员（最近一次得分，· 未练）")
        for code, title in found.scenarios:
            cells = [found.cells.get((tid, code)) for tid, _ in found.trainees]
            grid.add_row(
                render.words(f"{code} {title}", 24), *("·" if v is None else str(v) for v in cells)
            )
        ctx.out.print(grid)
    weak = render.table("评分项", "得分率", "次数", title="最薄弱的评分项")
    for w in training.weakest(ctx.store, trainee)[:6]:
        weak.add_row(w.label, f"{w.share * 100:.1f}%", str(w.attempts))
    ctx.out.print(weak)
    # One attempt to a line and its id below it: the id is long, the screen may be 80 wide.
    ctx.out.print(Text("最近的练习（training show 练习编号 查看对照）", style="bold"))
    for a in training.attempts(ctx.store, trainee, 10):
        line = Text(f"{a.trainee_name} · {a.scenario_code} {a.scenario_title} · {a.score} 分 ")
        line.append("通过" if a.passed else "未通过", style="green" if a.passed else "red")
        if a.comment:
            line.append(f" · 点评：{a.comment}")
        ctx.out.print(line)
        ctx.out.print(Text(f"  {a.id}", style="dim"))


def _attempt(ctx: Context, attempt_id: str) -> training.Attempt:
    found = training.attempt(ctx.store, attempt_id)
    if found is None or (ctx.actor.role is Role.TRAINEE and found.trainee_id != ctx.actor.id):
        raise UsageError(f"没有这次练习：{attempt_id[:40]}")
    return found


def _show(ctx: Context, args) -> None:
    found = _attempt(ctx, args.attempt)
    scenario = training.scenario(ctx.store, found.scenario_code)
    ctx.out.print(
        Text(f"{found.trainee_name} · 情景 {scenario.code} {scenario.title}", style="bold")
    )
    for line in scenario.lines:
        ctx.out.print(Text("来电人：", style="bold") + Text(line.text))
    ctx.out.print(report(found.score or 0, found.passed, found.fatal, found.items, found.comment))


def _comment(ctx: Context, args) -> None:
    _attempt(ctx, args.attempt)
    training.comment(ctx.store, ctx.actor, args.attempt, " ".join(args.text))
    ctx.out.print("点评已保存，学员可见。")


def _assign(ctx: Context, args) -> None:
    codes = [c.upper() for c in args.codes]
    training.assign(ctx.store, ctx.actor, args.trainee, codes, bool(args.exam), args.exam)
    kind = f"考试（{args.exam} 分钟）" if args.exam else "练习"
    ctx.out.print(f"已给 {args.trainee} 布置{kind}：{'、'.join(codes)}")


def _import(ctx: Context, args) -> None:
    try:
        text = args.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UsageError(f"无法读取情景文件：{args.path}") from None
    saved = training.import_scenario(ctx.store, ctx.actor, text)
    ctx.out.print(f"已导入情景 {saved.code} {saved.title}")


def _export(ctx: Context, args) -> None:
    text = training.export_scenario(ctx.store, args.code)
    if args.path is None:
        ctx.out.print(Text(text))
        return
    args.path.write_text(text, encoding="utf-8")
    ctx.out.print(f"已导出到 {args.path}")
