"""Who is acting: roles of the hotline and the actor attached to every event."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    DESK = "desk"
    CALLBACK = "callback"
    SUPERVISOR = "supervisor"
    TRAINEE = "trainee"
    TRAINER = "trainer"
    EDITOR = "editor"
    LIAISON = "liaison"
    ADMIN = "admin"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.AGENT: "话务员",
    Role.DESK: "专席座席",
    Role.CALLBACK: "回访员",
    Role.SUPERVISOR: "值班长",
    Role.TRAINEE: "学员",
    Role.TRAINER: "培训师",
    Role.EDITOR: "知识库编辑",
    Role.LIAISON: "承办单位联络员",
    Role.ADMIN: "系统管理员",
    Role.SYSTEM: "系统",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or the system) a command is done by."""

    id: str
    role: Role
    name: str = ""
    unit_id: str | None = None  # liaisons: the handling unit they speak for
    desk_id: str | None = None  # desk specialists: their desk

    @classmethod
    def system(cls) -> Actor:
        """The actor for set-up scripts and imports."""
        return cls(id="system", role=Role.SYSTEM, name="系统")
