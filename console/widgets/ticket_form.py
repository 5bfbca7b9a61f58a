"""The ticket form (docs/domain.md §2): caller, five elements, channel, type, topic, urgency, flags.

Each field has an error line under it; ``show_error`` puts the store's Chinese message next
to the field it names.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Select, TextArea

from console.text import strip_controls
from console.widgets.field_error import FieldError, labelled
from console.widgets.picker import Picker
from store.services.intake import TicketDraft
from store.services.vocabulary import CHANNELS, GENDERS, TYPES, URGENCIES, Choice

FLAGS = {
    "anonymous": "匿名",
    "confidential": "保密件",
    "business": "企业诉求",
    "repeat": "重复件",
    "leader_attention": "领导关注",
}


def _select(options: dict[str, str], name: str, value: str) -> Select:
    return Select(
        [(label, code) for code, label in options.items()],
        value=value,
        allow_blank=False,
        compact=True,
        id=name,
    )


def _input(name: str, placeholder: str = "") -> Input:
    return Input(placeholder=placeholder, compact=True, id=name)


class TicketForm(VerticalScroll):
    """Everything the agent records during the call except the caller's number."""

    class Mounted(Message):
        """The form is on screen (it is mounted lazily, after the first frame)."""

    _choices: tuple[list[Choice], list[Choice]] | None = None
    repeat_suggested = False  # 重复件 was ticked by the console (a repeat caller), not typed

    def on_mount(self) -> None:
        self._apply_choices()
        self.post_message(self.Mounted())

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield labelled("姓名", _input("caller_name", "如 王先生"), "caller_name")
            yield labelled("性别", _select(GENDERS, "caller_gender", ""), "caller_gender")
            yield labelled(
                "回访号码", _input("callback_phone", "与来电号码不同时填写"), "callback_phone"
            )
        with Horizontal(classes="row"):
            yield labelled("来源", _select(CHANNELS, "channel", "phone"), "channel")
            yield labelled("类型", _select(TYPES, "type", "consult"), "type")
            yield labelled("紧急", _select(URGENCIES, "urgency", "normal"), "urgency")
        yield labelled(
            "诉求分类",
            Picker("汉字、拼音或首字母，如 wygl 物业管理", id="topic_code"),
            "topic_code",
        )
        with Horizontal(classes="row"):
            yield labelled("区县街道", Picker("如 hbjd 湖滨街道", id="area"), "street_code")
            yield labelled("详细地址", _input("address", "路名门牌、小区楼栋"), "address")
        yield labelled("发生时间", _input("happened", "如 昨晚十一点起"), "happened")
        yield labelled("诉求内容", TextArea(id="content", soft_wrap=True, compact=True), "content")
        yield labelled("诉求要求", _input("request", "来电人要求怎样解决"), "request")
        with Horizontal(classes="row flags"):
            for name, label in FLAGS.items():
                yield Checkbox(label, compact=True, id=name)
        yield labelled(
            "警情号", _input("incident_110", "110 转来时填写 110 警情号"), "incident_110"
        )

    def set_choices(self, topics: list[Choice], areas: list[Choice]) -> None:
        """Give the pickers their lists (kept until the pickers exist, if they do not yet)."""
        self._choices = (topics, areas)
        self._apply_choices()

    def _apply_choices(self) -> None:
        pickers = (self.query("#topic_code").results(Picker), self.query("#area").results(Picker))
        found = [next(iter(p), None) for p in pickers]
        if self._choices is None or None in found:
            return  # still composing: on_mount applies them
        for picker, entries in zip(found, self._choices, strict=True):
            picker.set_choices(entries)

    def draft(self, caller_phone: str) -> TicketDraft:
        """The form as a draft for ``store.services.intake.register`` (the store validates it)."""
        area = self.query_one("#area", Picker).value
        district, _, street = area.partition("/")
        values = {
            name: self.query_one(f"#{name}", Input).value
            for name in (
                "caller_name",
                "callback_phone",
                "address",
                "happened",
                "request",
                "incident_110",
            )
        }
        selects = {
            name: self.query_one(f"#{name}", Select).value
            for name in ("caller_gender", "channel", "type", "urgency")
        }
        flags = {name: self.query_one(f"#{name}", Checkbox).value for name in FLAGS}
        # pasted text may carry terminal escapes: save it as the agent sees it, without them
        values = {name: strip_controls(value) for name, value in values.items()}
        return TicketDraft(
            content=strip_controls(self.query_one("#content", TextArea).text, keep_newlines=True),
            topic_code=self.query_one("#topic_code", Picker).value,
            caller_phone=caller_phone,
            district_code=district,
            street_code=street,
            **values,
            **selects,
            **flags,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message under its field and move the cursor to the first bad field."""
        self.clear_errors()
        first = None
        for field, message in errors.items():
            name = {"district_code": "street_code"}.get(field, field)
            targets = self.query(f"#err-{name}")
            target = targets.first() if targets else self.query_one("#err-content", FieldError)
            target.show(message)
            first = first or target
        if first is not None:
            first.parent.scroll_visible()
            focus = first.parent.query("Input, TextArea, Select")
            if focus:
                focus.first().focus()

    def clear_errors(self) -> None:
        """Hide every field's error."""
        for error in self.query(FieldError):
            error.show("")

    def reset(self) -> None:
        """Empty every field for the next call."""
        self.clear_errors()
        for field in self.query(Input):
            field.value = ""
        self.query_one("#content", TextArea).text = ""
        for checkbox in self.query(Checkbox):
            checkbox.value = False
        self.repeat_suggested = False
        for name, value in (
            ("caller_gender", ""),
            ("channel", "phone"),
            ("type", "consult"),
            ("urgency", "normal"),
        ):
            self.query_one(f"#{name}", Select).value = value
        for picker in self.query(Picker):
            picker.select("")

    def has_input(self) -> bool:
        """True if anything was typed or chosen (what a new call would throw away); the
        repeat flag the console ticked itself is not the agent's work."""
        typed = any(field.value.strip() for field in self.query(Input))
        content = self.query_one("#content", TextArea).text.strip()
        boxes = self.query(Checkbox)
        ticked = any(b.value for b in boxes if not (b.id == "repeat" and self.repeat_suggested))
        return typed or bool(content) or ticked

    def suggest_repeat(self) -> bool:
        """Tick 重复件 (a repeat caller); False if it was ticked already."""
        box = self.query_one("#repeat", Checkbox)
        if box.value:
            return False
        box.value = self.repeat_suggested = True
        return True

    def offer_topic(self, code: str) -> bool:
        """Choose topic ``code`` if no topic is chosen yet (a cited entry's); True if it was."""
        picker = self.query_one("#topic_code", Picker)
        if picker.value or not picker.has_choice(code):
            return False
        picker.select(code)
        return True

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _edited(self, event) -> None:
        """A field being corrected loses its error line."""
        node = event.control
        while node is not None and node is not self:
            if node.id and node.id.startswith("field-"):
                errors = node.query(FieldError)
                if errors:
                    errors.first().show("")
                return
            node = node.parent

    @on(Picker.Selected)
    def _picked(self, event: Picker.Selected) -> None:
        self._edited(event)

    def set_locked(self, locked: bool) -> None:
        """After an outcome the ticket is done: the form is shown but can no longer change."""
        for widget in self.query("Input, TextArea, Select, Checkbox"):
            widget.disabled = locked
