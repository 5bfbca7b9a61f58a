"""Pasted text reaches a field as it was meant: in order, without terminal escape sequences.

A caller's words copied from a web form or another terminal can carry escape sequences
(colours, titles). In a bracketed paste, Textual's input parser hands the characters that
follow an escape inside the paste to the key handler, as if typed, and only the rest to the
paste: ``AAA\\x1b[31mBBB`` arrived as ``^[31mBBB`` typed, then ``AAA`` pasted. The seat
reads its terminal through :class:`CleanPasteParser` instead, which removes escape
sequences and control characters from the pasted text before the parser sees it, so the
paste arrives whole: ``AAABBB``. Text fields strip controls as well (``console.text``), for
what arrives another way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import _xterm_parser
from textual.drivers import linux_driver
from textual.message import Message

START = "\x1b[200~"
END = "\x1b[201~"
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles, links
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]"  # control characters but ESC (tab, CR, LF stay)
)
_HOLD_MAX = 64  # an unfinished escape longer than this is garbage, not a sequence


class PasteFilter:
    """Feeds through everything but the inside of bracketed pastes, which it cleans; keeps
    state across reads (a paste may arrive in several)."""

    def __init__(self) -> None:
        self.inside = False
        self._held = ""  # an unfinished escape (or end marker) inside a paste
        self._tail = ""  # the last characters fed outside a paste (a split start marker)

    def __call__(self, data: str) -> str:
        out: list[str] = []
        while data:
            if not self.inside:
                seen = self._tail + data
                at = seen.find(START)
                if at < 0:
                    out.append(data)
                    self._tail = seen[-(len(START) - 1) :]
                    return "".join(out)
                cut = at + len(START) - len(self._tail)  # where the paste starts in data
                out.append(data[:cut])
                data, self._tail, self.inside = data[cut:], "", True
                continue
            text = self._held + data
            self._held = ""
            at = text.find(END)
            if at < 0:
                clean = _SEQUENCE.sub("", text)
                last = clean.rfind("\x1b")
                if last >= 0:  # unfinished: wait for the rest (or the end marker)
                    held = clean[last:]
                    self._held = held if len(held) <= _HOLD_MAX else ""
                    clean = clean[:last]
                out.append(clean)
                return "".join(out)
            out.append(_SEQUENCE.sub("", text[:at]).replace("\x1b", "") + END)
            data, self.inside = text[at + len(END) :], False
        return "".join(out)


class CleanPasteParser(_xterm_parser.XTermParser):
    """Textual's terminal input parser, reading through a :class:`PasteFilter`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._paste_filter = PasteFilter()

    def feed(self, data: str) -> Iterable[Message]:
        """Parse terminal input with escape sequences removed from pasted text."""
        return super().feed(self._paste_filter(data))


def install() -> None:
    """Make Textual's terminal driver read input through :class:`CleanPasteParser` (the
    driver looks the parser up in its module when it starts reading)."""
    linux_driver.XTermParser = CleanPasteParser
