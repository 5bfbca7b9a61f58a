"""What agents' searches taught: the proposals (words that led to the same entry again and
again, to add as one of its questions) and the searches that ended with nothing cited
(what the knowledge base is missing). The editor accepts (F2) or refuses (F3) a proposal;
an accepted one changes every seat's ranking once it has synced."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import kb, reference


class KbLearningScreen(Screen):
    """Proposals and misses from agents' searches."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="kb_learning.back"),
        Binding("f2", "decide(True)", "采纳为相似问法", id="kb_learning.accept"),
        Binding("f3", "decide(False)", "不采纳", id="kb_learning.refuse"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(id="kb-learning"):
            yield Label(Text("检索建议：坐席多次用这些词检索后引用了同一条目", style="bold"))
            yield DataTable(id="kb-proposals", cursor_type="row", zebra_stripes=True)
            yield Label(Text("没有引用任何条目的检索（知识库可能缺少的内容）", style="bold"))
            yield DataTable(id="kb-misses", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.proposals: list[kb.Proposal] = []
        self.query_one("#kb-proposals", DataTable).add_columns("检索词", "次数", "条目", "标题")
        self.query_one("#kb-misses", DataTable).add_columns("检索词", "次数", "最近一次")
        self.reload()

    @work(exclusive=True, group="kb-learning")
    async def reload(self) -> None:
        self.proposals = await self.app.backend.call(kb.proposals)
        missed = await self.app.backend.call(kb.misses)
        table = self.query_one("#kb-proposals", DataTable)
        table.clear()
        for p in self.proposals:
            table.add_row(Text(p.query), str(p.hits), p.entry_id, Text(p.title))
        misses = self.query_one("#kb-misses", DataTable)
        misses.clear()
        for m in missed:
            misses.add_row(Text(m.query), str(m.hits), m.last_at[:16].replace("T", " "))
        table.focus()

    @work(exclusive=True, group="kb-learning-decide")
    async def action_decide(self, accept: bool) -> None:
        """Accept or refuse the highlighted proposal (online, as reference data is)."""
        table = self.query_one("#kb-proposals", DataTable)
        if not self.proposals:
            return
        chosen = self.proposals[table.cursor_row]
        args = {"query": chosen.query, "entry_id": chosen.entry_id, "accept": accept}
        try:
            await self.app.backend.call(
                reference.run, self.app.actor, "kb.proposal_decide", args, self.app.session
            )
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        said = "已采纳为相似问法" if accept else "已不采纳"
        self.app.notify(f"“{chosen.query}” {said}：{chosen.title}", markup=False)
        self.reload()
