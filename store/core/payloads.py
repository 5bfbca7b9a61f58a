"""The shape of an event's payload, written once and used two ways.

A command cleans what a person typed into a payload with :meth:`Schema.clean`. The central
server, given a payload a seat pushed, checks with :meth:`Schema.verify` that it is exactly
what that cleaning would have made of it: no unknown field, none missing, every value
already clean (text trimmed and within its limit, no control characters, times in the
city's form, flags true or false). So the server runs the store's own checks, not a copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from store.core.clock import from_text, to_text
from store.core.errors import DomainError, InvalidInput
from store.core.validation import FIELD_MAX, clean_text

_KEY = re.compile(r"^[A-Za-z0-9@][A-Za-z0-9_.:@/-]{0,63}$")


class Spec(Protocol):
    def clean(self, value: Any, name: str) -> Any:
        """The clean form of ``value``, or raise ``InvalidInput`` naming ``name``."""


@dataclass(frozen=True)
class Text:
    """Trimmed text within ``limit`` characters; ``nullable`` keeps a null as null."""

    label: str
    limit: int = FIELD_MAX
    required: bool = False
    nullable: bool = False

    def clean(self, value: Any, name: str) -> str | None:
        if value is None and self.nullable:
            return None
        return clean_text(
            value, field=name, label=self.label, required=self.required, limit=self.limit
        )


@dataclass(frozen=True)
class Flag:
    """True or false (stored as JSON booleans)."""

    label: str

    def clean(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            raise InvalidInput(f"{self.label}应为是或否。", field=name)
        return value


@dataclass(frozen=True)
class Bit:
    """0 or 1, or nothing when ``optional``."""

    label: str
    optional: bool = False

    def clean(self, value: Any, name: str) -> int | None:
        if value is None and self.optional:
            return None
        if isinstance(value, bool):
            return int(value)
        if value not in (0, 1) or not isinstance(value, int):
            raise InvalidInput(f"{self.label}应为 0 或 1。", field=name)
        return value


@dataclass(frozen=True)
class OneOf:
    label: str
    options: tuple[str, ...]
    optional: bool = False

    def clean(self, value: Any, name: str) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str) or value not in self.options:
            raise InvalidInput(f"{self.label}无效：{value!r}。", field=name)
        return value


@dataclass(frozen=True)
class Key:
    """An id or a code of the directory, a ticket or an entry (whether it exists is the
    command's rule)."""

    label: str
    optional: bool = False

    def clean(self, value: Any, name: str) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str) or not _KEY.match(value):
            raise InvalidInput(f"{self.label}编号无效：{str(value)[:70]!r}。", field=name)
        return value


@dataclass(frozen=True)
class Keys:
    """A list of distinct ids, at most ``limit``."""

    label: str
    limit: int = 20

    def clean(self, value: Any, name: str) -> list[str]:
        if not isinstance(value, list | tuple) or len(value) > self.limit:
            raise InvalidInput(f"{self.label}应为不超过 {self.limit} 项的列表。", field=name)
        one = Key(self.label)
        return list(dict.fromkeys(one.clean(v, name) for v in value))


@dataclass(frozen=True)
class Moment:
    """A time, stored as ``2026-11-22T09:30:00+08:00``."""

    label: str
    optional: bool = False

    def clean(self, value: Any, name: str) -> str | None:
        if value is None and self.optional:
            return None
        try:
            when = value if isinstance(value, datetime) else from_text(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"{self.label}不是有效的时间：{str(value)[:40]!r}。", field=name
            ) from None
        if when.tzinfo is None:
            raise InvalidInput(f"{self.label}缺少时区。", field=name)
        return to_text(when)


@dataclass(frozen=True)
class Count:
    label: str
    low: int = 0
    high: int = 10_000

    def clean(self, value: Any, name: str) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not self.low <= value <= self.high
        ):
            raise InvalidInput(f"{self.label}应为 {self.low}–{self.high} 的整数。", field=name)
        return value


@dataclass(frozen=True)
class Anything:
    """Checked by the command's rule as a whole (a ticket's registration)."""

    def clean(self, value: Any, name: str) -> Any:
        return value


@dataclass(frozen=True)
class Schema:
    """The fields of one event type's payload; ``optional`` may be left out."""

    fields: dict[str, Spec]
    optional: frozenset[str] = field(default_factory=frozenset)

    def clean(self, raw: dict[str, Any]) -> dict[str, Any]:
        """A payload from a command's inputs; every bad field named at once."""
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, value in raw.items():
            spec = self.fields.get(name)
            if spec is None:
                raise ValueError(f"no field {name!r} in this schema")  # a programming error
            try:
                out[name] = spec.clean(value, name)
            except DomainError as error:
                errors.setdefault(error.field or name, error.message)
        if errors:
            raise InvalidInput.many(errors)
        return out

    def verify(self, payload: Any) -> None:
        """Raise unless ``payload`` is exactly what :meth:`clean` makes of it."""
        if not isinstance(payload, dict):
            raise InvalidInput("事件内容应为 JSON 对象。", field="payload")
        unknown = sorted(set(payload) - set(self.fields))
        if unknown:
            raise InvalidInput(f"事件内容含未知字段：{'、'.join(unknown)[:80]}。", field="payload")
        missing = sorted(set(self.fields) - set(payload) - self.optional)
        if missing:
            raise InvalidInput(f"事件内容缺少字段：{'、'.join(missing)}。", field="payload")
        for name, value in payload.items():
            cleaned = self.fields[name].clean(value, name)
            if cleaned != value or type(cleaned) is not type(value):
                raise InvalidInput(
                    f"事件字段 {name} 不规范（应为 {str(cleaned)[:40]!r}）。", field=name
                )
