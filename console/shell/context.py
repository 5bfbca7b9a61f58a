"""What every shell command works with: the store, the agent signed in, where to print,
how to ask, and the live values completion offers."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from console.shell.completion import LiveValues
from console.shell.terminal import LinePrompter, Prompter
from store import Actor, Store
from store.services import session, tickets


@dataclass
class Context:
    """One shell session."""

    store: Store
    actor: Actor
    out: Console
    prompter: Prompter | LinePrompter
    values: LiveValues
    banner: str = ""  # 培训环境 … on a sandbox store

    def ticket(self, ref: str) -> str:
        """The id of the ticket a number (spaces allowed) or id names; refused in Chinese."""
        return tickets.resolve(self.store, ref)

    def may_open(self, screen: str) -> bool:
        """Whether the agent's role opens ``screen`` (review, callback, watch) in the console."""
        return session.opens_queue(self.actor, screen)

    def ask(self, message: str, **options) -> str:
        """Ask one question (see :meth:`Prompter.ask`)."""
        return self.prompter.ask(message, **options)

    def confirm(self, message: str) -> bool:
        """A yes/no question; only y, yes or 是 is yes."""
        return self.ask(f"{message} [y/N] ").strip().lower() in ("y", "yes", "是")
