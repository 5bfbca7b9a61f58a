"""Payload fields of ticket events that only tickets have: a ticket number, the clocks a
command starts. The generic fields are in :mod:`store.core.payloads`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.core.errors import InvalidInput
from store.core.payloads import Moment
from store.tickets.deadlines import Limit
from store.tickets.numbers import is_valid


@dataclass(frozen=True)
class TicketNumber:
    """A ticket number in the city's form (digits, with a valid check digit)."""

    def clean(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not is_valid(value) or not value.isdigit():
            raise InvalidInput(f"工单号无效：{str(value)[:30]!r}。", field=name)
        return value


@dataclass(frozen=True)
class Clocks:
    """The deadlines a command starts: clock kind → its rule (``5wd``) and due time."""

    kinds: tuple[str, ...]

    def clean(self, value: Any, name: str) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict) or not set(value) <= set(self.kinds):
            raise InvalidInput("期限数据无效。", field=name)
        out = {}
        for kind, clock in value.items():
            if not isinstance(clock, dict) or set(clock) != {"rule", "due_at"}:
                raise InvalidInput(f"期限“{kind}”数据无效。", field=name)
            if not isinstance(clock["rule"], str):
                raise InvalidInput(f"期限“{kind}”的规则无效。", field=name)
            rule = str(Limit.parse(clock["rule"]))
            out[kind] = {"rule": rule, "due_at": Moment("期限").clean(clock["due_at"], name)}
        return out
