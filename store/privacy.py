"""Finding personal numbers in text that leaves the hotline (replies, KB entries, reports).

Domain.md §8: replies carry no caller phone, ID number or door number. The check is
deliberately specific (an 11-digit mobile, an 18-digit ID, a room or unit number), so an
ordinary reply that cites a 文号 or a road address passes.
"""

from __future__ import annotations

import re
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


def find_personal_numbers(text: str, known_phones: tuple[str, ...] = ()) -> list[Finding]:
    """Every phone, ID and door number in ``text``; ``known_phones`` are also found bare."""
    found: list[Finding] = []
    for kind, pattern in (
        ("id", _ID_CARD),
        ("phone", _MOBILE),
        ("phone", _LANDLINE),
        ("door", _DOOR),
    ):
        for match in pattern.finditer(text):
            found.append(Finding(kind, match.group()))
    digits_only = re.sub(r"\D", "", text)
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
