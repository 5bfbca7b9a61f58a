"""The knowledge-base panel of the intake screen: search as you type, preview, cite.

Every keystroke starts a search in an exclusive worker, so a newer query cancels the wait
for an older one and only the latest results are shown. Enter on a result cites it (or
un-cites it); the cited entries are what a direct answer (F4) records.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from console.text import safe_text
from store.services import kb
from store.services.kb import Results
from store.services.vocabulary import STATUSES

HIGHLIGHT = "bold black on yellow"


@dataclass(frozen=True, slots=True)
class Cited:
    """An entry the agent cited for the answer."""

    id: str
    title: str
    answer: str


class KbPanel(Vertical):
    """Search box, results, the cited entries and a preview of the highlighted one."""

    class Cited(Message):
        """An entry was cited (its topic may fill an empty form)."""

        def __init__(self, entry_id: str, topic_code: str, queries: tuple[str, ...] = ()):
            super().__init__()
            self.entry_id = entry_id
            self.topic_code = topic_code
            self.queries = queries  # the words the agent searched with this call (evidence)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cited: dict[str, Cited] = {}
        self.last_query = ""  # the longest words of the search being typed
        self.tried: list[str] = []  # words searched this call and replaced by others
        self.terms: list[str] = []
        self.results: Results | None = None  # what the list shows now
        self.preview_text = Text()  # what the preview shows now
        self._previewed: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="知识库：中文、拼音或首字母，回车引用", id="kb-query", compact=True)
        yield Static(Text("输入关键词检索热线百科", style="dim"), id="kb-status")
        yield DataTable(id="kb-results", cursor_type="row", zebra_stripes=True)
        yield Static("", id="kb-cited")
        with VerticalScroll(id="kb-preview-box"):
            yield Static("", id="kb-preview")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("标题", "地区")

    @on(Input.Changed, "#kb-query")
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#kb-query")
    def _to_results(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.focus()

    @work(exclusive=True, group="kb-search")
    async def run_search(self, query: str) -> None:
        """Search as the agent types; the first hit's preview comes with the list."""
        if not query.strip():
            self._show(None)
            return
        self._note(query)
        found = await self.app.backend.call(kb.lookup, query)
        self._show(found.results, found.first)

    def _show(self, results: Results | None, first: dict | None = None) -> None:
        self.results = results
        table = self.query_one(DataTable)
        table.clear()
        status = self.query_one("#kb-status", Static)
        self._previewed = None
        if results is None:
            self.terms = []
            status.update(Text("输入关键词检索热线百科", style="dim"))
            self._show_preview(Text())
            return
        self.terms = results.terms
        line = Text(f"{len(results.hits)} 条 · {results.elapsed_ms:.0f} 毫秒", style="dim")
        if results.corrected:
            line.append(f"  已按“{results.corrected}”检索", style="bold yellow")
        if not results.hits:
            line = Text("没有找到条目：换个说法，或用拼音首字母", style="yellow")
        status.update(line)
        if first is not None:
            self._previewed = first["id"]  # before the rows: their highlight must not refetch
            self._show_preview(self._render_entry(first))
        for hit in results.hits:
            mark = "✔ " if hit.id in self.cited else ""
            table.add_row(Text(mark) + safe_text(hit.title, 60), hit.region, key=hit.id)

    @on(DataTable.RowHighlighted, "#kb-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value != self._previewed:
            self._previewed = event.row_key.value
            self.preview(event.row_key.value)

    @work(exclusive=True, group="kb-preview")
    async def preview(self, entry_id: str) -> None:
        """Show the whole entry the agent moved to."""
        row = await self.app.backend.call(kb.entry, entry_id)
        self._show_preview(self._render_entry(row))

    def _show_preview(self, text: Text) -> None:
        self.preview_text = text
        self.query_one("#kb-preview", Static).update(text)
        self.query_one("#kb-preview-box").scroll_home(animate=False)

    def _render_entry(self, row: dict) -> Text:
        text = Text()
        text.append_text(safe_text(row["title"], 200))
        text.stylize("bold")
        facts = [
            row["doc_no"],
            row["region"],
            row["owner_unit"],
            STATUSES.get(row["status"], row["status"]),
            f"核实 {row['last_verified']}" if row["last_verified"] else "",
            f"引用 {row['use_count']} 次",
            f"过时反馈 {row['outdated_count']}" if row["outdated_count"] else "",
        ]
        text.append("\n" + " · ".join(f for f in facts if f) + "\n\n", style="dim")
        body = safe_text(row["answer"], 4000)
        body.highlight_words([t for t in self.terms if t], HIGHLIGHT, case_sensitive=False)
        text.append_text(body)
        return text

    def title_of(self, entry_id: str) -> str:
        """The title of a listed entry, as the list shows it."""
        hit = next(
            (h for h in (self.results.hits if self.results else []) if h.id == entry_id), None
        )
        return hit.title if hit else entry_id

    @property
    def highlighted(self) -> str | None:
        """The id of the highlighted entry, or None."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#kb-results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.toggle_cited(event.row_key.value)

    @work(exclusive=True, group="kb-cite")
    async def toggle_cited(self, entry_id: str) -> None:
        """Cite the entry, or un-cite it if it was cited."""
        if entry_id in self.cited:
            del self.cited[entry_id]
        else:
            row = await self.app.backend.call(kb.entry, entry_id)
            self.cited[entry_id] = Cited(entry_id, row["title"], row["answer"])
            self.post_message(self.Cited(entry_id, row["topic_code"], self.searched()))
        self._show_cited()
        table = self.query_one(DataTable)
        title = table.get_row(entry_id)[0]
        plain = title.plain.removeprefix("✔ ")
        mark = "✔ " if entry_id in self.cited else ""
        table.update_cell(entry_id, table.ordered_columns[0].key, Text(mark) + Text(plain))

    def _show_cited(self) -> None:
        cited = self.query_one("#kb-cited", Static)
        if not self.cited:
            cited.update("")
            return
        line = Text("引用：", style="bold green")
        for i, c in enumerate(self.cited.values()):
            if i:
                line.append("；")
            line.append_text(safe_text(c.title, 30))
        cited.update(line)

    def _note(self, query: str) -> None:
        """Follow the words of this call's searches as the agent types: a query growing or
        shrinking is one search; words replaced by others are one the agent gave up on,
        kept (the last three) with the final one as what a citation is evidence for."""
        peak = self.last_query
        if peak and not (query.startswith(peak) or peak.startswith(query)):
            self.tried = [q for q in self.tried if q != peak][-2:] + [peak]
            peak = ""
        if len(query) >= len(peak):
            self.last_query = query

    def searched(self) -> tuple[str, ...]:
        """The words searched this call: those given up on, then the last ones."""
        words = [*self.tried, self.last_query] if self.last_query else list(self.tried)
        return tuple(dict.fromkeys(w.strip() for w in words if w.strip()))

    def clear(self) -> None:
        """A new call: nothing typed, nothing cited, nothing searched."""
        self.last_query = ""
        self.tried = []
        self.cited.clear()
        self._show_cited()
        self.query_one("#kb-query", Input).value = ""
        self._show(None)
