"""The periods a bulletin covers and the ones it is compared with (环比, 同比)."""

from __future__ import annotations

from datetime import date

import pytest

from store import DomainError
from store.reports.periods import between, day, month, week


def test_a_month_is_compared_with_the_month_before_and_a_year_before():
    march = month("2026-03")
    assert (march.first, march.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (march.previous().first, march.previous().last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert march.year_before().first == date(2025, 3, 1)
    assert march.bounds() == ("2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00")


def test_an_iso_week_runs_monday_to_sunday_across_the_new_year():
    w53 = week("2026-W53")
    assert (w53.first, w53.last) == (date(2026, 12, 28), date(2027, 1, 3))
    assert w53.label == "2026年第53周（12月28日至01月03日）"
    assert w53.year_before().first == date(2025, 12, 22)  # 2025 has 52 weeks: its last
    with pytest.raises(DomainError, match="2027 年没有第 53 周"):
        week("2027-W53")


def test_a_range_is_compared_with_as_many_days_before():
    r = between("2026-10-01", "2026-10-07")
    assert (r.previous().first, r.previous().last) == (date(2026, 9, 24), date(2026, 9, 30))
    assert day("2024-02-29").year_before().first == date(2023, 2, 28)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: month("2026-1"), "月份应写作"),
        (lambda: month("2026-00"), "月份应写作"),
        (lambda: week("2026W43"), "周应写作"),
        (lambda: day("2026/10/01"), "日期应写作"),
        (lambda: between("2026-10-09", "2026-10-01"), "截止日期早于起始日期"),
        (lambda: between("2000-01-01", "2026-10-01"), "最长十年"),
    ],
)
def test_a_malformed_period_is_refused_in_chinese(make, words):
    with pytest.raises(DomainError, match=words):
        make()
