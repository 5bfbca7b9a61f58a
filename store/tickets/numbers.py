"""Ticket numbers a caller can read back on the phone, unique across all seats offline.

Form: ``YYMMDD`` + a 7-digit serial + a Damm check digit — 14 digits, shown grouped as
``251122 500 3042 7``. Serials below 5,000,000 are for blocks the central server leases to
seats; a seat without a lease uses its own range: 5,000,000 + device number × 1,000 + a
daily counter (device numbers 0–4,999, which the server hands out at registration), so two
seats never produce the same number even offline. The Damm check digit catches every
single mistyped digit and every swap of two neighbours.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from store.core.errors import DomainError, InvalidInput

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

NUMBER_LENGTH = 14
OFFLINE_DAILY_MAX = 999
OFFLINE_BASE = 5_000_000  # serials from here up are the seats' own offline ranges
LEASED_MAX = OFFLINE_BASE - 1  # serials the central server leases
MAX_DEVICE_NO = 4_999


def check_digit(digits: str) -> str:
    """The Damm check digit of a string of digits."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def is_valid(number: str) -> bool:
    """True if ``number`` (spaces and hyphens allowed) is a well-formed ticket number."""
    digits = number.replace(" ", "").replace("-", "")
    return len(digits) == NUMBER_LENGTH and digits.isdigit() and check_digit(digits) == "0"


def parse(number: str) -> str:
    """Return the 14 digits of a typed ticket number, or raise with a Chinese message."""
    digits = number.replace(" ", "").replace("-", "").strip()
    if not digits.isdigit() or len(digits) != NUMBER_LENGTH:
        raise InvalidInput(f"工单号应为 {NUMBER_LENGTH} 位数字：{number!r}", field="number")
    if check_digit(digits) != "0":
        raise InvalidInput(
            f"工单号 {number} 校验位不符，可能有数字听错或颠倒，请核对。", field="number"
        )
    return digits


def format_for_reading(number: str) -> str:
    """Group a number for reading aloud: ``251122 500 3042 7``."""
    return f"{number[:6]} {number[6:9]} {number[9:13]} {number[13:]}"


def compose(day: date, serial: int) -> str:
    """Build the full number for ``serial`` on ``day``."""
    body = f"{day:%y%m%d}{serial:07d}"
    return body + check_digit(body)


def next_offline_number(conn: sqlite3.Connection, device_no: int, day: date) -> str:
    """Take the next number of this seat's own range for ``day``.

    Must run inside the transaction that writes the ticket, so a crash can never hand the
    same number out twice.
    """
    if not 0 <= device_no <= MAX_DEVICE_NO:
        raise ValueError(f"device number out of range: {device_no}")
    key = day.isoformat()
    row = conn.execute("SELECT next FROM number_counters WHERE day = ?", (key,)).fetchone()
    counter = row[0] if row else 1
    if counter > OFFLINE_DAILY_MAX:
        raise DomainError("本座席今日离线工单号已用完，请联网同步后再登记。")
    conn.execute(
        "INSERT INTO number_counters (day, next) VALUES (?, ?) "
        "ON CONFLICT (day) DO UPDATE SET next = excluded.next",
        (key, counter + 1),
    )
    return compose(day, OFFLINE_BASE + device_no * 1000 + counter)


def next_number(conn: sqlite3.Connection, device_no: int, day: date) -> str:
    """Take the next ticket number for ``day``: from a block the central server leased to
    this seat if one is left, else from the seat's own offline range.

    Must run inside the transaction that writes the ticket.
    """
    key = day.isoformat()
    lease = conn.execute(
        "SELECT next, last FROM number_leases WHERE day = ? AND next <= last ORDER BY next LIMIT 1",
        (key,),
    ).fetchone()
    if lease is None:
        return next_offline_number(conn, device_no, day)
    serial, last = lease
    conn.execute("DELETE FROM number_leases WHERE day = ? AND next = ?", (key, serial))
    if serial < last:
        conn.execute(
            "INSERT INTO number_leases (day, next, last) VALUES (?, ?, ?)", (key, serial + 1, last)
        )
    return compose(day, serial)


def leased_left(conn: sqlite3.Connection, day: date) -> int:
    """How many leased numbers for ``day`` this seat has not used yet."""
    row = conn.execute(
        "SELECT coalesce(sum(last - next + 1), 0) FROM number_leases WHERE day = ? AND next <= last",
        (day.isoformat(),),
    ).fetchone()
    return row[0]


def add_lease(conn: sqlite3.Connection, day: date, first: int, last: int) -> None:
    """Keep a block of serials ``first``–``last`` the central server leased for ``day``."""
    if not 1 <= first <= last <= LEASED_MAX:
        raise ValueError(f"bad lease {first}–{last}")
    conn.execute(
        "INSERT OR IGNORE INTO number_leases (day, next, last) VALUES (?, ?, ?)",
        (day.isoformat(), first, last),
    )
