"""Ticket numbers: readable, unique across seats offline, and a check digit that catches mistakes."""

from __future__ import annotations

import random
from datetime import date

import pytest
from support.lifecycle import new_ticket

from store import Store
from store.core.errors import InvalidInput
from store.tickets.numbers import check_digit, compose, format_for_reading, is_valid, parse
from store.tickets.read.queries import get_ticket


def _samples() -> list[str]:
    rng = random.Random(1)
    return [compose(date(2026, 11, 22), rng.randrange(10**7)) for _ in range(200)]


def test_every_single_digit_error_is_caught():
    for number in _samples():
        assert is_valid(number)
        for i, original in enumerate(number):
            for digit in "0123456789":
                if digit != original:
                    assert not is_valid(number[:i] + digit + number[i + 1 :]), (number, i, digit)


def test_every_swap_of_neighbours_is_caught():
    for number in _samples():
        for i in range(len(number) - 1):
            if number[i] != number[i + 1]:
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
                assert not is_valid(swapped), (number, i)


def test_numbers_are_digits_grouped_for_reading_and_parse_back():
    number = compose(date(2026, 11, 22), 5_003_042)
    assert number.isdigit() and len(number) == 14 and number.startswith("261122")
    spoken = format_for_reading(number)
    assert spoken == f"261122 500 3042 {number[-1]}"
    assert parse(spoken) == number
    with pytest.raises(InvalidInput, match="校验位"):
        parse(number[:-1] + str((int(number[-1]) + 1) % 10))
    with pytest.raises(InvalidInput, match="14 位数字"):
        parse("26112290O1042" + check_digit("26112290"))


def test_two_seats_offline_never_share_a_number(city_template, tmp_path, clock):
    import shutil

    from store import directory

    numbers = set()
    for device_no in (3, 4):
        path = tmp_path / f"seat{device_no}.db"
        shutil.copyfile(city_template, path)
        with Store.open(path, clock=clock) as store:
            store.conn.execute("UPDATE meta SET value=? WHERE key='device_no'", (str(device_no),))
        with Store.open(path, clock=clock) as store:
            a = {"a1": directory.get_actor(store.conn, "a1")}
            for _ in range(30):
                numbers.add(get_ticket(store.conn, new_ticket(store, a))["number"])
    assert len(numbers) == 60


def test_numbers_continue_after_reopening(db_path, clock):
    from store import directory

    seen = []
    for _ in range(2):
        with Store.open(db_path, clock=clock) as store:
            a = {"a1": directory.get_actor(store.conn, "a1")}
            seen += [get_ticket(store.conn, new_ticket(store, a))["number"] for _ in range(3)]
    assert len(set(seen)) == 6 and seen == sorted(seen)
