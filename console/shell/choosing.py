"""Naming a unit, a topic or an area as typed at the shell: its code, its name, or Chinese,
pinyin or initials that match one entry best (the console's pickers' matching)."""

from __future__ import annotations

from console.shell.registry import UsageError
from store.services.vocabulary import Choice, match


def pick(choices: list[Choice], typed: str, what: str) -> Choice:
    """The entry of ``choices`` that ``typed`` names; refused with the candidates when it
    names several or none."""
    typed = typed.strip()
    for c in choices:
        if typed in (c.code, c.name, c.label):
            return c
    found = match(choices, typed, limit=5)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"没有找到{what}“{typed}”。")
    names = "、".join(c.label for c in found)
    raise UsageError(f"“{typed}”可指多个{what}：{names}。请写全称或按 Tab 选择。")
