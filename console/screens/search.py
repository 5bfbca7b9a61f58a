"""Ticket search: number, phone, words, state, light, date range — results as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from console.screens.oversight import OVERSIGHT_BINDINGS, OversightKeys
from console.text import safe_text
from console.widgets.lights import light_text
from console.widgets.picker import Picker
from console.widgets.seat_header import SeatHeader
from store import DomainError
from store.services import tickets
from store.services.tickets import SHOWN, Criteria
from store.services.vocabulary import Light, State, format_for_reading, mask_phone


class SearchScreen(OversightKeys, Screen):
    """Ticket search by number, phone, words, state, light, dates and unit; Enter opens a ticket."""

    BINDINGS = [
        Binding("escape", "back", "返回", id="search.back"),
        Binding("f5", "run", "查询", id="search.run"),
        Binding("ctrl+t", "focus_results", "结果列表", id="search.results"),
        *OVERSIGHT_BINDINGS,
    ]

    def oversight_target(self) -> str | None:
        """The highlighted ticket's id, or None."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def after_oversight(self) -> None:
        """Search again after an urge, supervision or escalation."""
        self.action_run()

    def compose(self) -> ComposeResult:
        yield SeatHeader()
        with Vertical(id="search-form"):
            with Horizontal(classes="row"):
                yield self._input("工单号", "number", "可只输前几位")
                yield self._input("电话", "phone", "来电或回访号码")
                yield self._input("关键词", "words", "多个词用空格分开")
            with Horizontal(classes="row"):
                yield self._labelled(
                    "状态",
                    Select(
                        [(s.label, s.value) for s in State], prompt="全部", compact=True, id="state"
                    ),
                )
                yield self._labelled(
                    "时效",
                    Select(
                        [(lt.label, lt.value) for lt in Light],
                        prompt="全部",
                        compact=True,
                        id="light",
                    ),
                )
                yield self._input("受理日起", "date_from", "年-月-日")
                yield self._input("受理日止", "date_to", "年-月-日")
            yield self._labelled(
                "承办单位", Picker("单位名、拼音、首字母或简称，如 东湖住建", id="unit")
            )
            yield Static("", id="search-status")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @staticmethod
    def _labelled(label: str, widget) -> Horizontal:
        return Horizontal(Label(label, classes="field-label"), widget, classes="field field-line")

    def _input(self, label: str, name: str, placeholder: str) -> Horizontal:
        return self._labelled(label, Input(placeholder=placeholder, compact=True, id=name))

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "工单号", "受理时间", "来电", "分类", "状态", "时效", "诉求内容"
        )
        self.query_one("#number", Input).focus()
        self.load_units()
        self.action_run()

    @work(group="units")
    async def load_units(self) -> None:
        """Give the unit picker the handling units."""
        self.query_one("#unit", Picker).set_choices(await self.app.backend.call(tickets.units))

    @on(Picker.Selected)
    def _unit_chosen(self) -> None:
        self.action_run()

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.action_run()  # (the unit picker keeps its own typing; choosing a unit searches)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_focus_results()

    def action_run(self) -> None:
        """Search with what is typed now (F5); a bad date is said, not searched."""
        try:
            criteria = self._criteria()
        except DomainError as exc:
            self._status(exc.message, "bold red")
            return
        self.run_search(criteria)

    def _criteria(self) -> Criteria:
        typed = ("number", "phone", "words", "date_from", "date_to")
        text = {n: self.query_one(f"#{n}", Input).value for n in typed}
        selects = {n: self.query_one(f"#{n}", Select).value for n in ("state", "light")}
        return tickets.criteria(
            **text,
            **{k: (v if isinstance(v, str) else "") for k, v in selects.items()},  # blank: all
            unit_id=self.query_one("#unit", Picker).value,
        )

    @work(exclusive=True, group="search")
    async def run_search(self, criteria: Criteria) -> None:
        """Run the search and show the tickets found."""
        try:
            found = await self.app.backend.call(tickets.find, criteria)
        except DomainError as exc:
            self._status(exc.message, "bold red")
            return
        table = self.query_one(DataTable)
        table.clear()
        for t in found:
            table.add_row(
                format_for_reading(t.number),
                t.registered_at.strftime("%Y-%m-%d %H:%M"),
                mask_phone(t.caller_phone),
                safe_text(t.topic, 16),
                t.state.label,
                light_text(t.light),
                safe_text(t.content, 60),
                key=t.id,
            )
        self._status(
            f"找到 {len(found)} 件"
            + (f"（最多显示 {SHOWN} 件，请加条件缩小范围）" if len(found) >= SHOWN else "")
            + "；回车查看详情",
            "dim",
        )

    def _status(self, message: str, style: str) -> None:
        if style == "bold red":  # results of other criteria would mislead
            self.query_one(DataTable).clear()
        self.query_one("#search-status", Static).update(Text(message, style=style))

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from console.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value))

    def action_focus_results(self) -> None:
        """Move to the results."""
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        """Back to the screen search was opened from (not from a home screen)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
