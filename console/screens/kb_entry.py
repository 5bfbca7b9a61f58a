"""Editing one knowledge-base entry: every field of docs/domain.md §6, checked by the store."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from console.text import safe_text
from console.widgets.field_error import FieldError, labelled
from console.widgets.picker import Picker
from store import DomainError
from store.services import reference
from store.services.vocabulary import FEEDBACK, STATUSES, VISIBILITIES, Choice

# Single-line fields: name, label, placeholder.
LINES = (
    ("title", "标题", "来电人会怎么问，如 冬季暖气不热怎么办"),
    ("owner_unit", "责任单位", "负责更新本条目的单位"),
    ("doc_no", "文号", "依据文件的文号"),
    ("region", "适用地区", "如 江澄市、东湖区、全国"),
    ("effective_from", "生效日期", "2026-01-01，空着为已生效"),
    ("expires_on", "失效日期", "最后有效的一天，空着为长期"),
    ("last_verified", "核实日期", "最近一次核实内容的日期"),
)


class KbEntryDialog(ModalScreen[str | None]):
    """Returns the saved entry's id, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", id="kb_entry.cancel"),
        Binding("f2", "save", "保存", id="kb_entry.save"),
    ]

    def __init__(
        self,
        fields: dict[str, Any],
        feedback: list[dict[str, Any]] | None = None,
        topics: list[Choice] = (),
    ):
        super().__init__()
        self.fields = fields
        self.feedback = feedback or []
        self.topics = list(topics)

    def compose(self) -> ComposeResult:
        f = self.fields
        status = STATUSES.get(f.get("status") or "draft", "")
        with VerticalScroll(classes="dialog", id="kb-entry"):
            name = f["id"] or "新条目（保存时自动编号）"
            yield Label(Text(f"知识库条目 {name} · {status}（F2 保存，Esc 取消）", style="bold"))
            if self.feedback:
                yield Static(self._feedback_text(), id="kb-entry-feedback")
            for name, label, hint in LINES:
                yield labelled(
                    label, Input(f.get(name) or "", placeholder=hint, id=name, compact=True), name
                )
                if name == "title":
                    topic = Picker("分类名、拼音或首字母，如 grwt 供热问题", id="topic_code")
                    yield labelled("主题分类", topic, "topic_code")
            with Horizontal(classes="field-line"):
                yield Label("可见范围", classes="field-label")
                yield Select(
                    [(label, code) for code, label in VISIBILITIES.items()],
                    value=f.get("visibility") or "internal",
                    allow_blank=False,
                    id="visibility",
                    compact=True,
                )
            yield Label("常见问法（每行一种）")
            yield TextArea("\n".join(f.get("questions") or []), id="questions")
            yield FieldError(id="err-questions", classes="field-error")
            yield Label("答案")
            yield TextArea(f.get("answer") or "", id="answer", soft_wrap=True)
            yield FieldError(id="err-answer", classes="field-error")
            yield Static("", id="dialog-error")

    def on_mount(self) -> None:
        picker = self.query_one("#topic_code", Picker)
        picker.set_choices(self.topics)
        if self.fields.get("topic_code"):
            picker.select(self.fields["topic_code"])
        self.query_one("#title", Input).focus()

    def _feedback_text(self) -> Text:
        text = Text("话务员反馈：\n", style="bold")
        for item in self.feedback:
            style = "red" if item["kind"] == "outdated" else "green"
            text.append(f"  {item['at'][:16].replace('T', ' ')} {item['agent_name']} ", style="dim")
            text.append(FEEDBACK[item["kind"]], style=style)
            if item["note"]:
                text.append("：")
                text.append_text(safe_text(item["note"], 200))
            text.append("\n")
        return text

    def _raw(self) -> dict[str, Any]:
        raw = dict(self.fields)
        for name, _, _ in LINES:
            raw[name] = self.query_one(f"#{name}", Input).value
        raw["topic_code"] = self.query_one("#topic_code", Picker).value
        raw["visibility"] = self.query_one("#visibility", Select).value
        raw["questions"] = [q for q in self.query_one("#questions", TextArea).text.split("\n")]
        raw["answer"] = self.query_one("#answer", TextArea).text
        return raw

    def action_save(self) -> None:
        """Save the entry (the store checks every field; the dialog stays open on a refusal)."""
        self.run_worker(self._save(), exclusive=True, group="kb-entry-save")

    async def _save(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        try:
            saved = await self.app.backend.call(
                reference.run,
                self.app.actor,
                "kb.save_entry",
                {"entry": self._raw()},
                self.app.session,
            )
        except DomainError as exc:
            errors = exc.errors or {exc.field or "": exc.message}
            for name, message in errors.items():
                shown = self.query(f"#err-{name}")
                if shown:
                    shown.first(FieldError).show(message)
            self.query_one("#dialog-error", Static).update(
                Text(f"{len(errors)} 处需要修改：{exc.message}", style="bold red")
            )
            return
        self.dismiss(saved["entry_id"])
