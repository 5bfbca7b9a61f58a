"""Deadlines on the Chinese working-day calendar, with real 2025–2026 holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.lifecycle import new_ticket

from store import Actor
from store.core.clock import CITY_TZ
from store.directory import commands as directory
from store.directory.config import load_config
from store.directory.workdays import WorkCalendar
from store.tickets import workflow as w
from store.tickets.deadlines import Light, Limit, light, limit_for
from store.tickets.read.queries import clocks_of, ticket_light


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CITY_TZ)


CAL = WorkCalendar()


def test_dispatched_the_day_before_national_day_is_due_after_the_holiday():
    # 2025-10-01…08 is the 国庆/中秋 holiday; 2025-10-11 (Saturday) is a make-up working day.
    assert CAL.add_workdays(at(2025, 9, 30, 10), 1) == at(2025, 10, 9, 10)
    assert CAL.add_workdays(at(2025, 9, 30, 10), 5) == at(2025, 10, 14, 10)


def test_make_up_saturday_counts_as_a_working_day():
    assert CAL.is_workday(date(2025, 9, 28))  # Sunday, worked for 国庆
    assert CAL.is_workday(date(2025, 10, 11))  # Saturday, worked for 国庆
    assert CAL.is_workday(date(2026, 2, 28))  # Saturday, worked for 春节 2026
    assert CAL.add_workdays(at(2025, 10, 10, 9), 1) == at(2025, 10, 11, 9)  # Fri → make-up Sat


def test_spring_festival_2026():
    # 2026-02-15…23 off; 2026-02-14 (Sat) and 2026-02-28 (Sat) worked.
    assert CAL.add_workdays(at(2026, 2, 13, 16), 1) == at(2026, 2, 14, 16)
    assert CAL.add_workdays(at(2026, 2, 14, 16), 1) == at(2026, 2, 24, 16)


def test_natural_hours_ignore_the_calendar():
    assert Limit.parse("24h").due(at(2025, 9, 30, 10), CAL) == at(2025, 10, 1, 10)
    assert Limit.parse("2h").due(at(2025, 10, 1, 23), CAL) == at(2025, 10, 2, 1)


def test_start_on_a_day_off_runs_to_the_end_of_the_nth_working_day():
    assert CAL.add_workdays(at(2025, 10, 4, 15), 1) == at(2025, 10, 10, 0)  # end of Oct 9
    assert CAL.add_workdays(at(2026, 11, 21, 15), 2) == at(2026, 11, 25, 0)  # Sat → end of Tue


def test_city_days_off_and_on():
    cal = WorkCalendar(extra_off=[date(2026, 3, 3)], extra_on=[date(2026, 3, 7)])
    assert cal.add_workdays(at(2026, 3, 2, 10), 1) == at(2026, 3, 4, 10)
    assert cal.add_workdays(at(2026, 3, 6, 10), 1) == at(2026, 3, 7, 10)


def test_unknown_year_falls_back_to_weekdays_and_says_so():
    assert not CAL.knows_year(2031) and CAL.knows_year(2026)
    assert CAL.add_workdays(at(2031, 1, 10, 9), 1) == at(2031, 1, 13, 9)  # Friday → Monday


@given(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)),
    st.integers(min_value=1, max_value=15),
)
def test_adding_n_working_days_spans_exactly_n_working_days(start, n):
    start = start.replace(tzinfo=CITY_TZ, microsecond=0)
    due = CAL.add_workdays(start, n)
    assert due > start
    assert CAL.working_seconds(start, due) == pytest.approx(n * 86400, abs=1)


def test_rules_pick_the_most_specific_limit(store):
    config = load_config(store.conn)
    assert str(limit_for(config, "handle", "consult", "normal")) == "3wd"
    assert str(limit_for(config, "handle", "complaint", "normal")) == "5wd"
    assert str(limit_for(config, "handle", "consult", "urgent")) == "24h"
    assert str(limit_for(config, "sign", "help", "critical")) == "1h"
    rules = config.deadlines
    rules["handle"]["complaint"] = "10wd"  # some cities give complaints 10 working days
    directory.set_config(store, Actor.system(), "deadlines", rules)
    assert str(limit_for(load_config(store.conn), "handle", "complaint", "normal")) == "10wd"


def test_dispatch_sets_clocks_from_the_rules(store, actors, clock):
    clock.now = at(2025, 9, 30, 10)
    t = new_ticket(store, actors, type="complaint")
    w.dispatch(store, actors["a1"], t, "U2")
    clocks = {c.kind: c for c in clocks_of(store.conn, t, clock())}
    assert clocks["sign"].due_at == at(2025, 10, 9, 10)
    assert clocks["return"].due_at == at(2025, 10, 10, 10)
    assert clocks["handle"].due_at == at(2025, 10, 14, 10)
    urgent = new_ticket(store, actors, urgency="urgent")
    w.dispatch(store, actors["a1"], urgent, "U2")
    clocks = {c.kind: c for c in clocks_of(store.conn, urgent, clock())}
    assert clocks["handle"].due_at == at(2025, 10, 1, 10)  # 24 natural hours, holiday or not
    assert clocks["sign"].due_at == at(2025, 9, 30, 12)


def test_lights_green_yellow_red(store):
    config = load_config(store.conn)
    start, due = at(2026, 3, 2, 10), at(2026, 3, 9, 10)  # 5 working days
    assert light(config, "5wd", start, due, at(2026, 3, 4, 10)) is Light.GREEN
    assert light(config, "5wd", start, due, at(2026, 3, 6, 11)) is Light.YELLOW  # < 1 working day
    assert light(config, "5wd", start, due, at(2026, 3, 9, 10)) is Light.RED
    # time left counts working days only: on Saturday noon only Monday 00:00–10:00 is left
    assert light(config, "5wd", start, due, at(2026, 3, 7, 12)) is Light.YELLOW
    # a 1-working-day clock is green until 20 % is left, not yellow from the start
    assert (
        light(config, "1wd", at(2026, 3, 2, 10), at(2026, 3, 3, 10), at(2026, 3, 2, 12))
        is Light.GREEN
    )
    assert (
        light(config, "1wd", at(2026, 3, 2, 10), at(2026, 3, 3, 10), at(2026, 3, 3, 6))
        is Light.YELLOW
    )
    assert (
        light(config, "2h", at(2026, 3, 2, 10), at(2026, 3, 2, 12), at(2026, 3, 2, 11, 40))
        is Light.YELLOW
    )
    assert (
        light(config, "2h", at(2026, 3, 2, 10), at(2026, 3, 2, 12), at(2026, 3, 2, 11))
        is Light.GREEN
    )


def test_ticket_light_is_its_worst_open_clock_and_stops_when_signed(store, actors, clock):
    t = new_ticket(store, actors)
    w.dispatch(store, actors["a1"], t, "U2")
    assert ticket_light(store.conn, t, clock()) is Light.GREEN
    late = clock() + timedelta(days=1, hours=1)
    assert ticket_light(store.conn, t, late) is Light.RED  # sign overdue
    clock.now = late
    w.sign(store, actors["l2"], t)
    sign = next(c for c in clocks_of(store.conn, t, late) if c.kind == "sign")
    assert sign.stopped_at == late and sign.light is None
    assert ticket_light(store.conn, t, late) is Light.GREEN  # contact clock just started
    assert ticket_light(store.conn, t, late + timedelta(hours=2, minutes=30)) is Light.YELLOW


def test_a_passed_return_window_lapses_and_never_makes_the_ticket_overdue(store, actors, clock):
    t = new_ticket(store, actors)
    w.dispatch(store, actors["a1"], t, "U2")
    w.sign(store, actors["l2"], t)
    w.contact(store, actors["l2"], t, "已联系")
    later = clock() + timedelta(
        days=2, hours=1
    )  # past the 2-working-day window, handle still green
    clocks = {c.kind: c for c in clocks_of(store.conn, t, later)}
    assert clocks["return"].lapsed and not clocks["return"].counts_for_ticket
    assert not clocks["handle"].lapsed and clocks["handle"].counts_for_ticket
    assert ticket_light(store.conn, t, later) is not Light.RED


def test_a_deadline_typed_as_a_date_alone_ends_that_working_day():
    from store.core.errors import InvalidInput
    from store.tickets.deadlines import parse_due

    assert parse_due("2026-12-01") == datetime(2026, 12, 1, 17, 30, tzinfo=CITY_TZ)
    assert parse_due(" 2026-12-01 09:15 ") == datetime(2026, 12, 1, 9, 15, tzinfo=CITY_TZ)
    with pytest.raises(InvalidInput, match="期限格式不对"):
        parse_due("下周一")
