"""Showing people's words safely: as data, never as markup, without control characters."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from rich.cells import cell_len
from rich.text import Text

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def strip_controls(value: str, *, keep_newlines: bool = False) -> str:
    """Remove terminal escape sequences and control characters.

    For one-line display newlines and tabs become spaces; ``keep_newlines`` keeps them
    (text that is being saved, such as a pasted complaint).
    """
    if keep_newlines:
        return "\n".join(_CONTROL.sub("", line) for line in value.replace("\r\n", "\n").split("\n"))
    return _CONTROL.sub("", value.replace("\n", " ").replace("\t", " "))


def say(*parts: object, file: TextIO | None = None, end: str = "\n") -> None:
    """``print`` for the command line: whatever a caller, an agent or a server wrote is
    printed without its control sequences (no window titles, cleared screens or fake
    prompts in an operator's terminal)."""
    text = " ".join(str(p) for p in parts)
    print(strip_controls(text, keep_newlines=True), file=file or sys.stdout, end=end)


def safe_text(value: str, max_cells: int | None = None) -> Text:
    """A ``rich.text.Text`` of ``value``: ``[/red]`` shows as typed; cut to ``max_cells``
    terminal cells (a Chinese character takes two) with an ellipsis."""
    clean = strip_controls(value)
    if max_cells is not None and cell_len(clean) > max_cells:
        out, width = [], 0
        for ch in clean:
            w = cell_len(ch)
            if width + w > max_cells - 1:
                break
            out.append(ch)
            width += w
        clean = "".join(out) + "…"
    return Text(clean)


WEEKDAYS = "一二三四五六日"


def due_text(due, *, year: bool = False, weekday: bool = False) -> str:
    """A deadline as people read it: midnight is the end of the day before (周五 24:00, not
    周六 00:00), which is how a deadline counted in working days ends."""
    from datetime import timedelta

    day, clock = due, due.strftime("%H:%M")
    if clock == "00:00":
        day, clock = due - timedelta(days=1), "24:00"
    text = day.strftime("%Y-%m-%d" if year else "%m-%d")
    if weekday:
        text += f"（周{WEEKDAYS[day.weekday()]}）"
    return f"{text} {clock}" if not weekday else f"{text}{clock}"
