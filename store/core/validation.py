"""Checking what people type before it becomes an event.

Callers' words are kept as typed (markup like ``[/red]`` is just text), but terminal
control characters are refused: they would corrupt every screen the text reaches.
"""

from __future__ import annotations

import re
import unicodedata

from store.core.errors import InvalidInput

# Limits on free text, in characters. A complaint longer than this is not a call record.
CONTENT_MAX = 4000
FIELD_MAX = 200
NOTE_MAX = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def clean_text(
    value: object, *, field: str, label: str, required: bool = False, limit: int = FIELD_MAX
) -> str:
    """Return ``value`` as a stripped string, or raise with a Chinese message."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label}必须是文字。", field=field)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        raise InvalidInput(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise InvalidInput(
            f"{label}过长：{len(text)} 字，最多 {limit} 字。请概括要点。", field=field
        )
    bad = _CONTROL.search(text)
    if bad:
        raise InvalidInput(
            f"{label}含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除后再保存。",
            field=field,
        )
    return text


def normalize_phone(
    value: object, *, field: str = "caller_phone", label: str = "来电号码", required: bool = True
) -> str:
    """Return a phone number as digits only, or raise.

    Accepts spaces, hyphens and brackets as typed, and a leading +86 / 0086. Mobile numbers
    have 11 digits starting with 1; fixed lines 7–8 digits, or 10–12 with the 0 area code.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label}必须是文字。", field=field)
    text = _PHONE_SEPARATORS.sub("", value.strip())
    if not text:
        if required:
            raise InvalidInput(f"请填写{label}。", field=field)
        return ""
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(f"{label}只能包含数字：{value!r} 不是有效号码。", field=field)
    ok = (
        (len(text) == 11 and text[0] == "1")
        or (text[0] == "0" and 10 <= len(text) <= 12)
        or (text[0] not in "01" and 7 <= len(text) <= 8)
        or text in {"110", "119", "120", "122", "12345"}
    )
    if not ok:
        raise InvalidInput(
            f"{label}位数不对：手机号 11 位，固话 7–8 位或带区号 10–12 位。", field=field
        )
    return text


def mask_phone(phone: str) -> str:
    """Mask the middle of a number for display: 13812345678 → 138****5678."""
    if len(phone) > 7:  # keep the first 3 and last 4 digits
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) == 7:
        return phone[:2] + "***" + phone[-2:]
    return "*" * len(phone)


def choice(
    value: object, options: dict[str, str] | tuple[str, ...], *, field: str, label: str
) -> str:
    """Check that ``value`` is one of ``options`` (codes, or a code→label mapping)."""
    if value not in options:
        names = "、".join(options.values() if isinstance(options, dict) else options)
        raise InvalidInput(f"{label}无效：{value!r}。可选：{names}。", field=field)
    return str(value)
