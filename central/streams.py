"""Who reads and writes what: device profiles, their streams, and roles per reference event.

The server decides a device's streams from its registration, never from what it asks for.
"""

from __future__ import annotations

from store.core.roles import Role

# profile -> (streams it reads, streams it may write)
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # A hotline seat: agents, desk specialists, callback staff and supervisors take turns on
    # it. It reads every ticket (caller history is city-wide; phones stay masked by role).
    # Supervisors' shift handovers travel with the tickets. Trainees' scores travel only
    # between training seats and a training server: a production one refuses them.
    "seat": (
        ("ticket", "kb", "directory", "config", "shift", "call", "training"),
        ("ticket", "kb", "directory", "config", "shift", "call", "training"),
    ),
    # A knowledge-base editor's or an administrator's machine: no tickets, no callers.
    "reference": (("kb", "directory", "config"), ("kb", "directory", "config")),
}

PROFILE_LABELS = {"seat": "话务座席", "reference": "知识库与目录维护"}

# Roles that may register a device.
REGISTRARS = frozenset({Role.ADMIN, Role.SUPERVISOR})
