"""Everything the dispatch dialog shows before the agent confirms: the units to choose from,
the catalogue's suggestion, the deadlines this dispatch will start, and what to mind."""

from __future__ import annotations

from dataclasses import dataclass

from store.core.clock import from_text
from store.core.seat import Store
from store.directory import choices
from store.directory.catalogue import suggest
from store.directory.choices import Choice
from store.tickets import calendar_years
from store.tickets.states import State
from store.tickets.workflow.base import load_ticket
from store.tickets.workflow.routing import preview_dispatch


@dataclass(frozen=True)
class DispatchForm:
    units: list[Choice]
    suggested: str | None
    clocks: dict[str, dict[str, str]]
    district_code: str
    district_name: str
    unit_districts: dict[str, frozenset[str]]  # districts a unit covers ('' : the whole city)
    notes: list[str]  # what the agent should know before choosing (returns, the calendar)

    def out_of_area(self, unit_id: str) -> bool:
        """True if ``unit_id`` covers districts, and not the caller's."""
        covered = self.unit_districts.get(unit_id, frozenset())
        return bool(self.district_code and covered and self.district_code not in covered)


def dispatch_form(store: Store, ticket_id: str) -> DispatchForm:
    """The dialog's content for dispatching (or re-dispatching) ``ticket_id`` now."""
    conn = store.conn
    ticket = load_ticket(conn, ticket_id)
    suggested = suggest(conn, ticket["topic_code"], ticket["district_code"], ticket["street_code"])
    notes = []
    if ticket["return_count"] or ticket["state"] == State.RETURNED:
        limit = store.config().max_returns
        notes.append(
            f"已退单 {ticket['return_count']} 次。"
            + (
                f"退单满 {limit} 次后由热线指定承办单位，不能再退。"
                if ticket["return_count"] + 1 >= limit
                else ""
            )
        )
    if suggested and suggested == ticket["lead_unit_id"] and ticket["state"] == State.RETURNED:
        notes.append("派单目录推荐的单位刚退回了这张工单，请另选承办单位。")
        suggested = None
    clocks = preview_dispatch(store, ticket_id)
    years = sorted({from_text(c["due_at"]).year for c in clocks.values()})
    calendar = store.config().calendar()
    unknown = [y for y in years if not calendar.knows_year(y)]
    if unknown:
        notes.append(calendar_years.warning(unknown))
    district = conn.execute("SELECT name FROM districts WHERE code = ?", (ticket["district_code"],))
    found = district.fetchone()
    return DispatchForm(
        units=choices.units(conn),
        suggested=suggested,
        clocks=clocks,
        district_code=ticket["district_code"],
        district_name=found[0] if found else "",
        unit_districts=choices.unit_districts(conn),
        notes=notes,
    )
