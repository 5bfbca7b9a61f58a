"""Completion: the commands and their options, and live values — ticket numbers of the
agent's queues, handling units, topics, districts and streets (in Chinese, full pinyin or
initials, as the console's pickers match them) — from a cache a background thread refreshes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from console.widgets.sync_status import status_line
from store import Actor, Store
from store.services import callbacks, intake, review, session, sync, tickets
from store.services.vocabulary import EMERGENCY_LINES, Choice, State, match, to_text

REFRESH_SECONDS = 30
SHOWN = 30  # completions offered at most


@dataclass
class LiveValues:
    """What completion offers besides the commands, read on a thread of its own (with its
    own read-only connection) so a prompt never waits for the store."""

    path: Path | None
    actor: Actor
    units: list[Choice] = field(default_factory=list)
    topics: list[Choice] = field(default_factory=list)
    areas: list[Choice] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # the agent's queues, newest first
    sync_line: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Read now and every :data:`REFRESH_SECONDS` on a daemon thread."""
        if self.path is not None:
            threading.Thread(target=self._run, name="shell-values", daemon=True).start()

    def stop(self) -> None:
        """Stop refreshing."""
        self._stop.set()

    def remember(self, number: str) -> None:
        """A ticket this session made or touched: offered first from now on."""
        self.numbers = [number, *(n for n in self.numbers if n != number)]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with Store.open_readonly(self.path) as store:
                    self.read(store)
            except Exception:  # noqa: BLE001 - completion is a nicety; the next round tries again
                pass  # (the commands themselves report what is wrong with the store)
            self._stop.wait(REFRESH_SECONDS)

    def read(self, store: Store) -> None:
        """Read every list from ``store`` (also used directly by tests and the bench)."""
        pickers = intake.pickers(store)
        self.topics, self.areas = pickers.topics, pickers.areas
        self.units = tickets.units(store)
        rows = []
        if session.opens_queue(self.actor, "review"):
            rows += review.queue(store)
        if session.opens_queue(self.actor, "callback"):
            rows += callbacks.lists(store).due
        numbers = [r.number for r in rows]
        self.numbers = list(dict.fromkeys([*self.numbers, *numbers]))
        self.sync_line = status_line(sync.status(store), to_text(store.now()))


# What each argument of a command takes: "number", "unit", "topic", "area", "line",
# a tuple of literal words, or None for free text.
Kind = str | tuple[str, ...] | None
POSITIONAL: dict[str, tuple[Kind, ...]] = {
    "lookup": ("number",),
    "answer": ("number",),
    "dispatch": ("number", "unit"),
    "transfer": ("number", tuple(EMERGENCY_LINES)),
    "urge": ("number",),
    "supervise": ("number",),
    "reveal": ("number",),
    "record": ("number",),
    "approve": ("number",),
    "refuse": ("number",),
    "report": (("daily", "weekly", "monthly", "range"),),
    "sync": (("status", "now", "rejected"),),
}
OPTIONS: dict[str, Kind] = {
    "--assist": "unit",
    "--state": tuple(s.value for s in State),
    "--light": ("red", "yellow", "green"),
    "--unit": "unit",
}


class ShellCompleter(Completer):
    """Completes what is being typed from the commands, their options and the live values."""

    def __init__(self, values: LiveValues, commands: Callable[[], dict[str, list[str]]]):
        self.values = values
        self.commands = commands  # name → its options

    def get_completions(self, document: Document, complete_event: CompleteEvent):
        before = document.text_before_cursor
        words = before.split()
        current = "" if before.endswith((" ", "\t")) or not words else words[-1]
        done = words if current == "" else words[:-1]
        if not done:
            yield from _words(self.commands(), current, fuzzy=True)
            return
        name = done[0]
        if name == "help":
            yield from _words(self.commands(), current, fuzzy=True)
            return
        if current.startswith("-"):
            yield from _words(self.commands().get(name, []), current)
            return
        kind = OPTIONS.get(done[-1]) if done[-1].startswith("-") else None
        if kind is None and not done[-1].startswith("-"):
            position = len([w for w in done[1:] if not w.startswith("-")])
            kinds = POSITIONAL.get(name, ())
            kind = kinds[position] if position < len(kinds) else None
        yield from self._values(kind, current)

    def _values(self, kind: Kind, current: str) -> Iterable[Completion]:
        if isinstance(kind, tuple):
            yield from _words(kind, current)
        elif kind == "number":
            digits = current.replace(" ", "")
            found = [n for n in self.values.numbers if n.startswith(digits)][:SHOWN]
            for n in found:
                yield Completion(n, start_position=-len(current))
        elif kind in ("unit", "topic", "area"):
            choices = {"unit": self.values.units, "topic": self.values.topics}.get(
                kind, self.values.areas
            )
            for c in match(choices, current, limit=SHOWN) if current else choices[:SHOWN]:
                yield Completion(
                    c.name, start_position=-len(current), display=c.name, display_meta=c.label
                )


class PickerCompleter(Completer):
    """One picker's list for a guided form's question, matched as the console's pickers
    match (Chinese, full pinyin, initials)."""

    def __init__(self, choices: list[Choice]):
        self.choices = choices

    def get_completions(self, document: Document, complete_event: CompleteEvent):
        typed = document.text_before_cursor
        for c in match(self.choices, typed.strip(), limit=SHOWN):
            yield Completion(c.name, start_position=-len(typed), display_meta=c.label)


def _words(words: Iterable[str], current: str, fuzzy: bool = False) -> Iterable[Completion]:
    """``words`` starting with ``current``, then (``fuzzy``) those holding its letters in
    order (``dsp`` → dispatch)."""
    words = list(words)
    starts = [w for w in words if w.startswith(current)]
    rest = [w for w in words if w not in starts and fuzzy and _in_order(current, w)]
    for w in starts + rest:
        yield Completion(w, start_position=-len(current))


def _in_order(letters: str, word: str) -> bool:
    it = iter(word)
    return all(ch in it for ch in letters)
