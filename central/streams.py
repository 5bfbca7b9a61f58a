"""Who reads and writes what: device profiles, their streams, and roles per reference event.

The server decides a device's streams from its registration, never from what it asks for.
"""

from __future__ import annotations

from store.dispatch_catalogue import EDITING_ROLES as CATALOGUE_EDITORS
from store.roles import Role

ADMINS = frozenset({Role.ADMIN})

# profile -> (streams it reads, streams it may write)
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # A hotline seat: agents, desk specialists, callback staff and supervisors take turns on
    # it. It reads every ticket (caller history is city-wide; phones stay masked by role).
    "seat": (("ticket", "kb", "directory", "config"), ("ticket", "kb", "directory", "config")),
    # A knowledge-base editor's or an administrator's machine: no tickets, no callers.
    "reference": (("kb", "directory", "config"), ("kb", "directory", "config")),
}

PROFILE_LABELS = {"seat": "话务座席", "reference": "知识库与目录维护"}

# Roles that may register a device.
REGISTRARS = frozenset({Role.ADMIN, Role.SUPERVISOR})

# Directory and configuration events: who may push them (knowledge-base events follow the
# knowledge base's own rules, ticket events the state machine).
EVENT_ROLES: dict[str, frozenset[Role]] = {
    "config.set": ADMINS,
    "district.defined": ADMINS,
    "street.defined": ADMINS,
    "unit.defined": ADMINS,
    "desk.defined": ADMINS,
    "topic.defined": ADMINS,
    "reason.defined": ADMINS,
    "agent.defined": ADMINS,
    "agent.password_set": ADMINS,
    "desk.duty_set": frozenset({Role.DESK}),
    "dispatch_rule.set": CATALOGUE_EDITORS - {Role.SYSTEM},
    "dispatch_rule.removed": CATALOGUE_EDITORS - {Role.SYSTEM},
}
