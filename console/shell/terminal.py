"""Asking and telling: the shell's prompts (prompt-toolkit on a terminal, plain lines from a
pipe) and its output (rich, measuring Chinese by terminal cells, colour only when wanted)."""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer
from prompt_toolkit.formatted_text import AnyFormattedText
from prompt_toolkit.history import FileHistory, History
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from rich.console import Console

from console.text import strip_controls
from store.services.vocabulary import mask_personal


class Cancelled(Exception):
    """The person pressed Ctrl+C: the question (or the guided form) is dropped."""


def output(file: TextIO | None = None, *, width: int | None = None) -> Console:
    """Where the shell prints: plain text into a pipe or with ``NO_COLOR``; nothing anyone
    typed is read as markup or highlighted."""
    stream = file or sys.stdout
    plain = bool(os.environ.get("NO_COLOR")) or not stream.isatty()
    return Console(
        file=stream,
        width=width,
        color_system=None if plain else "auto",
        no_color=plain,
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


class MaskedHistory(FileHistory):
    """The command history file, with phone and ID numbers masked before they are written:
    ``lookup 13912345678`` is kept as ``lookup 〔号码已隐去〕``."""

    def store_string(self, string: str) -> None:
        super().store_string(mask_personal(string))


class Prompter:
    """Questions on a terminal: prompt-toolkit with completion, history and a toolbar."""

    interactive = True

    def __init__(
        self,
        *,
        history: History | None = None,
        toolbar: Callable[[], AnyFormattedText] | None = None,
        **session_options,
    ):
        keys = KeyBindings()

        @keys.add("escape", "enter")
        def _end_multiline(event) -> None:
            event.current_buffer.validate_and_handle()

        self.keys = keys
        self.session: PromptSession = PromptSession(
            history=history,
            bottom_toolbar=toolbar,
            key_bindings=keys,
            complete_while_typing=True,
            **session_options,
        )

    def ask(
        self,
        message: str,
        *,
        completer: Completer | None = None,
        default: str = "",
        multiline: bool = False,
        password: bool = False,
        remember: bool = False,
    ) -> str:
        """One answer. Ctrl+C raises :class:`Cancelled`, Ctrl+D ``EOFError``. A multi-line
        answer ends on an empty line or Esc Enter."""
        try:
            if multiline:
                return self._lines(message)
            # Every option is given each time: a PromptSession keeps the last call's.
            return self.session.prompt(
                message,
                completer=completer,
                default=default,
                is_password=password,
                enable_history_search=remember,
                multiline=False,
                key_bindings=self.keys,
            )
        except KeyboardInterrupt:
            raise Cancelled from None

    def wait_for_key(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for a key (which is consumed); True if one came."""
        source = self.session.input
        with source.raw_mode():
            ready, _, _ = select.select([source.fileno()], [], [], seconds)
            if ready:
                source.read_keys()
        return bool(ready)

    def _lines(self, message: str) -> str:
        text = self.session.prompt(
            message,
            completer=None,
            default="",
            is_password=False,
            enable_history_search=False,
            multiline=True,
            key_bindings=merge_key_bindings([self.keys, _MULTILINE]),
            prompt_continuation="… ",
        )
        return text.rstrip("\n")


_MULTILINE = KeyBindings()


@_MULTILINE.add("enter")
def _newline_or_done(event) -> None:
    """Enter starts a new line; on an empty line it ends the text (as Esc Enter does)."""
    buffer = event.current_buffer
    if buffer.document.current_line.strip():
        buffer.insert_text("\n")
    else:
        buffer.validate_and_handle()


class LinePrompter:
    """Questions answered by the lines of a pipe (``echo … | hotline shell``): no prompt is
    drawn, an answer is the next line; a multi-line answer ends on an empty line."""

    interactive = False

    def __init__(self, lines: TextIO):
        self.lines = lines

    def ask(self, message: str, *, multiline: bool = False, **_options) -> str:
        """The next line (or lines, up to an empty one); ``EOFError`` at the end."""
        if not multiline:
            return self._line()
        found = []
        while True:
            try:
                line = self._line()
            except EOFError:
                break
            if not line.strip():
                break
            found.append(line)
        return "\n".join(found)

    def wait_for_key(self, seconds: float) -> bool:
        """A pipe has no keys to press: a refreshing command runs once."""
        return True

    def _line(self) -> str:
        line = self.lines.readline()
        if not line:
            raise EOFError
        return strip_controls(line.rstrip("\n"))
