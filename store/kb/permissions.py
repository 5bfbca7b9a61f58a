"""Who may do what to the knowledge base."""

from __future__ import annotations

from store.core.errors import Forbidden
from store.core.roles import Actor, Role

# Roles that write entries, change their review status and edit the synonym table.
EDITING_ROLES: frozenset[Role] = frozenset({Role.EDITOR, Role.ADMIN, Role.SYSTEM})

# Roles that answer callers from the knowledge base and give feedback on entries.
ANSWERING_ROLES: frozenset[Role] = frozenset(
    {Role.AGENT, Role.DESK, Role.CALLBACK, Role.SUPERVISOR, Role.TRAINEE, Role.EDITOR}
)


def require_editor(actor: Actor) -> None:
    if actor.role not in EDITING_ROLES:
        raise Forbidden(f"{actor.role.label}不能修改知识库，请联系知识库编辑。")


def require_answering(actor: Actor) -> None:
    if actor.role not in ANSWERING_ROLES:
        raise Forbidden(f"{actor.role.label}不能对知识库条目提交反馈。")
