"""A field that picks one entry of a long list, filtering as you type.

Type Chinese, full pinyin or pinyin initials (``wygl`` → 物业管理); ↑/↓ move through the
matches, Enter takes one, Esc closes the list. Filtering is in memory and takes a few
milliseconds even over the whole directory, so it runs on every keystroke.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from store.services.vocabulary import Choice, match

SHOWN = 8


class Picker(Vertical):
    """Input plus a drop-down of matching choices; ``value`` is the chosen code."""

    DEFAULT_CSS = """
    Picker { height: auto; width: 1fr; }
    Picker > OptionList { height: auto; max-height: 10; display: none; }
    Picker.-open > OptionList { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "下一项", show=False, id="picker.down"),
        Binding("up", "move(-1)", "上一项", show=False, id="picker.up"),
        Binding("escape", "close", "收起", show=False, id="picker.close"),
    ]

    class Selected(Message):
        """Posted when the agent chooses an option (or clears the choice)."""

        def __init__(self, picker: Picker, choice: Choice | None):
            super().__init__()
            self.picker = picker
            self.choice = choice

        @property
        def control(self) -> Picker:
            """The picker the choice was made in."""
            return self.picker

    def __init__(self, placeholder: str, *, id: str | None = None):
        super().__init__(id=id)
        self._placeholder = placeholder
        self._choices: list[Choice] = []
        self._shown: list[Choice] = []
        self.choice: Choice | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, compact=True)
        yield OptionList()

    @property
    def value(self) -> str:
        """The chosen option's code ('' if none)."""
        return self.choice.code if self.choice else ""

    def set_choices(self, choices: list[Choice]) -> None:
        """The options to choose from."""
        self._choices = choices

    def has_choice(self, code: str) -> bool:
        """Whether ``code`` is one of the options."""
        return any(c.code == code for c in self._choices)

    def select(self, code: str) -> None:
        """Pick the entry with ``code`` (or clear the field for '')."""
        found = next((c for c in self._choices if c.code == code), None)
        self._take(found)

    def _take(self, choice: Choice | None) -> None:
        self.choice = choice
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = choice.label if choice else ""
        self.remove_class("-open")
        self.post_message(self.Selected(self, choice))

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        if self.choice is not None and event.value != self.choice.label:
            self.choice = None  # edited after choosing: nothing is chosen until Enter
            self.post_message(self.Selected(self, None))
        typed = event.value.strip()
        self._shown = match(self._choices, event.value, limit=50) if typed else []
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(c.label)) for c in self._shown])
        if self._shown:
            options.highlighted = 0
        elif typed and self._choices:  # say so, rather than an empty list that looks broken
            options.add_option(
                Option(
                    Text(f"没有与“{typed}”匹配的项：换个说法，或用拼音首字母", style="yellow"),
                    disabled=True,
                )
            )
        self.set_class(bool(typed) and bool(self._choices), "-open")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if self._shown and options.highlighted is not None:
            self._take(self._shown[options.highlighted])
            self.screen.focus_next()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        """Move the highlight in the open list by ``step``."""
        options = self.query_one(OptionList)
        if not self._shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_close(self) -> None:
        """Close the list without choosing."""
        self.remove_class("-open")
