"""The header every screen shows: the title, and the agent with the sync line as sub-title."""

from __future__ import annotations

import contextlib

from textual.css.query import NoMatches
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class SeatHeader(Header):
    """Textual's Header, safe against the sub-title changing while the header is still
    being built or already going (the sync line changes every second; Textual's own header
    then looked for a title widget that was not there and took the console down)."""

    def _on_mount(self, event: Mount) -> None:
        # Instead of Header's own handler (the one that failed), not beside it.
        event.prevent_default()

        async def set_title() -> None:
            # Not composed yet, or being removed: the next change redraws it.
            """Put ``text`` in the header's title, as plain text (never markup)."""
            with contextlib.suppress(NoMatches):
                self.query_one(HeaderTitle).update(self.format_title())

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
