"""``hotline sandbox``: make a training sandbox, and the trainer's scenarios and scores."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import platformdirs

from console.password_prompt import read_password
from console.paths import SAMPLE, seat_db
from console.text import say, strip_controls
from store import Actor, DomainError, Store
from store.services import sandbox, session, training


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``hotline sandbox …``."""
    parser = sub.add_parser("sandbox", help="培训环境（沙盒）：新建培训库、情景导入导出、成绩")
    what = parser.add_subparsers(dest="sandbox_command", metavar="操作", required=True)
    new = what.add_parser(
        "new", help="新建培训库（默认用样例城市；--from 用真实座席库的目录和知识库）"
    )
    new.add_argument(
        "--out", type=Path, default=default_out(), help="培训库文件（默认在用户数据目录）"
    )
    new.add_argument(
        "--from",
        dest="seat",
        type=Path,
        help="真实座席库：只取人员、配置和知识库，不取工单、来电人",
    )
    what.add_parser("scenarios", help="列出情景")
    imp = what.add_parser("import", help="导入情景文件（TOML）")
    imp.add_argument("path", type=Path, help="情景文件")
    imp.add_argument("--as", dest="agent", metavar="工号", help="培训师工号（默认以系统身份导入）")
    exp = what.add_parser("export", help="导出情景为 TOML 文件")
    exp.add_argument("code", help="情景编号")
    exp.add_argument("--out", type=Path, help="文件（默认输出到屏幕）")
    scores = what.add_parser("scores", help="学员成绩：学员 × 情景，最薄弱的评分项")
    scores.add_argument("--trainee", help="只看这位学员")
    for p in (imp, exp, scores, what.choices["scenarios"]):
        p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="培训库文件")


def default_out() -> Path:
    return Path(platformdirs.user_data_dir("hotline")) / "hotline-training.db"


def run(args: argparse.Namespace) -> int:
    """Run ``hotline sandbox …``: 0 done, 1 refused, 2 bad input."""
    try:
        if args.sandbox_command == "new":
            return _new(args)
        db = seat_db(args, write=args.sandbox_command == "import")
        if db is None:
            return 2
        with Store.open(db) as store:
            if not sandbox.banner(store):
                say("这不是培训库（沙盒）：情景和成绩只在培训库中。", file=sys.stderr)
                return 2
            return _COMMANDS[args.sandbox_command](args, store)
    except DomainError as error:
        say(error.message, file=sys.stderr)
        return 1


def _new(args: argparse.Namespace) -> int:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    made = sandbox.create(args.out, SAMPLE, args.seat)
    say(f"已新建培训库 {made.path}（{made.mark.origin}，{made.scenarios} 个情景）。")
    say(
        f"打开：hotline --db {made.path}    培训用中心：hotline central --sandbox --seed {made.path}"
    )
    return 0


def _scenarios(args: argparse.Namespace, store: Store) -> int:
    for row in training.scenarios(store, Actor.system()):
        outcome = training.OUTCOMES.get(row.outcome, row.outcome)
        say(f"{row.code:<8} {row.level}  {outcome:<6} {strip_controls(row.title)}")
    return 0


def _import(args: argparse.Namespace, store: Store) -> int:
    try:
        text = args.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        say(
            f"无法读取 {args.path}：{getattr(error, 'strerror', None) or '不是 UTF-8 文本'}",
            file=sys.stderr,
        )
        return 2
    actor = Actor.system()
    if args.agent:
        password = read_password(args.agent)
        if password is None:
            return 2
        actor = session.authenticate(store, args.agent, password)
    saved = training.import_scenario(store, actor, text)
    say(f"已导入情景 {saved.code} {saved.title}")
    return 0


def _export(args: argparse.Namespace, store: Store) -> int:
    text = training.export_scenario(store, args.code)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        say(f"已导出到 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _scores(args: argparse.Namespace, store: Store) -> int:
    grid = training.grid(store)
    codes = [code for code, _ in grid.scenarios]
    say("学员".ljust(12) + " ".join(f"{c:>4}" for c in codes))
    for tid, _name in grid.trainees:
        if args.trainee and tid != args.trainee:
            continue
        cells = [grid.cells.get((tid, c)) for c in codes]
        say(f"{tid:<12}" + " ".join(f"{'·' if v is None else v:>4}" for v in cells))
    say("最薄弱的评分项：")
    for w in training.weakest(store, args.trainee)[:6]:
        say(f"  {w.share * 100:5.1f}%  {w.label}（{w.attempts} 次）")
    return 0


_COMMANDS = {
    "scenarios": _scenarios,
    "import": _import,
    "export": _export,
    "scores": _scores,
}
