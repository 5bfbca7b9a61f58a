"""A list of tickets as every queue shows them: number, state, light, due, unit, text."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from console.text import due_text, safe_text
from console.widgets.lights import light_text
from store.services.desk import QueueRow
from store.services.vocabulary import format_for_reading

COLUMNS = (
    ("工单号", 18),
    ("状态", 10),
    ("时效", 8),
    ("期限", 11),
    ("来电人", 13),
    ("承办单位", 16),
    ("内容 / 待办事项", 60),
)
# On a narrow list the unit's name is cut shorter and the text takes what is left.
NARROW_UNIT = 10
MIN_TEXT = 24


class TicketList(DataTable):
    """Rows keyed by ticket id; ``selected`` is the highlighted ticket's id."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_by_id: dict[str, QueueRow] = {}

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            self.add_column(label, width=width)

    def on_resize(self) -> None:
        """Fit the columns to the width: the text column takes the room that is left."""
        columns = list(self.columns.values())
        fixed = sum(width for _, width in COLUMNS[:-1]) + 2 * len(COLUMNS)
        room = self.size.width - fixed
        columns[5].width = NARROW_UNIT if room < MIN_TEXT else COLUMNS[5][1]
        if room < MIN_TEXT:
            room += COLUMNS[5][1] - NARROW_UNIT
        columns[-1].width = max(MIN_TEXT, room)
        self._require_update_dimensions = True
        self.refresh()

    def show(self, rows: list[QueueRow]) -> None:
        """Show ``rows``, keeping the highlighted ticket if it is still there."""
        keep = self.selected
        self.clear()
        self.rows_by_id = {r.id: r for r in rows}
        for r in rows:
            marks = Text()
            if r.urge_count:
                marks.append(f"催{r.urge_count} ", style="bold magenta")
            if r.supervised:
                marks.append("督 ", style="bold red")
            what = marks + safe_text(r.note or r.content, 60)
            self.add_row(
                format_for_reading(r.number),
                r.state.label,
                light_text(r.light),
                due_text(r.due_at) if r.due_at else "—",
                r.caller,
                safe_text(r.unit, 16),
                what,
                key=r.id,
            )
        if keep in self.rows_by_id:
            self.move_cursor(row=self.get_row_index(keep))

    @property
    def selected(self) -> str | None:
        """The highlighted ticket's id, or None."""
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
