"""A caller's number as a switch gives it, made into the number a seat works with.

Switches send what the network gave them: ``anonymous`` or ``unknown`` for a withheld
number, a mobile with the long-distance prefix (``013812345678``) or the country code
(``+8613812345678``), a landline with its area code (``051268001234``) or without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.core.validation import mask_phone

# What switches send for a number the caller withheld or the network did not give.
_WITHHELD = frozenset(
    {"", "anonymous", "unknown", "unavailable", "private", "restricted", "withheld", "<unknown>"}
)
_SEPARATORS = re.compile(r"[\s\-()（）]")
NUMBER_MAX = 20


@dataclass(frozen=True, slots=True)
class CallerNumber:
    """The caller's number (digits only), or none when it was withheld."""

    digits: str
    withheld: bool

    @property
    def masked(self) -> str:
        """The number as screens and logs show it: 138****5678, or 未显示号码."""
        return "未显示号码" if self.withheld else mask_phone(self.digits)

    @property
    def is_phone(self) -> bool:
        """True if the number is one a ticket's caller number accepts (mobile, landline)."""
        d = self.digits
        return (
            (len(d) == 11 and d[0] == "1")
            or (d[:1] == "0" and 10 <= len(d) <= 12)
            or (d[:1] not in ("", "0", "1") and 7 <= len(d) <= 8)
        )


def from_switch(raw: object) -> CallerNumber:
    """The caller's number from what a switch sent (never raises: odd input is withheld)."""
    text = _SEPARATORS.sub("", str(raw or "")).strip().strip('"')
    if text.lower() in _WITHHELD:
        return CallerNumber("", True)
    if text.startswith("+"):
        text = text[1:]
    if not text.isascii() or not text.isdigit() or len(text) > NUMBER_MAX:
        return CallerNumber("", True)
    if text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13 and text[2] == "1":
        text = text[2:]
    # A mobile from another area arrives with the long-distance prefix 0.
    if len(text) == 12 and text[0] == "0" and text[1] == "1" and text[2] in "3456789":
        text = text[1:]
    return CallerNumber(text, False)
