"""The knowledge-base editor's screen: browse entries with their review status, agents'
"outdated" feedback and use counts, the entries expiring within 30 days, and edit them."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from console.text import safe_text
from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import kb, reference
from store.services.vocabulary import STATUSES

STATUS_STYLE = {"draft": "dim", "review": "bold yellow", "published": "green", "withdrawn": "red"}
LIST_COLUMNS = (
    ("编号", 12),
    ("标题", 44),
    ("状态", 6),
    ("失效日期", 10),
    ("核实", 10),
    ("引用", 5),
    ("过时反馈", 8),
)


def status_text(status: str) -> Text:
    """An entry's review status in Chinese, coloured."""
    return Text(STATUSES.get(status, status), style=STATUS_STYLE.get(status, ""))


class KbEditorScreen(Screen):
    """The editors' screen: entries needing attention first, a filter, those expiring soon, and
    each entry's editor."""

    AUTO_FOCUS = "#kb-filter"
    BINDINGS = [
        Binding("ctrl+n", "new", "新建条目", id="kb_editor.new"),
        Binding("f3", "edit", "编辑", id="kb_editor.edit"),
        Binding("f5", "move('review')", "提交审核", id="kb_editor.review"),
        Binding("f6", "move('published')", "发布", id="kb_editor.publish"),
        Binding("f7", "move('withdrawn')", "撤回", id="kb_editor.withdraw"),
        Binding("f8", "move('draft')", "退回草稿", id="kb_editor.draft"),
        Binding("ctrl+e", "focus_expiring", "到期条目", id="kb_editor.expiring"),
        Binding("f9", "learning", "检索反馈", id="kb_editor.learning"),
    ]

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(id="kb-editor"):
            with Horizontal(id="kb-editor-filters"):
                yield Input(
                    placeholder="检索条目：中文、拼音或首字母", id="kb-filter", compact=True
                )
                yield Select(
                    [(label, code) for code, label in STATUSES.items()],
                    prompt="全部状态",
                    id="kb-status-filter",
                    compact=True,
                )
            yield Static("", id="kb-editor-status")
            yield DataTable(id="kb-list", cursor_type="row", zebra_stripes=True)
            yield Label("", id="kb-expiring-title")
            yield DataTable(id="kb-expiring", cursor_type="row")
        yield Footer()

    def action_learning(self) -> None:
        """What agents' searches taught: proposals to accept, and searches that found nothing."""
        from console.screens.kb_learning import KbLearningScreen

        self.app.push_screen(KbLearningScreen())

    def on_mount(self) -> None:
        # Fixed widths: the list is refilled on every keystroke and must not jump about.
        table = self.query_one("#kb-list", DataTable)
        for label, width in LIST_COLUMNS:
            table.add_column(label, width=width)
        soon = self.query_one("#kb-expiring", DataTable)
        for label, width in (("失效日期", 10), ("编号", 12), ("标题", 60)):
            soon.add_column(label, width=width)
        self.reload()

    @on(Input.Changed, "#kb-filter")
    @on(Select.Changed, "#kb-status-filter")
    def _filter_changed(self) -> None:
        self.reload()

    @work(exclusive=True, group="kb-editor-list")
    async def reload(self) -> None:
        """Read the list as the filter and status ask, keeping the highlighted entry."""
        text = self.query_one("#kb-filter", Input).value.strip()
        chosen = self.query_one("#kb-status-filter", Select).value
        status = chosen if isinstance(chosen, str) else None
        view = await self.app.backend.call(kb.editor_view, text, status)
        rows, expiring, counts = view.rows, view.expiring, view.counts
        self.query_one("#kb-expiring-title", Label).update(
            Text(f"{view.expiry_days} 天内到期的已发布条目", style="bold")
        )
        table = self.query_one("#kb-list", DataTable)
        keep = self.highlighted
        table.clear()
        for r in rows:
            table.add_row(
                r["id"],
                safe_text(r["title"], 40),
                status_text(r["status"]),
                r["expires_on"] or "—",
                r["last_verified"] or "—",
                str(r["use_count"]),
                Text(str(r["outdated_count"]), style="bold red" if r["outdated_count"] else "dim"),
                key=r["id"],
            )
        if keep and keep in {r["id"] for r in rows}:
            table.move_cursor(row=table.get_row_index(keep))
        soon = self.query_one("#kb-expiring", DataTable)
        soon.clear()
        for r in expiring:
            soon.add_row(r["expires_on"], r["id"], safe_text(r["title"], 50), key=r["id"])
        summary = "，".join(f"{STATUSES[s]} {n}" for s, n in counts.items())
        self.query_one("#kb-editor-status", Static).update(
            Text(f"显示 {len(rows)} 条 · 知识库共：{summary}", style="dim")
        )

    @property
    def highlighted(self) -> str | None:
        """The id of the highlighted entry, or None."""
        table = self.query_one("#kb-list", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.edit(event.row_key.value)

    def action_new(self) -> None:
        """Open an empty entry (numbered when saved)."""
        self.edit(None)

    def action_edit(self) -> None:
        """Open the highlighted entry."""
        if self.highlighted:
            self.edit(self.highlighted)

    @work(exclusive=True, group="kb-editor-write")
    async def edit(self, entry_id: str | None) -> None:
        """Open the entry editor for ``entry_id`` (None: a new entry) with its feedback; reload
        after a save."""
        from console.screens.kb_entry import KbEntryDialog

        topics = await self.app.backend.call(kb.topics)
        if entry_id is None:
            fields, said = {"id": "", "status": "draft"}, []  # numbered when saved
        else:
            fields, said = await self.app.backend.call(kb.entry_for_editing, entry_id)
        saved = await self.app.push_screen_wait(KbEntryDialog(fields, said, topics))
        if saved:
            self.app.notify(f"条目 {saved} 已保存", title="已保存", markup=False)
            self.reload()

    def action_move(self, status: str) -> None:
        """Move the highlighted entry to ``status``: to review, published, withdrawn or back to draft."""
        if self.highlighted:
            self.move(self.highlighted, status)

    @work(exclusive=True, group="kb-editor-write")
    async def move(self, entry_id: str, status: str) -> None:
        """Change an entry's status online; publishing asks for the verification date."""
        from console.screens.outcomes import TextDialog

        change = {"entry_id": entry_id, "status": status}
        if status == "published":  # publishing vouches for the content: when was it checked?
            today = self.app.backend.clock().date().isoformat()
            verified = await self.app.push_screen_wait(
                TextDialog(
                    "发布：核实日期（已对照依据核实内容的日期）", "年-月-日", today, required=True
                )
            )
            if verified is None:
                return
            change["verified_on"] = verified.strip()
        try:
            await self.app.backend.call(
                reference.run, self.app.actor, "kb.set_status", change, self.app.session
            )
        except DomainError as exc:
            self.app.notify(exc.message, title="未执行", severity="error", markup=False)
            return
        self.app.notify(f"{entry_id} 已改为“{STATUSES[status]}”", markup=False)
        self.reload()

    def action_focus_expiring(self) -> None:
        """Move to the list of entries expiring soon."""
        self.query_one("#kb-expiring", DataTable).focus()
