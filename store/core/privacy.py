"""Finding personal numbers in text that leaves the hotline (replies, KB entries, reports,
what a handling unit reads).

Domain.md §8: replies carry no caller phone, ID number or door number. The check is
deliberately specific (an 11-digit mobile, an 18-digit ID, a room or unit number), so an
ordinary reply that cites a 文号 or a road address passes. It reads numbers the way people
write them to get past a filter: full-width digits (１３８…), Chinese numerals as a number
is read aloud (一三八…, 幺 for 1), and digits spaced or dotted apart (1 3 8…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
_ID_CARD = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<!\d)\d{15}(?!\d)")
_DOOR = re.compile(
    r"\d+\s*(?:栋|幢|号楼|座)\s*\d+\s*单元(?:\s*\d+\s*(?:室|号|户)?)?"
    r"|\d+\s*单元\s*\d+\s*(?:室|号|户)"
    r"|(?<![\d年月])\d{3,4}\s*(?:室|户)"
)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # "phone", "id", "door"
    text: str

    @property
    def label(self) -> str:
        return {"phone": "电话号码", "id": "身份证号", "door": "门牌号（楼栋、单元、室）"}[
            self.kind
        ]


# Chinese numerals read digit by digit, as a phone number is said (幺 is "one" on the phone).
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")
# Digits kept apart by spaces, dots, hyphens or underscores still make one number.
_APART = re.compile(r"(?<=\d)[\s.\-_·]+(?=\d)")


def normalized(text: str) -> str:
    """``text`` with full-width and Chinese-numeral digits as ASCII digits."""
    return unicodedata.normalize("NFKC", text).translate(_CN_DIGITS)


def find_personal_numbers(text: str, known_phones: tuple[str, ...] = ()) -> list[Finding]:
    """Every phone, ID and door number in ``text``; ``known_phones`` are also found bare."""
    plain = normalized(text)
    joined = _APART.sub("", plain)
    found: list[Finding] = []
    for kind, pattern, source in (
        ("id", _ID_CARD, joined),
        ("phone", _MOBILE, joined),
        ("phone", _LANDLINE, plain),
        ("door", _DOOR, plain),
    ):
        for match in pattern.finditer(source):
            if not any(f.text == match.group() for f in found):
                found.append(Finding(kind, match.group()))
    digits_only = re.sub(r"\D", "", plain)
    for phone in known_phones:
        if (
            phone
            and len(phone) >= 7
            and phone in digits_only
            and not any(re.sub(r"\D", "", f.text) == phone for f in found)
        ):
            found.append(Finding("phone", phone))
    return found


def describe(findings: list[Finding]) -> str:
    """A Chinese sentence saying what to remove."""
    parts = [f"{f.label}“{f.text}”" for f in findings]
    return "答复中不能含有来电人的个人信息，请删除：" + "；".join(parts) + "。"


def mask_personal(text: str, known_phones: tuple[str, ...] = (), *, doors: bool = False) -> str:
    """``text`` with every phone and ID number found in it replaced by a mark (for text a
    handling unit reads: the hotline's notes, the caller's own words); with ``doors``, door
    numbers too (for what is published: a report's cases)."""
    findings = [f for f in find_personal_numbers(text, known_phones) if doors or f.kind != "door"]
    if not findings:
        return text
    if any(f.text not in text for f in findings):
        # Written in full-width or Chinese digits, or apart: mask the normalized, joined form.
        text = _APART.sub("", normalized(text))
    for f in sorted(findings, key=lambda f: -len(f.text)):
        text = text.replace(f.text, "〔号码已隐去〕")
    return text
