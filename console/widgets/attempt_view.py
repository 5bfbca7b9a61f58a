"""One scored attempt: the total, any fatal error, and each rubric item with what was
expected beside what was done — for the trainee after playing and for the trainer's review."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from store.services.training import PASS_MARK, Item


def report(
    total: int,
    passed: bool,
    fatal: list[str] | tuple[str, ...],
    items: list[dict],
    comment: str = "",
) -> Table:
    """The score as a table a trainee reads: 项目 · 得分 · 应有 · 实际."""
    verdict = Text(f"得分 {total} / 100  ", style="bold")
    verdict.append("通过" if passed else "未通过", style="bold green" if passed else "bold red")
    verdict.append(f"（及格 {PASS_MARK} 分，且无致命错误）", style="dim")
    table = Table(title=verdict, expand=True, show_lines=False)
    table.add_column("项目", ratio=2, overflow="fold")
    table.add_column("得分", justify="right", width=6)
    table.add_column("应有的处理", ratio=3, overflow="fold")
    table.add_column("实际的处理", ratio=3, overflow="fold")
    for error in fatal:
        table.add_row(Text("致命错误", style="bold red"), "", "", Text(error, style="bold red"))
    for item in items:
        earned = item["earned"]
        style = "green" if earned >= item["weight"] else ("yellow" if earned else "red")
        table.add_row(
            Text(item["label"]),
            Text(f"{earned:g}/{item['weight']}", style=style),
            Text(item["expected"]),
            Text(item["done"]),
        )
    if comment:
        table.add_row(Text("培训师点评", style="bold"), "", "", Text(comment))
    return table


def items_of(found: tuple[Item, ...]) -> list[dict]:
    """Scored items as the stored form the report reads."""
    return [
        {
            "label": i.label,
            "weight": i.weight,
            "earned": i.earned,
            "expected": i.expected,
            "done": i.done,
        }
        for i in found
    ]


class AttemptView(Static):
    """A scored attempt, shown with :func:`report`."""

    def show(self, total: int, passed: bool, fatal, items: list[dict], comment: str = "") -> None:
        self.update(report(total, passed, fatal, items, comment))
